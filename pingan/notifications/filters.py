import django_filters

from pingan.core.filters import ApiFilterSet

from .models import Notification


class NotificationFilter(ApiFilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="只看未读")
    kind = django_filters.ChoiceFilter(choices=Notification.Kind.choices, label="类别")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
