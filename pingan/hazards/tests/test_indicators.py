"""Hazard indicators: 逾期未整治 is the case layer's one overdue definition (overdue_q) as the period's last day
ends, counted over the hazards screened in the period. Expected counts worked out by hand."""
import datetime as dt

import pytest
from django.utils import timezone

from pingan.cases import engine
from pingan.core.indicators import Query
from pingan.hazards.testing import make_hazard

pytestmark = pytest.mark.usefixtures("holidays")


def test_overdue_counts_open_hazards_past_their_due_moment_as_the_period_ends(world):
    # Due at the end of 11-25 (open), of 12-10 (open), and one rectified though its 整治期限 (11-22) passed.
    late = make_hazard(world, "a", screened_on=dt.date(2026, 11, 2), rectify_deadline=dt.date(2026, 11, 25))
    make_hazard(world, "a", screened_on=dt.date(2026, 11, 3), rectify_deadline=dt.date(2026, 12, 10))
    done = make_hazard(world, "b", screened_on=dt.date(2026, 11, 4), rectify_deadline=dt.date(2026, 11, 22))
    engine.transition(actor=world.users["handler_b"], case=done, action="complete",
                      data={"rectified_on": timezone.localdate(), "measures": "已清理"})
    engine.transition(actor=world.officer("b"), case=done, action="accept")

    def values(date_to):
        q = Query(dt.date(2026, 11, 1), date_to, world.county)
        return [q[k] for k in ("hazards.screened", "hazards.rectified", "hazards.rectification_rate",
                               "hazards.overdue")]

    # As 11-30 ends: 3 screened, 1 rectified, 1/3, and only the first is overdue.
    screened, rectified, rate, overdue = values(dt.date(2026, 11, 30))
    assert (screened, rectified, overdue) == (3, 1, 1) and rate == pytest.approx(1 / 3, abs=1e-3)
    # As 11-25 ends the first is exactly due, not yet overdue.
    assert values(dt.date(2026, 11, 25))[3] == 0
    assert values(dt.date(2026, 11, 26))[3] == 1
    assert late.due_at is not None
