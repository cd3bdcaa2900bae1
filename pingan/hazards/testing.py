"""Leak-test factories: a hazard in each township, and a photo attached to its registration."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.core.models import TransitionLog, WorkflowAttachment
from pingan.core.testing import leak_factory

from .choices import HazardType, RiskLevel
from .models import Hazard


def make_hazard(world, side: str = "a", *, actor=None, **overrides) -> Hazard:
    """A registered hazard in township `side`'s village, assigned to that township's 派出所."""
    from .services import hazard_register

    today = timezone.localdate()
    data = {
        "jurisdiction": world.village(side), "screened_on": today - dt.timedelta(days=3),
        "hazard_type": HazardType.FIRE, "risk_level": RiskLevel.MEDIUM,
        "description": f"{world.village(side).short_name}废品收购站堆放易燃物，消防通道堵塞",
        "responsible_department": world.departments[f"police_{side}"], "responsible_person": f"责任人{side}",
    }
    data.update(overrides)
    return hazard_register(actor=actor or world.officer(side), data=data)


@leak_factory(Hazard)
def _hazard(world, side):
    return make_hazard(world, side)


@leak_factory(WorkflowAttachment)
def _attachment(world, side):
    hazard = make_hazard(world, side)
    log = TransitionLog.objects.for_case(hazard).first()
    return WorkflowAttachment.objects.create(
        log=log, case_type=log.case_type, case_id=log.case_id, jurisdiction=hazard.jurisdiction,
        department=hazard.responsible_department, file=f"workflow/leak/{side}.png", name=f"现场照片{side}号.png",
        content_type="image/png", size=100)
