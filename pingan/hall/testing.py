"""Leak-test factories of the one window (one record of each model inside township `side`, carrying a marker)
and the public lookup page, which shows no jurisdiction data."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pingan.core.testing import leak_factory, marked, new_marker, unscoped_route

from . import choices as c
from .models import Appointment, Counsellor, DutySlot, DutyUnit, HallVisitor, Matter

unscoped_route("hall:track", "群众凭事项码和查询码查询进展，不登录；只显示去向与进展，不含个人信息和辖区数据")


def make_matter(world, side: str = "a", *, actor=None, **overrides) -> Matter:
    """A matter registered at township `side`'s hall by its township office."""
    from .services import matter_register

    data = {"name": f"来访人{side}", "phone": "13912345678" if side == "a" else "13812340000",
            "channel": c.Channel.VISIT, "category": c.Category.NEIGHBOUR, "topic": "邻居装修漏水",
            "summary": "楼上装修导致卫生间漏水，协商未果", "window": "1号窗口"}
    data.update(overrides)
    return matter_register(actor=actor or world.officer(side), data=data)


def make_counsellor(world, side: str = "a", *, user=None, name: str = "") -> Counsellor:
    from .services import counsellor_create

    return counsellor_create(actor=world.officer(side), data={
        "jurisdiction": world.township(side), "name": name or f"咨询师{side}", "organisation": "区心理咨询协会",
        "user": user})


@leak_factory(Matter)
def _matter(world, side):
    marker = new_marker()
    matter = make_matter(world, side, topic=f"邻居纠纷{marker}")
    return marked(matter, marker, matter.code)


@leak_factory(HallVisitor)
def _visitor(world, side):
    marker = new_marker()
    matter = make_matter(world, side, name=f"访客{marker}", phone="", channel=c.Channel.LETTER)
    return marked(matter.visitor, marker)


@leak_factory(Counsellor)
def _counsellor(world, side):
    marker = new_marker()
    return marked(make_counsellor(world, side, name=f"咨询师{marker}"), marker)


@leak_factory(Appointment)
def _appointment(world, side):
    from .services import appointment_book

    # The marker goes into the room (shown on the appointment's pages and its history), not into the
    # counsellor's name: the counsellor register, which every reference reader sees, lists that name.
    marker = new_marker()
    matter = make_matter(world, side, category=c.Category.PSYCH)
    counsellor = make_counsellor(world, side, name=f"预约咨询师{side}")
    start = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=2)
    appointment = appointment_book(actor=world.officer(side), visitor=matter.visitor, matter=matter,
                                   counsellor=counsellor, starts_at=start, room=f"心理服务室{marker}")
    return marked(appointment, marker)


def _unit(world, side, marker):
    from .services import duty_unit_create

    return duty_unit_create(actor=world.officer(side), hall=world.township(side),
                            data={"name": f"司法所{marker}", "kind": c.DutyKind.RESIDENT, "window": "2号窗口"})


@leak_factory(DutyUnit)
def _duty_unit(world, side):
    marker = new_marker()
    return marked(_unit(world, side, marker), marker)


@leak_factory(DutySlot)
def _duty_slot(world, side):
    from .services import duty_slot_create

    marker = new_marker()
    slot = duty_slot_create(actor=world.officer(side), unit=_unit(world, side, marker), date=timezone.localdate())
    return marked(slot, marker)


unscoped_route("api:hall-lookup", "群众查询接口：凭事项码和查询码，只返回去向与进展")
