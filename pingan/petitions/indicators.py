"""Petition indicators (/work/shared/reference/indicators.md, group 信访): 受理数, 交办数, 交办件化解数, 化解率,
积案数, 积案化解数, 逾期未办结数.

"Resolved" (办理状态 已办结, 已化解 or 已稳控) counts a petition finished with a result, including one whose
result was then reviewed (复查办结, 复核办结); a petition under 复查 or 复核 is being handled again (办理中).
Overdue is the case layer's one definition (`overdue_q` at the end of `to`)."""
from __future__ import annotations

from django.db.models import Count, Q

from pingan.core.indicators import RATE, Query, group, indicator, rate

from . import choices as c
from .models import Petition

group("petitions", "信访")

ASSIGNED = Q(source=c.Source.ASSIGNED)
BACKLOG_RESOLVED_STATES = (c.PetitionState.RESOLVED, c.PetitionState.STABILISED)


def _counts(q: Query) -> dict[str, int]:
    """One aggregate query for the counts of the period (cached on the query)."""
    key = "_petitions.counts"
    if key not in q._values:
        q._values[key] = q.cases(Petition, "registered_on").aggregate(
            # A repeat petition (linked to the earlier matter it repeats) is not counted twice.
            received=Count("pk", filter=Q(repeat_of__isnull=True)),
            assigned=Count("pk", filter=ASSIGNED),
            assigned_resolved=Count("pk", filter=ASSIGNED & Q(state__in=c.FINISHED_STATES)),
            backlog=Count("pk", filter=Q(is_backlog=True)),
            backlog_resolved=Count("pk", filter=Q(is_backlog=True, state__in=BACKLOG_RESOLVED_STATES)),
            overdue=Count("pk", filter=Petition.objects.overdue_q(q.date_to)),
        )
    return q._values[key]


@indicator("petitions.received", "受理数", order=1)
def received(q: Query) -> int:
    """登记日期在统计期内的信访事项数（经核定为重复信访、已关联原件的不重复计数）。"""
    return _counts(q)["received"]


@indicator("petitions.assigned", "交办数", order=2)
def assigned(q: Query) -> int:
    """其中来源为上级交办的信访事项数。"""
    return _counts(q)["assigned"]


@indicator("petitions.assigned_resolved", "交办件化解数", order=3)
def assigned_resolved(q: Query) -> int:
    """上级交办的信访事项中，办理状态为已办结、已化解或已稳控的数量（含其后经复查、复核办结的）。"""
    return _counts(q)["assigned_resolved"]


@indicator("petitions.resolution_rate", "化解率", kind=RATE, order=4)
def resolution_rate(q: Query) -> float | None:
    """交办件化解数 ÷ 交办数。"""
    return rate(q["petitions.assigned_resolved"], q["petitions.assigned"])


@indicator("petitions.backlog", "积案数", order=5)
def backlog(q: Query) -> int:
    """登记日期在统计期内、标记为积案的信访事项数。"""
    return _counts(q)["backlog"]


@indicator("petitions.backlog_resolved", "积案化解数", order=6)
def backlog_resolved(q: Query) -> int:
    """积案中办理状态为已化解或已稳控的数量。"""
    return _counts(q)["backlog_resolved"]


@indicator("petitions.overdue", "逾期未办结", order=7)
def overdue(q: Query) -> int:
    """登记日期在统计期内、至统计截止日结束时仍未办结且已过当前办理期限的信访事项数（待受理按15日转送交办期限，
    办理中按办结期限，复查、复核中按其答复期限）。"""
    return _counts(q)["overdue"]
