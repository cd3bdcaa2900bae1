"""Early-warning rule of the crime figures (found by pingan.alerts' autodiscovery of `<app>.alerts`).

    crimes.rise  a township's 刑事案件立案数 of the last complete month rose against the same month a year
                 earlier by at least `rise` per cent and is at least `minimum` cases (a rise from none counts
                 when the month has `minimum`): orange. One warning per township and month; the next month's
                 scan closes it.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.utils import timezone

from pingan.alerts.registry import AlertSpec, Rule, register_rule
from pingan.geo.models import Node

from .models import CrimeCount

RISE = "crimes.rise"
RULES = (RISE,)


def last_complete_month(now: dt.datetime) -> dt.date:
    first = timezone.localtime(now).date().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def scan_rise(params: dict, now: dt.datetime):
    month = last_complete_month(now)
    year_ago = month.replace(year=month.year - 1)
    rise, minimum = int(params.get("rise", 30)), max(int(params.get("minimum", 10)), 1)
    rows = (CrimeCount.objects.filter(month__in=(month, year_ago)).order_by().values("jurisdiction")
            .annotate(current=Sum("count", filter=Q(month=month)), before=Sum("count", filter=Q(month=year_ago))))
    hits = []
    for row in rows:
        current, before = row["current"] or 0, row["before"] or 0
        # current ≥ before × (1 + rise/100), in whole numbers: 100 × current ≥ (100 + rise) × before
        if current >= minimum and 100 * current >= (100 + rise) * before and current > before:
            hits.append((row["jurisdiction"], current, before))
    places = Node.objects.in_bulk([h[0] for h in hits])
    for pk, current, before in hits:
        place = places[pk]
        change = f"上升 {(current - before) * 100 / before:.1f}%" if before else "去年同月为 0"
        yield AlertSpec(
            rule=RISE, jurisdiction=place, source=None, key=f"{RISE}:{pk}:{month:%Y-%m}",
            title=f"{place.name}{month:%Y年%m月}刑事案件立案数同比上升",
            reason=(f"{place.name}{month:%Y年%m月}刑事案件立案 {current} 起，去年同月 {before} 起，{change}"
                    f"（同比上升 {rise}% 及以上且当月至少 {minimum} 起即预警）。"))


register_rule(Rule(
    key=RISE, label="刑事案件立案数同比上升", module="crimes", level="orange", scan=scan_rise,
    description=("上一个完整月份里某乡镇（街道）的刑事案件立案数比去年同月上升达到设定比例，且当月达到设定起数时预警；"
                 "下一个月扫描时自动关闭。"),
    params={"rise": (30, "同比上升百分比"), "minimum": (10, "当月至少起数")}))
