"""Campaign indicators: clues received in the period (受理日期), of those handed over and closed."""
from __future__ import annotations

from django.db.models import Count, Q

from pingan.core.indicators import Query, group, indicator

from .choices import ClueState
from .models import Clue

group("campaigns", "专项行动")


def _counts(q: Query) -> dict[str, int]:
    key = "_campaigns.counts"
    if key not in q._values:
        q._values[key] = q.cases(Clue, "received_on").aggregate(
            clues=Count("pk"),
            handed_over=Count("pk", filter=Q(handed_to_department__isnull=False)),
            closed=Count("pk", filter=Q(state__in=[ClueState.CLOSED, ClueState.UNFOUNDED])),
        )
    return q._values[key]


@indicator("campaigns.clues", "受理线索", order=1)
def clues(q: Query) -> int:
    """受理日期在统计期内的专项行动线索数。"""
    return _counts(q)["clues"]


@indicator("campaigns.clues_handed_over", "移交线索", order=2)
def clues_handed_over(q: Query) -> int:
    """其中已移交公安或纪检监察的线索数。"""
    return _counts(q)["handed_over"]


@indicator("campaigns.clues_closed", "办结线索", order=3)
def clues_closed(q: Query) -> int:
    """其中已办结（含查否）的线索数。"""
    return _counts(q)["closed"]
