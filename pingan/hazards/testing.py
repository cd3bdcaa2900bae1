"""Leak-test factories: a hazard in each township, and a photo attached to its registration."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.cases import engine
from pingan.cases.models import TransitionLog, WorkflowAttachment
from pingan.cases.testing import case_factory
from pingan.core.testing import leak_factory, marked, new_marker

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
    """A hazard with a 督办 of the centre open on it, so the supervision-reply route has something to answer."""
    marker = new_marker()
    hazard = make_hazard(world, side, description=f"{marker}{world.village(side).short_name}废品收购站堆放易燃物",
                         location=f"{world.village(side).short_name}{marker}号")
    engine.supervise(actor=world.users["center_staff"], case=hazard, note=f"{marker}督办")
    # ... and an extension asked by the township (the decide route's subject).
    engine.extension_request(actor=world.officer(side), case=hazard,
                             new_deadline=hazard.rectify_deadline + dt.timedelta(days=10), reason=f"{marker}申请延期")
    hazard.refresh_from_db()
    return marked(hazard, marker, hazard.number)


@leak_factory(WorkflowAttachment)
def _attachment(world, side):
    """A photo of a hazard's registration, stored for real: its bytes carry the marker, so a download that
    should have been refused is caught by its body as well as its status."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    marker = new_marker()
    hazard = make_hazard(world, side)
    log = TransitionLog.objects.for_case(hazard).first()
    path = default_storage.save(f"workflow/leak/{marker}.png", ContentFile(f"not-a-png {marker}".encode()))
    attachment = WorkflowAttachment.objects.create(
        log=log, case_type=log.case_type, case_id=log.case_id, jurisdiction=hazard.jurisdiction,
        department=hazard.responsible_department, file=path, name=f"现场照片{marker}.png",
        content_type="image/png", size=100)
    return marked(attachment, marker, hazard.number)


# The case layer's contract test (pingan/cases/tests/test_contract.py) makes this kind's cases with this.
@case_factory("hazards.hazard")
class HazardCases:
    """A fire hazard screened in township `side`'s village by its township office, to be rectified by the
    township's 派出所 (police_<side>)."""

    registrar = "township_{side}"
    reporter = ""
    paths = {
        "rectifying": [("handler_{side}", "start")],
        "awaiting_acceptance": [("handler_{side}", "complete")],
        "rectified": [("handler_{side}", "complete"), ("township_{side}", "accept")],
    }

    @staticmethod
    def build(world, side, department=None):
        from pingan.hazards.choices import HazardType, RiskLevel
        from pingan.hazards.models import Hazard

        dept = department or world.departments[f"police_{side}"]
        return Hazard(jurisdiction=world.village(side), screened_on=timezone.localdate() - dt.timedelta(days=3),
                      hazard_type=HazardType.FIRE, risk_level=RiskLevel.MEDIUM,
                      description=f"{world.village(side).short_name}废品收购站堆放易燃物",
                      responsible_department=dept, responsible_unit_name=dept.name, responsible_person=f"责任人{side}",
                      reported_by=world.users[f"township_{side}"])

    @staticmethod
    def inputs(world, case, action):
        if action == "complete":
            return {"data": {"rectified_on": timezone.localdate(), "measures": "已清理易燃物"}}
        if action == "send_back":
            return {"note": "围挡高度不够"}
        return {}

    @staticmethod
    def assign(world, side, department):
        """Hazards are assigned when registered: a new hazard of township `side` for `department`."""
        from pingan.cases import engine

        return engine.case_register(actor=world.users[f"township_{side}"],
                                    case=HazardCases.build(world, side, department))
