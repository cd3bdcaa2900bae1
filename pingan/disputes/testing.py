"""Test support of the dispute register: makers (an organisation, a mediator, a registered dispute with two
parties), the leak-test factories of its models, and the case layer's contract-test factory."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.cases import engine
from pingan.cases.testing import case_factory
from pingan.core.testing import leak_factory, marked, new_marker

from . import choices as c
from .models import Dispute, DisputeParty, MediationOrg, MediationSession, Mediator, ScreeningCampaign

# Two valid 公民身份号码 (check digits worked out by hand: ISO 7064 MOD 11-2) for the parties of tests.
ID_ZHANG = "14031119800101001X"   # male (17th digit 1), born 1980-01-01
ID_LI = "140311198505050023"      # female (17th digit 2), born 1985-05-05


def make_org(world, side: str = "a", *, level: str = "village", kind: str = c.OrgKind.VILLAGE, department=None,
             name: str = "") -> MediationOrg:
    """A mediation committee: of township `side`'s village (default) or of the township itself."""
    place = world.village(side) if level == "village" else world.township(side)
    name = name or (f"{place.name}人民调解委员会" if level == "village" else f"{place.name}人民调解委员会")
    org, _ = MediationOrg.objects.get_or_create(jurisdiction=place, name=name,
                                                defaults={"kind": kind, "department": department})
    return org


def make_mediator(world, org: MediationOrg, name: str = "王调解", *, user=None) -> Mediator:
    mediator, _ = Mediator.objects.get_or_create(
        org=org, name=name, defaults={"jurisdiction": org.jurisdiction, "user": user, "kind": c.MediatorKind.PART_TIME})
    return mediator


def resident_unit(world, side: str = "a"):
    """The township's 派出所 mediation room (a resident unit: its department handles what it mediates) and the
    township's mediator persona as its mediator."""
    org = make_org(world, side, level="township", kind=c.OrgKind.CENTRE, department=world.departments[f"police_{side}"],
                   name=f"{world.township(side).name[:2]}派出所人民调解室")
    mediator = make_mediator(world, org, f"调解员{side.upper()}", user=world.users[f"mediator_{side}"])
    return org, mediator


def make_dispute(world, side: str = "a", *, actor=None, parties=True, **overrides) -> Dispute:
    """A registered dispute in township `side`'s village (邻里 0202), with 张三 (甲方) and 李四 (乙方)."""
    from .services import dispute_register

    today = timezone.localdate()
    data = {
        "jurisdiction": world.village(side), "title": "张某与李某宅基地边界纠纷",
        "occurred_on": today - dt.timedelta(days=5), "registered_on": today - dt.timedelta(days=2),
        "category": "0202", "scale": c.Scale.INDIVIDUAL, "people_count": 2,
        "summary": "两家翻建院墙时对边界有争议，多次争吵。", "source": c.Source.GRID,
    }
    data.update(overrides)
    given = [{"side": c.PartySide.APPLICANT, "name": "张三", "id_number": ID_ZHANG, "phone": "13812345678",
              "category": c.PartyCategory.FARMING, "address": f"{world.village(side).short_name}1号"},
             {"side": c.PartySide.RESPONDENT, "name": "李四", "id_number": ID_LI, "phone": "13987654321",
              "address": f"{world.village(side).short_name}2号"}] if parties else []
    return dispute_register(actor=actor or world.officer(side), data=data, parties=given)


# --- leak-test factories ----------------------------------------------------------------------------------
@leak_factory(Dispute)
def _dispute(world, side):
    """A dispute being mediated by the township's 派出所 mediation room, with a 督办 open on it and a 延期
    asked, so the reply and decide routes have something to answer."""
    marker = new_marker()
    org, mediator = resident_unit(world, side)
    dispute = make_dispute(world, side, title=f"{marker}宅基地纠纷", summary=f"{marker}两家争边界")
    engine.transition(actor=world.officer(side), case=dispute, action="accept",
                      data={"mediation_org": org, "mediator": mediator, "assigned_department": org.department})
    engine.supervise(actor=world.users["center_staff"], case=dispute, note=f"{marker}督办")
    due = timezone.localtime(dispute.due_at - dt.timedelta(microseconds=1)).date()
    engine.extension_request(actor=world.officer(side), case=dispute, new_deadline=due + dt.timedelta(days=10),
                             reason=f"{marker}申请延期")
    dispute.refresh_from_db()
    return marked(dispute, marker, dispute.number)


@leak_factory(DisputeParty)
def _party(world, side):
    marker = new_marker()
    dispute = make_dispute(world, side, parties=False)
    from .services import party_add

    party = party_add(actor=world.officer(side), dispute=dispute, data={"name": f"当事人{marker}",
                                                                         "address": f"{marker}号"})
    return marked(party, marker, dispute.number)


@leak_factory(MediationSession)
def _session(world, side):
    """A session of a dispute mediated by the village committee (no department handles it)."""
    marker = new_marker()
    org = make_org(world, side)
    mediator = make_mediator(world, org, f"村调解员{side.upper()}")
    dispute = make_dispute(world, side)
    engine.transition(actor=world.officer(side), case=dispute, action="accept",
                      data={"mediation_org": org, "mediator": mediator, "assigned_department": None})
    from .services import session_add

    session = session_add(actor=world.officer(side), dispute=dispute, data={
        "held_on": timezone.localdate(), "place": f"{marker}调解室", "attendees": f"张三、李四{marker}",
        "record": f"{marker}双方陈述"})
    return marked(session, marker, dispute.number)


@leak_factory(MediationOrg)
def _org(world, side):
    marker = new_marker()
    return marked(MediationOrg.objects.create(jurisdiction=world.village(side), name=f"{marker}调委会",
                                              kind=c.OrgKind.VILLAGE), marker)


@leak_factory(Mediator)
def _mediator(world, side):
    marker = new_marker()
    org = make_org(world, side)
    return marked(Mediator.objects.create(jurisdiction=org.jurisdiction, org=org, name=f"调解员{marker}"), marker)


@leak_factory(ScreeningCampaign)
def _screening(world, side):
    marker = new_marker()
    return marked(ScreeningCampaign.objects.create(jurisdiction=world.township(side), name=f"{marker}排查",
                                                   start_on=timezone.localdate()), marker)


# --- the case layer's contract test (pingan/cases/tests/test_contract.py) ----------------------------------
@case_factory("disputes.dispute")
class DisputeCases:
    """A dispute brought by the police (公调对接, the referrer named only) to township `side`'s 派出所 mediation
    room, a resident unit of the centre: registered by the township office in its village and handled by the
    派出所 (police_<side>), whose room accepts it with the township's mediator persona as the mediator."""

    registrar = "township_{side}"
    reporter = ""
    paths = {
        "mediating": [("township_{side}", "accept")],
        "settled": [("township_{side}", "accept"), ("mediator_{side}", "settle")],
        "archived": [("township_{side}", "accept"), ("mediator_{side}", "settle"), ("mediator_{side}", "followup")],
        "failed": [("township_{side}", "accept"), ("mediator_{side}", "fail")],
        "transferred": [("township_{side}", "transfer")],
    }

    @staticmethod
    def build(world, side, department=None):
        dept = department or world.departments[f"police_{side}"]
        today = timezone.localdate()
        return Dispute(jurisdiction=world.village(side), title="邻里排水纠纷", occurred_on=today - dt.timedelta(days=3),
                       registered_on=today, category="0201", people_count=2, summary="排水沟堵塞引发争吵",
                       source=c.Source.POLICE, referrer_name=f"{world.township(side).name[:2]}派出所",
                       assigned_department=dept, reported_by=world.users[f"township_{side}"])

    @staticmethod
    def inputs(world, case, action):
        side = "a" if case.jurisdiction.path.startswith(world.township("a").path) else "b"
        today = timezone.localdate()
        if action == "accept":
            org, mediator = resident_unit(world, side)
            return {"data": {"mediation_org": org, "mediator": mediator, "assigned_department": org.department}}
        if action == "settle":
            if case.parties.count() < 2:
                from .services import party_add

                for who, where in (("张三", c.PartySide.APPLICANT), ("李四", c.PartySide.RESPONDENT)):
                    party_add(actor=world.users[f"township_{side}"], dispute=case, data={"name": who, "side": where})
            return {"data": {"agreement_form": "written", "agreement_terms": "李四三日内疏通排水沟",
                             "agreement_on": today}}
        if action == "fail":
            return {"data": {"failure_reason": "双方分歧过大", "other_routes": "诉讼"}}
        if action == "transfer":
            return {"data": {"transferred_to_name": "区信访局"}, "note": "涉及信访事项"}
        if action in ("return", "reopen"):
            return {"note": "需重新指派调解组织"}
        if action == "followup":
            return {"data": {"followup_on": today, "followup_result": "performed"}}
        if action == "inform_police":
            return {"data": {"police_informed_on": today}, "note": "双方情绪激动"}
        if action == "judicial_apply":
            return {"data": {"judicial_applied_on": today, "judicial_court": "郊区人民法院"}}
        if action == "judicial_decide":
            # The application is the earlier step; recorded here on the row without a step of its own so the
            # contract test counts one log row for this one (a test-only write of a plain field).
            Dispute.objects.filter(pk=case.pk).update(judicial_applied_on=today, judicial_court="郊区人民法院")
            case.judicial_applied_on = today
            return {"data": {"judicial_result": "confirmed", "judicial_decided_on": today}}
        if action == "grade":
            return {"data": {"grade": "general"}}
        if action == "report_back":
            return {"data": {"report_back_note": "已函告移送单位"}}
        return {}

    @staticmethod
    def assign(world, side, department):
        """A new dispute of township `side` handled by `department` (registered so, like a resident unit's)."""
        return engine.case_register(actor=world.users[f"township_{side}"],
                                    case=DisputeCases.build(world, side, department))


# Part B (registers, subsidy sheets, meetings) keeps its leak factories beside these.
from . import testing_b  # noqa: E402,F401
