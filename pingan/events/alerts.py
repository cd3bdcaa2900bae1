"""Early-warning rules of the grid-events module (found by pingan.alerts' autodiscovery of `<app>.alerts`).

    events.overdue  an event reported in the last year is past its current due moment and still open: yellow,
                    orange once overdue by 15 days (pingan.cases.overdue, the case layer's overdue_q)
    events.anomaly  a village's grid events of one 大类 reported in the last complete month are anomalously many
                    against its own previous 12 months (one-sided Poisson test, pingan.alerts.anomaly: p < 0.001,
                    at least 3 events, at least 6 months of history), orange

A periodic scan (`scan_alerts`): one aggregate query counts the events per (village, 大类, month) over the
last complete month and the months before it; an event at a grid counts for the grid's village, duplicates
(重复件) are not counted (as in the indicators). The warning is about a village, not one event: the village
is its place and it has no source record. Its key carries the month, so the scan after the next month ends
closes it (原因已消除) and a village still rising is warned about again for the new month.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from pingan.alerts import anomaly
from pingan.cases.overdue import overdue_rule
from pingan.alerts.registry import Rule, register_rule

from .choices import EventState
from .models import Category, Event

ANOMALY = "events.anomaly"
OVERDUE = "events.overdue"
RULES = (ANOMALY, OVERDUE)


def anomaly_counts(first: dt.date, end: dt.date):
    """Events reported in [first, end) (local dates) per (village, 大类, month): one aggregate query."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    stop = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
    return (Event.objects.filter(reported_at__gte=start, reported_at__lt=stop,
                                 jurisdiction__level__in=anomaly.VILLAGE_LEVELS)
            .exclude(state=EventState.DUPLICATE)
            .order_by().annotate(place=anomaly.village_of_record(), group=Coalesce("category__parent_id", "category_id"),
                                 month=TruncMonth("reported_at"))
            .values_list("place", "group", "month").annotate(n=Count("pk")))


def scan_anomaly(params: dict, now: dt.datetime):
    """The villages whose events of one 大类 in the last complete month are anomalously many against their own
    previous months."""
    return anomaly.village_scan(
        rule=ANOMALY, params=params, now=now, counts=anomaly_counts, subject="网格事件上报数", noun="事件",
        labels=lambda groups: dict(Category.objects.filter(pk__in=groups).values_list("pk", "name")))


register_rule(Rule(
    key=ANOMALY, label="村(社区)某类事件异常增多", module="events", level="orange", scan=scan_anomaly,
    description=("上一个完整月份里，某村(社区)某一大类网格事件的上报数与本村过去 N 个月的平均数相比异常偏多"
                 "（单侧泊松检验 p 小于检验水平，且至少若干件、历史至少若干个月）；次月扫描时自动关闭。"),
    params=dict(anomaly.PARAMS)))

register_rule(overdue_rule(
    key=OVERDUE, label="网格事件处置超期", module="events", model=Event, noun="网格事件", date_field="reported_at",
    title=lambda e: f"{e.number} {e.category.name if e.category_id else '网格事件'}处置超期", select=("category",),
    description=("网格事件已过当前环节的办理期限（立案、派遣、处置或核查）仍未办结时预警；只看最近若干天内上报的；"
                 "超期较久升为橙色；办结或延期后下一次扫描自动关闭。")))
