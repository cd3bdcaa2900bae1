"""Demo petitions: 2017 gives the seed report's figures (45 assigned, 25 backlog, all resolved) at every scale;
2016 a little more and not all resolved (the seed's constants: 18 + 34 assigned with 4 转送, 12 + 18 积案 with 4
办结 without settling, 110 other local petitions); the lists reported back; a 联席会议 per backlog case;
reception days; idempotent; nothing for a structure-only seed."""
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
    y16 = compute(Query(dt.date(2016, 1, 1), dt.date(2016, 12, 31), world.county))["petitions"]
    assert (y16["assigned"], y16["assigned_resolved"], y16["backlog"], y16["backlog_resolved"]) == (52, 48, 30, 26)
    assert y16["received"] == 52 + 18 + 110 > y["received"]
    assert y16["resolution_rate"] == 0.9231  # 48 / 52
    assert y16["overdue"] == 0
    # Everything of 2016 is closed; its lists reported, the one with 转送 items with the reason.
    assert not Petition.objects.filter(registered_on__year=2016, closed_at__isnull=True).exists()
    lists16 = AssignedList.objects.filter(received_on__year=2016).order_by("received_on")
    assert [(a.level, a.petitions.count(), a.petitions.filter(state="forwarded").count()) for a in lists16] == \
        [("province", 18, 0), ("city", 34, 4)]
    assert all(a.reported_on for a in lists16)
    assert "未办结 4 件的原因" in lists16[1].report_text and "转送人民法院" in lists16[1].report_text
    backlog16 = Petition.objects.filter(registered_on__year=2016, is_backlog=True)
    assert all(p.lead_leader and p.meetings.count() == 1 for p in backlog16)
    assert sorted(backlog16.values_list("backlog_outcome", flat=True)).count("") == 4  # the 4 办结 without settling
    assert LeaderReception.objects.filter(held_on__year=2016).count() == 24
    total = Petition.objects.count()
    assert TransitionLog.objects.filter(case_type="petitions.petition", action_label="演示数据").count() == total
    seed_petitions(ctx(scale))  # idempotent
    assert Petition.objects.count() == total


def test_structure_only_adds_nothing(world):
    seed_petitions(ctx(structure_only=True))
    assert Petition.objects.count() == 0
