"""Grid-event indicators (docs/indicators.md events.*; GB/T 30428): 上报数, 立案数, 派遣数, 结案数, 按期结案数,
结案率, 按期结案率, 返工率, and the average handling hours per department and per township.

The period is by 上报时间. Duplicates (重复件) are linked to their original and not counted again. An event
closed on time is one closed whose last 处置反馈 came before the handling due moment then in force (extensions
included): `handled_due_at`, stamped by the case engine at 处置反馈 from the one due moment `due_at`."""
from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Substr
from django.utils import timezone

from pingan.core.indicators import MAP, RATE, Query, group, indicator, rate
from pingan.geo.models import Node

from .choices import EventState
from .models import Event

group("events", "网格事件")

S = EventState


def _events(q: Query):
    """The period's events by their local report day, compared as [from 00:00, to + 1 day 00:00) so the index
    on reported_at takes the range (the same rows as reported_at__date in the current time zone)."""
    zone = timezone.get_current_timezone()
    low = timezone.make_aware(dt.datetime.combine(q.date_from, dt.time.min), zone)
    high = timezone.make_aware(dt.datetime.combine(q.date_to + dt.timedelta(days=1), dt.time.min), zone)
    return q.scoped(Event).filter(reported_at__gte=low, reported_at__lt=high).exclude(state=S.DUPLICATE)


def _counts(q: Query) -> dict[str, int]:
    key = "_events.counts"
    if key not in q._values:
        q._values[key] = _events(q).aggregate(
            reported=Count("pk"),
            registered=Count("pk", filter=Q(registered_at__isnull=False)),
            dispatched=Count("pk", filter=Q(dispatched_at__isnull=False)),
            closed=Count("pk", filter=Q(state=S.CLOSED)),
            closed_on_time=Count("pk", filter=Q(state=S.CLOSED, handled_at__lte=F("handled_due_at"))),
            reworked=Count("pk", filter=Q(sent_back_count__gt=0)),
        )
    return q._values[key]


@indicator("events.reported", "上报数", order=1)
def reported(q: Query) -> int:
    """上报时间在统计期内的事件数（重复件不重复计）。"""
    return _counts(q)["reported"]


@indicator("events.registered", "立案数", order=2)
def registered(q: Query) -> int:
    """其中已受理立案的事件数。"""
    return _counts(q)["registered"]


@indicator("events.dispatched", "派遣数", order=3)
def dispatched(q: Query) -> int:
    """其中已派遣到部门或乡镇的事件数。"""
    return _counts(q)["dispatched"]


@indicator("events.closed", "结案数", order=4)
def closed(q: Query) -> int:
    """其中核查通过、已结案的事件数。"""
    return _counts(q)["closed"]


@indicator("events.closed_on_time", "按期结案数", order=5)
def closed_on_time(q: Query) -> int:
    """其中在处置期限（含批准的延期）内反馈并结案的事件数。"""
    return _counts(q)["closed_on_time"]


@indicator("events.closure_rate", "结案率", kind=RATE, order=6)
def closure_rate(q: Query) -> float | None:
    """结案数 ÷ 上报数。"""
    return rate(q["events.closed"], q["events.reported"])


@indicator("events.on_time_rate", "按期结案率", kind=RATE, order=7)
def on_time_rate(q: Query) -> float | None:
    """按期结案数 ÷ 上报数。"""
    return rate(q["events.closed_on_time"], q["events.reported"])


@indicator("events.rework_rate", "返工率", kind=RATE, order=8)
def rework_rate(q: Query) -> float | None:
    """至少被退回重办一次的事件数 ÷ 上报数。"""
    return rate(_counts(q)["reworked"], q["events.reported"])


def _avg_hours(q: Query, group_by, names=None) -> dict[str, float]:
    duration = ExpressionWrapper(F("handled_at") - F("dispatched_at"), output_field=DurationField())
    rows = (_events(q).filter(handled_at__isnull=False, dispatched_at__isnull=False)
            .annotate(group_key=group_by).exclude(group_key__isnull=True).exclude(group_key="")
            .values("group_key").annotate(avg=Avg(duration)).order_by("group_key"))
    result = {}
    for row in rows:
        if row["avg"] is None:
            continue
        label = names.get(row["group_key"], row["group_key"]) if names is not None else row["group_key"]
        result[label] = round(row["avg"].total_seconds() / 3600, 1)
    return result


@indicator("events.avg_handling_hours_by_department", "平均处置时长（小时，按部门）", kind=MAP, order=9)
def avg_by_department(q: Query) -> dict[str, float]:
    """从派遣到处置反馈的平均小时数，按承办部门。"""
    return _avg_hours(q, F("assigned_department__name"))


@indicator("events.avg_handling_hours_by_township", "平均处置时长（小时，按乡镇）", kind=MAP, order=10)
def avg_by_township(q: Query) -> dict[str, float]:
    """从派遣到处置反馈的平均小时数，按事件所在乡镇。"""
    # The township is the second code of the event's place path ("140311/140311101/…").
    county_len = len(q.node.path.split("/")[0]) + 1
    key = Substr("jurisdiction__path", county_len + 1, 9)
    names = dict(Node.objects.filter(level="township", path__startswith=q.node.path.split("/")[0] + "/")
                 .values_list("code", "name"))
    return _avg_hours(q, key, names)
