"""Test support: leak-test factories (a campaign and a clue in each township) and the case layer's contract
factory for clues."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.cases import engine
from pingan.cases.testing import case_factory
from pingan.core.testing import leak_factory, marked, new_marker

from .choices import DISCIPLINE, CampaignKind, ClueSource
from .models import Campaign, Clue


def make_campaign(world, side: str = "a", *, actor=None, **overrides) -> Campaign:
    from .services import campaign_create

    data = {"name": f"{world.township(side).name}“村霸”整治", "kind": CampaignKind.VILLAGE_BULLY,
            "jurisdiction": world.township(side), "start_on": timezone.localdate() - dt.timedelta(days=60),
            "goals": "摸排“村霸”线索，依法打击", "lead_department": world.departments[f"police_{side}"]}
    data.update(overrides)
    return campaign_create(actor=actor or world.officer(side), data=data)


def make_clue(world, side: str = "a", *, campaign=None, actor=None, **overrides) -> Clue:
    from .services import clue_register

    data = {"campaign": campaign or make_campaign(world, side), "jurisdiction": world.village(side),
            "received_on": timezone.localdate() - dt.timedelta(days=2), "source": ClueSource.PUBLIC_REPORT,
            "summary": f"{world.village(side).short_name}有人强揽工程、欺压村民", "involved": "某甲",
            "reporter_name": "王举报", "reporter_phone": "13800001234"}
    data.update(overrides)
    return clue_register(actor=actor or world.officer(side), data=data)


def discipline_department(world):
    """区纪委监委 (made on first use: the test world has police departments only)."""
    from pingan.accounts.models import Department

    dept = world.departments.get("discipline")
    if dept is None:
        dept, _ = Department.objects.get_or_create(jurisdiction=world.county, name="区纪委监委",
                                                   defaults={"category": DISCIPLINE})
        world.departments["discipline"] = dept
    return dept


@leak_factory(Campaign)
def _campaign(world, side):
    marker = new_marker()
    return marked(make_campaign(world, side, name=f"{world.township(side).name}专项行动{marker}"), marker)


@leak_factory(Clue)
def _clue(world, side):
    """A clue being verified, with a 督办 of the centre open on it and an extension asked by the township."""
    marker = new_marker()
    clue = make_clue(world, side, summary=f"{marker}{world.village(side).short_name}有人欺行霸市")
    engine.transition(actor=world.officer(side), case=clue, action="verify", data={}, note="")
    engine.supervise(actor=world.users["center_staff"], case=clue, note=f"{marker}督办")
    clue.refresh_from_db()
    engine.extension_request(actor=world.officer(side), case=clue,
                             new_deadline=timezone.localtime(clue.due_at).date() + dt.timedelta(days=10),
                             reason=f"{marker}申请延期")
    clue.refresh_from_db()
    return marked(clue, marker, clue.number)


# The case layer's contract test (pingan/cases/tests/test_contract.py) makes this kind's cases with this.
@case_factory("campaigns.clue")
class ClueCases:
    """A clue of township `side`'s village, received by its township office; handed over to the township's
    派出所 (police_<side>) or to 区纪委监委."""

    registrar = "township_{side}"
    reporter = ""
    paths = {
        "verifying": [("township_{side}", "verify")],
        "handed_police": [("township_{side}", "verify"), ("township_{side}", "hand_police")],
        "handed_discipline": [("township_{side}", "verify"), ("township_{side}", "hand_discipline")],
        "closed": [("township_{side}", "verify"), ("township_{side}", "hand_police"), ("handler_{side}", "close")],
        "unfounded": [("township_{side}", "verify"), ("township_{side}", "unfounded")],
    }

    @staticmethod
    def build(world, side, department=None):
        campaign = Campaign.objects.filter(jurisdiction=world.township(side)).first() or Campaign.objects.create(
            name=f"{world.township(side).name}“村霸”整治", kind=CampaignKind.VILLAGE_BULLY,
            jurisdiction=world.township(side), start_on=timezone.localdate() - dt.timedelta(days=60))
        return Clue(campaign=campaign, jurisdiction=world.village(side),
                    received_on=timezone.localdate() - dt.timedelta(days=2), source=ClueSource.PUBLIC_REPORT,
                    summary=f"{world.village(side).short_name}有人强揽工程", registered_by=world.users[f"township_{side}"])

    @staticmethod
    def inputs(world, case, action):
        today = timezone.localdate()
        if action == "hand_police":
            side = "a" if case.jurisdiction.path.startswith(world.township("a").path) else "b"
            return {"data": {"handed_to_department": world.departments[f"police_{side}"], "handed_on": today}}
        if action == "hand_discipline":
            return {"data": {"handed_to_department": discipline_department(world), "handed_on": today}}
        if action == "unfounded":
            return {"data": {"unfounded_reason": "经核查，反映问题不属实"}}
        if action in ("close", "close_discipline"):
            return {"data": {"result": "已立案侦查，涉案人员被依法刑事拘留"}}
        return {}

    @staticmethod
    def assign(world, side, department):
        """A new clue of township `side`, verified and handed to `department` (a police unit)."""
        case = engine.case_register(actor=world.users[f"township_{side}"], case=ClueCases.build(world, side))
        officer = world.users[f"township_{side}"]
        engine.transition(actor=officer, case=case, action="verify", data={}, note="")
        engine.transition(actor=officer, case=case, action="hand_police",
                          data={"handed_to_department": department, "handed_on": timezone.localdate()}, note="")
        case.refresh_from_db()
        return case
