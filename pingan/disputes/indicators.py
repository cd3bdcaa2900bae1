"""Dispute indicators (/work/shared/reference/indicators.md, docs/indicators.md): 排查数, 调处数, 调处率,
在办数, 群体性纠纷数, and the mediators' subsidy due.

All count the disputes whose 登记日期 (`registered_on`) lies in the period, under the node, that the user
may see. 调处成功 is RESOLVED_STATES (settled or archived). `mediation.subsidy_total` counts the other way:
the disputes 调处成功 whose 办结日期 (`closed_on`) lies in the period and that carry a grade — the subsidy
is due for the month a case is closed — each at its approved sheet's frozen amount when it is on one,
otherwise at the rate in force at its place now (`registers.grade_amounts`).
"""
from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q

from pingan.core.indicators import AMOUNT, MAP, RATE, Query, group, indicator, rate

from . import choices as c
from .models import Dispute
from .subsidy import subsidy_by_grade

group("disputes", "矛盾纠纷")
group("mediation", "人民调解")


def _counts(q: Query) -> dict[str, int]:
    """One aggregate query for the four counts of the period (cached on the query)."""
    key = "_disputes.counts"
    if key not in q._values:
        q._values[key] = q.cases(Dispute, "registered_on").aggregate(
            screened=Count("pk"),
            resolved=Count("pk", filter=Q(state__in=c.RESOLVED_STATES)),
            in_progress=Count("pk", filter=Q(state__in=c.IN_PROGRESS_STATES)),
            mass=Count("pk", filter=Q(scale__in=c.MASS_SCALES)),
        )
    return q._values[key]


@indicator("disputes.screened", "排查数", order=1)
def screened(q: Query) -> int:
    """登记日期在统计期内的矛盾纠纷数。"""
    return _counts(q)["screened"]


@indicator("disputes.resolved", "调处数", order=2)
def resolved(q: Query) -> int:
    """其中状态为调处成功（含已回访归档）的纠纷数。"""
    return _counts(q)["resolved"]


@indicator("disputes.resolution_rate", "调处率", kind=RATE, order=3)
def resolution_rate(q: Query) -> float | None:
    """调处数 ÷ 排查数。"""
    return rate(q["disputes.resolved"], q["disputes.screened"])


@indicator("disputes.in_progress", "在办数", order=4)
def in_progress(q: Query) -> int:
    """其中状态为排查登记或调处中的纠纷数。"""
    return _counts(q)["in_progress"]


@indicator("disputes.mass", "群体性纠纷", order=5)
def mass(q: Query) -> int:
    """其中事件规模为一般群体性或重大群体性事件的纠纷数。"""
    return _counts(q)["mass"]


def _subsidy(q: Query) -> dict[str, Decimal]:
    key = "_mediation.subsidy"
    if key not in q._values:
        q._values[key] = subsidy_by_grade(q.cases(Dispute, "closed_on"))
    return q._values[key]


def _yuan(value: Decimal) -> int | float:
    """Whole yuan as an int (JSON 5300, not "5300.00"), fen kept when there are any."""
    return int(value) if value == value.to_integral() else float(value)


@indicator("mediation.subsidy_total", "调解员误工补贴（元）", kind=AMOUNT, order=1)
def subsidy_total(q: Query) -> int | float:
    """办结日期在统计期内、调处成功并已评定等级的纠纷应发误工补贴合计：已列入已审批发放表的按发放表金额，
    其余按所在地现行补贴标准（默认简易 50 元、一般 100 元、重大疑难 200 元）。"""
    return _yuan(sum(_subsidy(q).values(), Decimal("0")))


@indicator("mediation.subsidy_by_grade", "误工补贴按等级（元）", kind=MAP, order=2)
def subsidy_by_grade_indicator(q: Query) -> dict[str, int | float]:
    """同上，按案件等级（简易、一般、重大疑难）分列。"""
    labels = dict(c.Grade.choices)
    return {labels[grade]: _yuan(amount) for grade, amount in _subsidy(q).items()}
