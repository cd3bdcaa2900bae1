"""Crime indicators (docs/indicators.md, 刑事案件): 立案数 and 八类 for the months in the period, the same one year
earlier, and the year-on-year change.

A month counts when its first day lies in the period [from, to] (a count is stored on the month's first day):
2017-01-01..2017-12-31 is the twelve months of 2017; 2017-01-15..2017-03-31 is February and March.
"""
from __future__ import annotations

from django.db.models import Q, Sum

from pingan.core.indicators import RATE, Query, change, group, indicator

from .access import may_read
from .models import CrimeCount

group("crimes", "刑事案件")


def _sums(q: Query) -> dict[str, int]:
    key = "_crimes.sums"
    if key not in q._values:
        if q.user is not None and not may_read(q.user):  # roles without a duty for crime figures count none
            q._values[key] = {"total": 0, "serious": 0}
            return q._values[key]
        values = q.scoped(CrimeCount).filter(month__gte=q.date_from, month__lte=q.date_to).aggregate(
            total=Sum("count"), serious=Sum("count", filter=Q(category__serious=True)))
        q._values[key] = {name: value or 0 for name, value in values.items()}
    return q._values[key]


def _previous(q: Query) -> dict[str, int]:
    key = "_crimes.previous"
    if key not in q._values:
        q._values[key] = _sums(q.previous_year())
    return q._values[key]


@indicator("crimes.total", "刑事案件立案数", order=1)
def total(q: Query) -> int:
    """统计期内各月的刑事案件立案数之和（某月 1 日在统计期内即计入该月）。"""
    return _sums(q)["total"]


@indicator("crimes.total_previous", "去年同期立案数", order=2)
def total_previous(q: Query) -> int:
    """统计期前推一年的同期立案数。"""
    return _previous(q)["total"]


@indicator("crimes.total_change", "立案数同比", kind=RATE, order=3)
def total_change(q: Query) -> float | None:
    """（本期 − 去年同期）÷ 去年同期；去年同期为 0 时无法计算。"""
    return change(q["crimes.total"], q["crimes.total_previous"])


@indicator("crimes.serious", "八类案件立案数", order=4)
def serious(q: Query) -> int:
    """其中计入八类案件的类别（按配置的口径，默认公安统计口径）之和。"""
    return _sums(q)["serious"]


@indicator("crimes.serious_previous", "去年同期八类案件", order=5)
def serious_previous(q: Query) -> int:
    """去年同期的八类案件立案数（按当前口径）。"""
    return _previous(q)["serious"]


@indicator("crimes.serious_change", "八类案件同比", kind=RATE, order=6)
def serious_change(q: Query) -> float | None:
    """（本期八类 − 去年同期八类）÷ 去年同期八类；去年同期为 0 时无法计算。"""
    return change(q["crimes.serious"], q["crimes.serious_previous"])
