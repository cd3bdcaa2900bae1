"""积案: leader, plan and outcome (化解 only when finished, 稳控 when handling with a plan or 已稳控), the 联席会议
through disputes' meeting service, counts."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.cases import engine
from pingan.core.models import AuditEntry
from pingan.disputes.models import Meeting
from pingan.petitions import choices as c
from pingan.petitions.backlog import backlog_counts, backlog_meeting, backlog_set
from pingan.petitions.models import Petition
from pingan.petitions.testing import make_petition

D = dt.date


def _accept(world, p):
    engine.transition(actor=world.officer("a"), case=p, action="accept", data={"accepted_on": p.registered_on})


def test_set_leader_plan_outcome_reads_back(world, clock):
    clock(D(2026, 3, 2))
    officer = world.officer("a")
    p = make_petition(world, "a", registered_on=D(2026, 3, 2), is_backlog=True)
    backlog_set(actor=officer, petition=p, data={"lead_leader": "王镇长", "resolution_plan": "入户核实，分类化解"})
    row = Petition.objects.get(pk=p.pk)
    assert (row.is_backlog, row.lead_leader, row.resolution_plan, row.backlog_outcome) == \
        (True, "王镇长", "入户核实,分类化解", "")  # NFKC: the comma made half-width
    # 待受理: neither 化解 nor 稳控.
    with pytest.raises(ValidationError, match="化解"):
        backlog_set(actor=officer, petition=p, data={"backlog_outcome": "resolved"})
    with pytest.raises(ValidationError, match="稳控"):
        backlog_set(actor=officer, petition=p, data={"backlog_outcome": "stabilised"})
    _accept(world, p)
    # 办理中 with a plan: 稳控 decided while the matter stays open.
    backlog_set(actor=officer, petition=p, data={"backlog_outcome": "stabilised"})
    assert Petition.objects.get(pk=p.pk).backlog_outcome == "stabilised"
    with pytest.raises(ValidationError, match="办结"):
        backlog_set(actor=officer, petition=p, data={"backlog_outcome": "resolved"})
    with pytest.raises(ValidationError, match="化解或稳控"):
        backlog_set(actor=officer, petition=p, data={"backlog_outcome": "done"})
    with pytest.raises(ValidationError, match="先清除"):
        backlog_set(actor=officer, petition=p, data={"is_backlog": False})
    with pytest.raises(ValidationError):
        backlog_set(actor=officer, petition=p, data={"lead_leader": "王" * 51})
    entries = AuditEntry.objects.filter(action="petition.backlog_set", object_id=str(p.pk))
    assert entries.count() == 2


def test_outcome_needs_a_backlog_case_and_the_scope(world, clock):
    clock(D(2026, 3, 2))
    p = make_petition(world, "a", registered_on=D(2026, 3, 2))
    _accept(world, p)
    with pytest.raises(ValidationError, match="只有积案"):
        backlog_set(actor=world.officer("a"), petition=p, data={"backlog_outcome": "stabilised"})
    with pytest.raises(PermissionDenied):
        backlog_set(actor=world.officer("b"), petition=p, data={"lead_leader": "李"})
    with pytest.raises(PermissionDenied):
        backlog_set(actor=world.users["leader"], petition=p, data={"lead_leader": "李"})
    assert Petition.objects.get(pk=p.pk).lead_leader == ""


def test_joint_meeting_through_the_disputes_service(world, clock):
    clock(D(2026, 3, 10))
    p = make_petition(world, "a", registered_on=D(2026, 3, 2), is_backlog=True)
    meeting = backlog_meeting(actor=world.users["center_staff"], petition=p, data={
        "held_on": D(2026, 3, 9), "place": "区信访局会议室", "chair": "王镇长",
        "attendees": "区信访局、区人社局、属地乡镇", "decisions": "限期30日内化解"})
    row = Meeting.objects.get(pk=meeting.pk)
    assert (row.kind, row.held_on, row.attendees, row.decisions) == \
        ("joint", D(2026, 3, 9), "区信访局、区人社局、属地乡镇", "限期30日内化解")
    assert list(p.meetings.values_list("pk", flat=True)) == [meeting.pk]
    plain = make_petition(world, "a")
    with pytest.raises(ValidationError, match="只有积案"):
        backlog_meeting(actor=world.users["center_staff"], petition=plain, data={"held_on": D(2026, 3, 9)})
    with pytest.raises(PermissionDenied):
        backlog_meeting(actor=world.officer("b"), petition=p, data={"held_on": D(2026, 3, 9)})


def test_counts(world, clock):
    clock(D(2026, 3, 2))
    officer = world.officer("a")
    a = make_petition(world, "a", is_backlog=True, registered_on=D(2026, 3, 2))
    make_petition(world, "a", is_backlog=True, registered_on=D(2026, 3, 2))
    make_petition(world, "a", registered_on=D(2026, 3, 2))
    _accept(world, a)
    backlog_set(actor=officer, petition=a, data={"resolution_plan": "方案", "backlog_outcome": "stabilised"})
    assert backlog_counts(Petition.objects.all()) == {"total": 2, "resolved": 0, "stabilised": 1, "open": 1}
