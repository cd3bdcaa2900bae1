"""One FilterSet for the matters (the API's list; the log page filters by day)."""
import django_filters

from . import choices as c
from .models import Matter


class MatterFilter(django_filters.FilterSet):
    registered_from = django_filters.DateFilter(field_name="registered_at", lookup_expr="date__gte", label="登记日期起")
    registered_to = django_filters.DateFilter(field_name="registered_at", lookup_expr="date__lte", label="登记日期止")
    route = django_filters.ChoiceFilter(choices=c.Route.choices, label="分流去向")
    status = django_filters.ChoiceFilter(choices=c.Status.choices, label="办理状态")
    channel = django_filters.ChoiceFilter(choices=c.Channel.choices, label="渠道")
    code = django_filters.CharFilter(field_name="code", lookup_expr="iexact", label="事项码")

    class Meta:
        model = Matter
        fields = ["route", "status", "channel", "code"]
