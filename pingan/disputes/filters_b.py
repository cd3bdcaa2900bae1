"""One FilterSet per part-B register: the list pages and the API use the same one."""
from __future__ import annotations

import django_filters
from django.db.models import Q

from pingan.core.filters import FilterSet

from . import choices as c
from .models import MediationOrg, Mediator, Meeting, ScreeningCampaign, SubsidyRate, SubsidySheet


def _place(queryset, name, value):
    """?place=<code>: the node with that statistical code and everything under it."""
    code = (value or "").strip()
    if not code:
        return queryset
    if not code.isdigit() or len(code) > 15:
        return queryset.none()
    lookup = getattr(queryset.model, "scope_path_lookup", "jurisdiction__path")
    return queryset.filter(Q(**{f"{lookup}__contains": f"/{code}/"}) | Q(**{f"{lookup}__startswith": f"{code}/"}))


class _Base(FilterSet):
    place = django_filters.CharFilter(label="辖区代码", method=_place)


class OrgFilter(_Base):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="组织名称")
    kind = django_filters.ChoiceFilter(choices=c.OrgKind.choices, label="组织类型", empty_label="全部类型")

    class Meta:
        model = MediationOrg
        fields = ["q", "kind", "place"]


class MediatorFilter(_Base):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="姓名")
    org = django_filters.NumberFilter(field_name="org_id", label="调解组织编号")
    active = django_filters.BooleanFilter(label="在任")

    class Meta:
        model = Mediator
        fields = ["q", "org", "active", "place"]


class CampaignFilter(_Base):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="活动名称")

    class Meta:
        model = ScreeningCampaign
        fields = ["q", "place"]


class RateFilter(_Base):
    grade = django_filters.ChoiceFilter(choices=c.Grade.choices, label="案件等级", empty_label="全部等级")

    class Meta:
        model = SubsidyRate
        fields = ["grade", "place"]


class MeetingFilter(_Base):
    kind = django_filters.ChoiceFilter(choices=c.MeetingKind.choices, label="会议类型", empty_label="全部类型")
    held_after = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="会议日期自")
    held_before = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label="会议日期至")

    class Meta:
        model = Meeting
        fields = ["kind", "held_after", "held_before", "place"]


class SheetFilter(_Base):
    status = django_filters.ChoiceFilter(choices=c.SheetStatus.choices, label="状态", empty_label="全部状态")
    month = django_filters.DateFilter(field_name="month", label="月份（该月1日）")

    class Meta:
        model = SubsidySheet
        fields = ["status", "month", "place"]
