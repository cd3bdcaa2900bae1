"""Indicators of the one window (docs/modules/hall.md, 统计口径):

- hall.visits: matters registered at the window with 登记时间 in the period (来访、来电、来信、网上 alike);
- hall.by_route: those matters by 分流去向 ({label: count}; 待分流 for those not yet routed);
- hall.mediation_first_rate (调解先行率): of the matters registered in the period where mediation applies
  (a civil matter between people: 婚恋家庭, 邻里, 劳动社保, 土地房屋, 征地拆迁, 合同债务, 物业服务) and that have
  been routed, the share routed to 人民调解. Matters not yet routed are in neither count.
"""
from __future__ import annotations

from django.db.models import Count, Q

from pingan.core.indicators import MAP, RATE, Query, group, indicator, rate

from . import choices as c
from .models import Matter

group("hall", "一窗受理")


def _matters(q: Query):
    return q.cases(Matter, "registered_at__date")


@indicator("hall.visits", "窗口受理数", order=1)
def visits(q: Query) -> int:
    """登记时间在统计期内的窗口受理事项数。"""
    return _matters(q).count()


@indicator("hall.by_route", "按分流去向", kind=MAP, order=2)
def by_route(q: Query) -> dict[str, int]:
    """统计期内受理事项按分流去向的件数（未分流的计入“待分流”）。"""
    rows = {r["route"]: r["n"] for r in _matters(q).order_by().values("route").annotate(n=Count("pk"))}
    labels = [("", "待分流"), *c.Route.choices]
    return {label: rows.get(value, 0) for value, label in labels}


@indicator("hall.mediation_first_rate", "调解先行率", kind=RATE, order=3)
def mediation_first_rate(q: Query) -> float | None:
    """适用调解且已分流的事项中，分流至人民调解的比例。"""
    counts = _matters(q).filter(mediation_applicable=True).exclude(route="").aggregate(
        applicable=Count("pk"), mediated=Count("pk", filter=Q(route=c.Route.MEDIATION)))
    return rate(counts["mediated"], counts["applicable"])
