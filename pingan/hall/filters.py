"""One FilterSet per list: matters (the API's list; the log page filters by day) and the counsellor register
(its page and its API)."""
import django_filters
from django_filters.fields import ModelChoiceField

from pingan.core.filters import FilterSet
from pingan.geo.models import Node

from . import choices as c
from .models import Counsellor, Matter


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


def hall_label(node: Node) -> str:
    return f"{node.name}（{'区综治中心' if node.level == 'county' else '乡镇综治中心'}）"


def visible_halls(request):
    """The halls (the district centre, the townships' centres) the user may see: the choices of the filter."""
    from .services import HALL_LEVELS

    user = getattr(request, "user", None)
    return Node.objects.visible_to(user).filter(level__in=HALL_LEVELS).order_by("path")


class HallField(ModelChoiceField):
    def label_from_instance(self, obj: Node) -> str:
        return hall_label(obj)


class HallChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = HallField


ACTIVE_CHOICES = (("yes", "在岗"), ("no", "已停用"))


def _active(queryset, name, value):
    if value == "yes":
        return queryset.filter(is_active=True)
    if value == "no":
        return queryset.filter(is_active=False)
    return queryset


class CounsellorFilter(FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="姓名")
    jurisdiction = HallChoiceFilter(queryset=visible_halls, label="所属中心", empty_label="全部中心")
    kind = django_filters.ChoiceFilter(choices=c.DutyKind.choices, label="入驻方式", empty_label="全部")
    active = django_filters.ChoiceFilter(choices=ACTIVE_CHOICES, method=_active, label="状态", empty_label="全部")

    class Meta:
        model = Counsellor
        fields = ["q", "jurisdiction", "kind", "active"]
