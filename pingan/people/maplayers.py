"""The special populations on the map (pingan/geo/layers.py): ONLY counts per grid polygon, never a person, a
home or a point. The count is of those under management (在管) on the period's last day, the same rule as the
list's "在管" status (`EnrollmentQuerySet.active_on`); health kinds (严重精神障碍, 艾滋病) only for the roles
that may see health data (visible_to drops those rows for the others, and their categories are not offered)."""
from django.urls import reverse
from django.utils import timezone

from pingan.geo.layers import area_layer, query_string

from . import choices as c
from .models import SpecialEnrollment


def _kinds(user):
    health = user.may_see_data_kind("health")
    return [(value, label) for value, label in c.SpecialKind.choices if health or value not in c.HEALTH_KINDS]


def _enrolments(user, params):
    qs = SpecialEnrollment.objects.visible_to(user).filter(jurisdiction__path__startswith=params.node.path)
    qs = qs.active_on(min(params.end or timezone.localdate(), timezone.localdate()))
    if params.category:
        qs = qs.filter(kind=params.category)
    return qs


def _list_url(place, start, end, category):
    # The list's "在管" is today's; a period ending earlier links to those enrolled by its end.
    today = timezone.localdate()
    extra = {"status": "active"} if end is None or end >= today else {"enrolled_to": end}
    return reverse("people:special_list") + "?" + query_string(jurisdiction=place, kind=category, **extra)


area_layer("special_people", "特殊人群（按网格统计）", queryset=_enrolments, data_kind="person", level="grid",
           categories=_kinds, list_url=_list_url, order=70,
           help="只显示每个网格在管的人数（截止日期当天），不显示任何个人或住址。")
