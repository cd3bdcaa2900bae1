"""One FilterSet per register: the list pages and the API use the same one."""
from __future__ import annotations

import django_filters
from django.db.models import Q

from pingan.core.filters import FilterSet

from .choices import AudienceKind, CameraStatus, CameraType, ForceType
from .models import Attendance, Camera, Patrol, SecurityOfficer, Team, TeamMember, TrainingSession


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


class TeamFilter(_Base):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="队伍名称")
    kind = django_filters.ChoiceFilter(choices=ForceType.choices, label="组织类型", empty_label="全部类型")

    class Meta:
        model = Team
        fields = ["q", "kind", "place"]


class TeamMemberFilter(_Base):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="姓名")
    team = django_filters.NumberFilter(field_name="team_id", label="队伍编号")
    kind = django_filters.ChoiceFilter(field_name="team__kind", choices=ForceType.choices, label="队伍类型",
                                       empty_label="全部类型")

    class Meta:
        model = TeamMember
        fields = ["q", "team", "kind", "place"]


class OfficerFilter(_Base):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="姓名")

    class Meta:
        model = SecurityOfficer
        fields = ["q", "place"]


class PatrolFilter(_Base):
    team = django_filters.NumberFilter(field_name="team_id", label="队伍编号")
    date_from = django_filters.DateFilter(field_name="patrolled_on", lookup_expr="gte", label="起始日期")
    date_to = django_filters.DateFilter(field_name="patrolled_on", lookup_expr="lte", label="截止日期")

    class Meta:
        model = Patrol
        fields = ["team", "date_from", "date_to", "place"]


class CameraFilter(_Base):
    q = django_filters.CharFilter(method="search", label="编号或名称")
    camera_type = django_filters.ChoiceFilter(choices=CameraType.choices, label="类型", empty_label="全部类型")
    status = django_filters.ChoiceFilter(choices=CameraStatus.choices, label="状态", empty_label="全部状态")
    hd = django_filters.BooleanFilter(label="高清")
    networked = django_filters.BooleanFilter(label="联网")

    class Meta:
        model = Camera
        fields = ["q", "camera_type", "status", "hd", "networked", "place"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value)) if value else queryset


class SessionFilter(_Base):
    audience = django_filters.ChoiceFilter(choices=AudienceKind.choices, label="培训对象", empty_label="全部对象")
    year = django_filters.NumberFilter(field_name="held_on__year", label="年份", min_value=1900, max_value=2999,
                                      decimal_places=0, error_messages={"invalid": "年份应为四位数字。", "min_value": "年份超出范围。",
                                                                        "max_value": "年份超出范围。", "max_decimal_places": "年份应为整数。"})

    class Meta:
        model = TrainingSession
        fields = ["audience", "year", "place"]


class AttendanceFilter(_Base):
    session = django_filters.NumberFilter(field_name="session_id", label="培训编号")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="姓名")

    class Meta:
        model = Attendance
        fields = ["session", "q", "place"]
