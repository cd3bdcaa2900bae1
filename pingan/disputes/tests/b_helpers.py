"""Helpers of part B's tests: organisations, mediators and disputes made directly through the case layer
(so these tests do not depend on the registration form), each in township `side` ("a" 河底镇, "b" 荫营镇)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from pingan.cases import engine
from pingan.disputes import choices as c
from pingan.disputes.models import Dispute, DisputeParty, MediationOrg, Mediator

S = c.DisputeState


def org(world, side="a", *, village=True, name=None):
    node = world.village(side) if village else world.township(side)
    return MediationOrg.objects.create(jurisdiction=node, name=name or f"{node.name[:2]}人民调解委员会",
                                       kind=c.OrgKind.VILLAGE if village else c.OrgKind.TOWNSHIP)


def mediator(world, side="a", *, organisation=None, name=None, user=None):
    organisation = organisation or org(world, side)
    return Mediator.objects.create(jurisdiction=organisation.jurisdiction, org=organisation,
                                   name=name or f"调解员{side}", user=user)


def dispute(world, side="a", *, state=S.REGISTERED, registered=dt.date(2017, 3, 1), closed=None, grade="",
            who=None, scale=c.Scale.INDIVIDUAL, people=2, graded_on=None, **extra):
    """A dispute registered in bulk (as a ledger or the seed would) in the state given, its state begun on the
    day it was registered (so an old open one is overdue)."""
    extra.setdefault("state_changed_at", dt.datetime.combine(registered, dt.time(9, 0),
                                                            tzinfo=timezone.get_current_timezone()))
    d = Dispute(jurisdiction=world.village(side), title=extra.pop("title", "宅基地纠纷"), occurred_on=registered,
                registered_on=registered, category="0902", summary="两户因宅基地界址争执", scale=scale,
                people_count=people, state=state, closed_on=closed, grade=grade,
                graded_on=graded_on or (closed if grade else None), mediator=who,
                mediation_org=who.org if who else None, **extra)
    engine.case_register_bulk(actor=None, cases=[d], day_of=lambda x: x.registered_on)
    return d


def party(d, name, **extra):
    return DisputeParty.objects.create(dispute=d, name=name, **extra)


def yuan(value) -> Decimal:
    return Decimal(str(value))
