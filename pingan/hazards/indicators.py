"""Hazard indicators (docs/indicators.md): 排查数, 整治数, 整治率, 逾期未整治数."""
from __future__ import annotations

from django.db.models import Count, Q

from pingan.core.indicators import RATE, Query, group, indicator, rate

from .choices import HazardStatus
from .models import Hazard

group("hazards", "风险隐患")


def _counts(q: Query) -> dict[str, int]:
    """One aggregate query for the three counts of the period (cached on the query)."""
    key = "_hazards.counts"
    if key not in q._values:
        q._values[key] = q.cases(Hazard, "screened_on").aggregate(
            screened=Count("pk"),
            rectified=Count("pk", filter=Q(state=HazardStatus.RECTIFIED)),
            overdue=Count("pk", filter=Hazard.objects.overdue_q(q.date_to)),
        )
    return q._values[key]


@indicator("hazards.screened", "排查数", order=1)
def screened(q: Query) -> int:
    """排查日期在统计期内的隐患数。"""
    return _counts(q)["screened"]


@indicator("hazards.rectified", "整治数", order=2)
def rectified(q: Query) -> int:
    """其中整治状态为已整治的隐患数。"""
    return _counts(q)["rectified"]


@indicator("hazards.rectification_rate", "整治率", kind=RATE, order=3)
def rectification_rate(q: Query) -> float | None:
    """整治数 ÷ 排查数。"""
    return rate(q["hazards.rectified"], q["hazards.screened"])


@indicator("hazards.overdue", "逾期未整治", order=4)
def overdue(q: Query) -> int:
    """其中至统计截止日结束时仍未办结、且已过当前办理期限的隐患数（整治中按整治期限，待验收按验收期限）。"""
    return _counts(q)["overdue"]
