"""The contract test's factories for the kinds that exist today (events, hazards).

A new kind registers its own with `pingan.cases.testing.case_factory` in its app's `testing.py`; until it
does, the contract test fails for it, naming the hook. See pingan/cases/testing.py for what a factory holds.
"""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.cases.testing import case_factory


@case_factory("events.event")
class EventCases:
    """A grid worker's report in township `side`'s grid, taken by the centre and dispatched to the township's
    派出所 (police_<side>)."""

    registrar = "grid_{side}"
    reporter = "grid_{side}"
    paths = {
        "registered": [("center_staff", "register")],
        "dispatched": [("center_staff", "register"), ("center_staff", "dispatch")],
        "handling": [("center_staff", "register"), ("center_staff", "dispatch"), ("handler_{side}", "accept")],
        "checking": [("center_staff", "register"), ("center_staff", "dispatch"), ("handler_{side}", "accept"),
                     ("handler_{side}", "feedback")],
        "closed": [("center_staff", "register"), ("center_staff", "dispatch"), ("handler_{side}", "accept"),
                   ("handler_{side}", "feedback"), ("center_staff", "close")],
        "rejected": [("center_staff", "reject")],
        "duplicate": [("center_staff", "duplicate")],
    }

    @staticmethod
    def _category(world):
        from pingan.events.models import Category
        from pingan.events.testing import make_categories

        return Category.objects.filter(code="0401").first() or make_categories(world)["garbage"]

    @staticmethod
    def build(world, side):
        from pingan.events.choices import Source
        from pingan.events.models import Event

        grid = world.grid(side)
        return Event(jurisdiction=grid, category=EventCases._category(world),
                     description=f"{world.village(side).short_name}路口垃圾堆放", address=f"{grid.name}路口",
                     attributes={"kind": "living"}, source=Source.GRID, reporter=world.users[f"grid_{side}"],
                     reported_at=timezone.now())

    @staticmethod
    def inputs(world, case, action):
        side = "a" if case.jurisdiction.path.startswith(world.township("a").path) else "b"
        if action == "dispatch":
            return {"data": {"assigned_department": world.departments[f"police_{side}"]}}
        if action == "feedback":
            return {"data": {"handling_result": "已清理完毕"}}
        if action == "duplicate":
            from pingan.cases.testing import register

            return {"data": {"duplicate_of": register(world, side, "events.event")}}
        if action in ("reject", "return", "send_back", "reopen"):
            return {"note": "理由：测试"}
        if action == "evaluate":
            return {"data": {"satisfaction": "satisfied"}}
        return {}

    @staticmethod
    def assign(world, side, department):
        """A new case of township `side` dispatched to `department` (派遣)."""
        from pingan.cases import engine
        from pingan.cases.testing import make_case

        case = make_case(world, side, "events.event", "registered")
        engine.transition(actor=world.users["center_staff"], case=case, action="dispatch",
                          data={"assigned_department": department})
        case.refresh_from_db()
        return case


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
