import django_filters

from pingan.core.filters import ApiFilterSet

from .models import Notification

YES_NO = (("true", "是"), ("false", "否"))


class NotificationFilter(ApiFilterSet):
    # A choice, not a boolean: an unknown value answers 400 instead of being ignored.
    unread = django_filters.ChoiceFilter(choices=YES_NO, method="filter_unread", label="只看未读（true/false）")
    kind = django_filters.ChoiceFilter(choices=Notification.Kind.choices, label="类别")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "true")
