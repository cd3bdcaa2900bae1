"""The special populations on the map (pingan/geo/layers.py): ONLY counts per grid polygon, never a person, a
home or a point. Enrolments in force during the period; health kinds (严重精神障碍, 艾滋病) only for the roles
that may see health data (visible_to drops those rows for the others, and their categories are not offered)."""
from django.db.models import Q
from django.urls import reverse

from pingan.geo.layers import area_layer, query_string

from . import choices as c
from .models import SpecialEnrollment


def _kinds(user):
    health = user.may_see_data_kind("health")
    return [(value, label) for value, label in c.SpecialKind.choices if health or value not in c.HEALTH_KINDS]


def _enrolments(user, params):
    qs = SpecialEnrollment.objects.visible_to(user).filter(jurisdiction__path__startswith=params.node.path)
    if params.end:
        qs = qs.filter(enrolled_on__lte=params.end)
    if params.start:
        qs = qs.filter(Q(released_on__isnull=True) | Q(released_on__gte=params.start))
    if params.category:
        qs = qs.filter(kind=params.category)
    return qs


def _list_url(place, start, end, category):
    return reverse("people:special_list") + "?" + query_string(jurisdiction=place, kind=category)


area_layer("special_people", "特殊人群（按网格统计）", queryset=_enrolments, data_kind="person", level="grid",
           categories=_kinds, list_url=_list_url, order=70,
           help="只显示每个网格在管的人数，不显示任何个人或住址。")
