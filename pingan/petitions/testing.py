"""Test support of the petition register: a maker (a registered petition with its petitioner), the leak-test
factories of its models, and the case layer's contract-test factory."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.cases import engine
from pingan.cases.testing import case_factory
from pingan.core.testing import audited, leak_factory, marked, new_marker

from . import choices as c
from .models import AssignedList, LeaderReception, Petition, Petitioner, Topic

# A valid 18-digit number (GB 11643 check character worked by hand: 14031119800101001 → weighted sum 145,
# 145 mod 11 = 2 → "X").
VALID_ID = "14031119800101001X"


def make_petition(world, side: str = "a", *, actor=None, petitioners=None, **overrides) -> Petition:
    """A petition registered by township `side`'s officer on its village (来访, one petitioner)."""
    from .services import petition_register

    data = {"jurisdiction": world.village(side), "form": c.Form.VISIT, "registered_on": timezone.localdate(),
            "content": f"{world.village(side).short_name}村民反映土地补偿款未发放", "head_count": 1,
            "source": c.Source.LOCAL}
    data.update(overrides)
    return petition_register(actor=actor or world.officer(side), data=data,
                             petitioners=petitioners or [{"name": f"信访人{side}", "phone": "13800138000"}])


@leak_factory(Petition)
def _petition(world, side):
    """A petition assigned to the township's 派出所, with a 督办 open on it and a 延期 asked by the handler."""
    marker = new_marker()
    petition = make_petition(world, side, content=f"{marker}反映土地补偿款未发放")
    engine.transition(actor=world.officer(side), case=petition, action="assign",
                      data={"assigned_department": world.departments[f"police_{side}"]})
    engine.supervise(actor=world.users["center_staff"], case=petition, note=f"{marker}督办")
    engine.extension_request(actor=world.users[f"handler_{side}"], case=petition,
                             new_deadline=petition.handling_due_on + dt.timedelta(days=10), reason=f"{marker}申请延期")
    petition.refresh_from_db()
    return marked(petition, marker, petition.number)


@leak_factory(Petitioner)
def _petitioner(world, side):
    marker = new_marker()
    petition = make_petition(world, side, petitioners=[{"name": f"甲{marker[-6:]}", "address": f"{marker}号"}])
    return marked(audited(petition.petitioners.get()), marker, petition.number)


@leak_factory(Topic)
def _topic(world, side):
    marker = new_marker()
    return marked(audited(Topic.objects.create(jurisdiction=world.township(side), name=f"{marker}类")), marker)


@leak_factory(AssignedList)
def _list(world, side):
    marker = new_marker()
    return marked(AssignedList.objects.create(
        jurisdiction=world.township(side), title=f"{marker}交办清单", assigning_body="市信访局",
        level=c.ListLevel.CITY, received_on=timezone.localdate(), deadline=timezone.localdate()), marker)


@leak_factory(LeaderReception)
def _reception(world, side):
    marker = new_marker()
    return marked(audited(LeaderReception.objects.create(
        jurisdiction=world.township(side), leader_name="王镇长", held_on=timezone.localdate(),
        place=f"{marker}接待室", topic=f"{marker}接访")), marker)


# --- the case layer's contract test (pingan/cases/tests/test_contract.py) ----------------------------------
@case_factory("petitions.petition")
class PetitionCases:
    """A petition about township `side`'s village, registered by the township office with the township's
    派出所 (police_<side>) already named as the unit (as a 交办 names it); 受理 by the township office."""

    registrar = "township_{side}"
    reporter = ""
    _handled = [("township_{side}", "accept")]
    _concluded = _handled + [("township_{side}", "conclude")]
    _reviewed = _concluded + [("township_{side}", "review_request"), ("township_{side}", "review_conclude")]
    paths = {
        "handling": _handled,
        "concluded": _concluded,
        "resolved": _handled + [("township_{side}", "resolve")],
        "stabilised": _handled + [("township_{side}", "stabilise")],
        "rejected": [("township_{side}", "reject")],
        "forwarded": [("township_{side}", "forward")],
        "reviewing": _concluded + [("township_{side}", "review_request")],
        "reviewed": _reviewed,
        "rechecking": _reviewed + [("township_{side}", "recheck_request")],
        "rechecked": _reviewed + [("township_{side}", "recheck_request"), ("township_{side}", "recheck_conclude")],
    }

    @staticmethod
    def build(world, side, department=None):
        dept = department or world.departments[f"police_{side}"]
        today = timezone.localdate()
        return Petition(jurisdiction=world.village(side), form=c.Form.VISIT, registered_on=today,
                        content="反映土地补偿款未发放", petitioner_name=f"信访人{side}", head_count=1,
                        source=c.Source.LOCAL, assigned_department=dept,
                        acknowledge_due_on=today + dt.timedelta(days=15), reported_by=world.users[f"township_{side}"])

    @staticmethod
    def inputs(world, case, action):
        today = timezone.localdate()
        result = {"opinion": c.Opinion.SUPPORT, "opinion_reasons": "诉求合理，予以支持", "reply_on": today,
                  "sanwei_solved": True}
        return {
            "accept": {"data": {"accepted_on": today}},
            "assign": {"data": {"assigned_department": case.assigned_department}},
            "forward": {"data": {"forwarded_to": "市自然资源局"}},
            "reject": {"data": {"rejection_reason": c.RejectionReason.LEGAL_ROUTE}, "note": "已进入诉讼程序"},
            "acknowledge": {"data": {"acknowledged_on": today, "acknowledge_method": "当面告知"}},
            "investigate": {"data": {"investigation": "已调取补偿款发放台账"}},
            "hearing": {"data": {"hearing_on": today, "hearing_note": "召开听证会"}},
            "draft_opinion": {"data": {"opinion": c.Opinion.EXPLAIN, "opinion_reasons": "补偿款已发放至村集体"}},
            "tell_extension": {"data": {"extension_told_on": today}, "note": "已告知信访人延期理由"},
            "conclude": {"data": result}, "resolve": {"data": result}, "stabilise": {"data": result},
            "review_request": {"data": {"review_requested_on": today, "review_body": "区信访联席会议办公室"}},
            "review_conclude": {"data": {"review_decision": c.ReviewDecision.UPHOLD, "review_reasons": "维持",
                                         "review_reply_on": today}},
            "recheck_request": {"data": {"recheck_requested_on": today}},
            "recheck_conclude": {"data": {"recheck_decision": c.ReviewDecision.UPHOLD, "recheck_reasons": "维持",
                                          "recheck_reply_on": today}},
        }.get(action, {})

    @staticmethod
    def assign(world, side, department):
        """A new petition of township `side` for `department` (registered with it named, as a 交办 does)."""
        return engine.case_register(actor=world.users[f"township_{side}"],
                                    case=PetitionCases.build(world, side, department))
