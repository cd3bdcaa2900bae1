"""campaigns.* for a period (worked from the clues made here) and the demo seed."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.campaigns.models import Campaign, CampaignTag, Clue
from pingan.campaigns.seed import seed_campaigns
from pingan.campaigns.testing import make_campaign, make_clue
from pingan.cases import engine
from pingan.core.indicators import Query
from pingan.core.seed import SeedContext


def test_clue_indicators_count_received_handed_over_and_closed(world):
    campaign = make_campaign(world, "a")
    today = timezone.localdate()
    clues = [make_clue(world, "a", campaign=campaign) for _ in range(3)]
    officer = world.officer("a")
    for clue in clues[:2]:
        engine.transition(actor=officer, case=clue, action="verify", data={}, note="")
    engine.transition(actor=officer, case=clues[0], action="hand_police",
                      data={"handed_to_department": world.departments["police_a"], "handed_on": today}, note="")
    engine.transition(actor=officer, case=clues[1], action="unfounded", data={"unfounded_reason": "不实"}, note="")
    q = Query(today - dt.timedelta(days=30), today, world.county)
    # 3 received; 1 handed over (to the police); 1 closed (查否).
    assert (q["campaigns.clues"], q["campaigns.clues_handed_over"], q["campaigns.clues_closed"]) == (3, 1, 1)
    assert Query(today - dt.timedelta(days=30), today, world.township("b"))["campaigns.clues"] == 0


def test_the_seed_makes_the_two_campaigns_with_clues_in_every_state(world):
    from pingan.hazards.testing import make_hazard

    make_hazard(world, "a", hazard_type="02")
    ctx = SeedContext(seed=7, scale="small", structure_only=False, password="x", password_hash="x")
    seed_campaigns(ctx)
    bully = Campaign.objects.get(kind="village_bully")
    assert bully.start_on == dt.date(2017, 4, 1)
    assert Clue.objects.filter(campaign=bully).count() == 24
    assert Clue.objects.filter(campaign=bully, state="unfounded").count() == 5
    assert Clue.objects.filter(campaign=bully, state="handed_police").count() == 3
    sweep = Campaign.objects.get(kind="crime_evil")
    assert sweep.start_on >= timezone.localdate() - dt.timedelta(days=365)
    assert Clue.objects.filter(campaign=sweep).open().count() == 9
    assert not Clue.objects.open().filter(due_at__isnull=True).exists()
    assert CampaignTag.objects.filter(campaign=sweep).count() >= 1
    seed_campaigns(ctx)
    assert Campaign.objects.count() == 2
