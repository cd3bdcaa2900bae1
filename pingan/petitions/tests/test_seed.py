"""Demo petitions: 2017 gives the seed report's figures (45 assigned, 25 backlog, all resolved) at every scale;
the 2017 lists reported back; a 联席会议 per 2017 backlog case; reception days; idempotent; nothing for a
structure-only seed."""
import datetime as dt

import pytest

from pingan.cases.models import TransitionLog
from pingan.core.indicators import Query, compute
from pingan.core.seed import SeedContext
from pingan.petitions.models import AssignedList, LeaderReception, Petition
from pingan.petitions.seed import seed_petitions


def ctx(scale="small", structure_only=False):
    return SeedContext(seed=2017, scale=scale, structure_only=structure_only, password="x", password_hash="x")


@pytest.mark.parametrize("scale", ["small", "province"])
def test_2017_figures_at_every_scale(world, scale):
    seed_petitions(ctx(scale))
    y = compute(Query(dt.date(2017, 1, 1), dt.date(2017, 12, 31), world.county))["petitions"]
    assert (y["assigned"], y["assigned_resolved"], y["backlog"], y["backlog_resolved"]) == (45, 45, 25, 25)
    assert y["resolution_rate"] == 1.0
    lists = AssignedList.objects.filter(received_on__year=2017).order_by("received_on")
    assert [(a.level, a.petitions.count(), a.reported_on is not None) for a in lists] == \
        [("province", 15, True), ("city", 30, True)]
    backlog = Petition.objects.filter(registered_on__year=2017, is_backlog=True)
    assert all(p.lead_leader and p.backlog_outcome and p.meetings.count() == 1 for p in backlog)
    # Reception days on the 10th and 25th: 24 in 2017.
    assert LeaderReception.objects.filter(held_on__year=2017).count() == 24
    total = Petition.objects.count()
    assert TransitionLog.objects.filter(case_type="petitions.petition", action_label="演示数据").count() == total
    seed_petitions(ctx(scale))  # idempotent
    assert Petition.objects.count() == total


def test_structure_only_adds_nothing(world):
    seed_petitions(ctx(structure_only=True))
    assert Petition.objects.count() == 0
