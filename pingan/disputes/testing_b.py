"""Leak-test factories of part B's models (imported by testing.py, which the generic leak test discovers):
a subsidy rate, a subsidy sheet, a meeting and a follow-up in township `side`, each carrying a marker its
pages show."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from pingan.cases import engine
from pingan.core.testing import audited, leak_factory, marked, new_marker

from . import choices as c
from .models import Dispute, MediationOrg, Mediator, Meeting, MeetingFollowUp, SubsidyRate, SubsidySheet


@leak_factory(SubsidyRate)
def _rate(world, side):
    """A township's rate: the amount (unique to this record) is what its pages show."""
    amount = Decimal(f"{random.randrange(10000, 99999)}.37")
    grade = random.choice(c.Grade.values)
    rate = SubsidyRate.objects.filter(jurisdiction=world.township(side), grade=grade).first()
    if rate is None:
        rate = SubsidyRate.objects.create(jurisdiction=world.township(side), grade=grade, amount=amount)
    else:
        SubsidyRate.objects.filter(pk=rate.pk).update(amount=amount)
        rate.amount = amount
    return marked(audited(rate), str(amount))


@leak_factory(SubsidySheet)
def _sheet(world, side):
    """A draft sheet of last month holding one graded case whose title carries the marker."""
    from .subsidy import sheet_build

    marker = new_marker()
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    # The organisation and mediator carry no marker: their own register pages show them to others by design.
    org = MediationOrg.objects.create(jurisdiction=world.village(side), name=f"补贴测试调委会{random.randrange(10**6)}",
                                      kind=c.OrgKind.VILLAGE)
    mediator = Mediator.objects.create(jurisdiction=org.jurisdiction, org=org, name="补贴测试调解员")
    # The case sits at the township (as the sheet does): a village persona, who may not see the township's sheet,
    # must not meet the sheet's marker on its own disputes list either.
    dispute = Dispute(jurisdiction=world.township(side), title=f"{marker}纠纷", occurred_on=month,
                      registered_on=month, category="0902", summary="界址争执", state=c.DisputeState.ARCHIVED,
                      closed_on=month + dt.timedelta(days=2), grade=c.Grade.SIMPLE, graded_on=month,
                      mediator=mediator, mediation_org=org)
    engine.case_register_bulk(actor=None, cases=[dispute], day_of=lambda d: d.registered_on)
    existing = SubsidySheet.objects.filter(jurisdiction=world.township(side), month=month).first()
    if existing is not None and existing.status == c.SheetStatus.APPROVED:
        month = month.replace(year=month.year - 1)
    sheet = sheet_build(actor=world.officer(side), node=world.township(side), month=month)
    return marked(audited(sheet, detail=f"{dispute.number} {marker}"), marker, dispute.number)


def _meeting(world, side, marker):
    return Meeting.objects.create(jurisdiction=world.township(side), held_on=timezone.localdate(),
                                  attendees=f"综治办{marker}", decisions=f"包案化解{marker}", place="镇会议室")


@leak_factory(Meeting)
def _meeting_factory(world, side):
    marker = new_marker()
    return marked(audited(_meeting(world, side, marker)), marker)


@leak_factory(MeetingFollowUp)
def _follow_up(world, side):
    marker = new_marker()
    meeting = _meeting(world, side, marker)
    item = MeetingFollowUp.objects.create(meeting=meeting, task=f"督办{marker}", responsible="司法所",
                                          due_on=timezone.localdate())
    item.jurisdiction = meeting.jurisdiction  # the role net reads a record's place from `jurisdiction`
    return marked(audited(item), marker)
