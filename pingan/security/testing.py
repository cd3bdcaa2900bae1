"""Leak-test factories: one record of each register in township `side`, each carrying a marker."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pingan.core.testing import leak_factory, marked, new_marker

from . import services
from .choices import AudienceKind, CameraType, ForceType
from .models import Attendance, Camera, Patrol, SecurityOfficer, Team, TeamMember, TrainingSession

DAY = dt.date(2017, 5, 4)


def make_team(world, side: str = "a", **overrides) -> Team:
    data = {"name": f"{world.village(side).short_name}义务巡防队", "kind": ForceType.VOLUNTARY_PATROL,
            "jurisdiction": world.township(side), "leader_name": f"队长{side}", "area": "村内主街"}
    data.update(overrides)
    return services.team_create(actor=world.officer(side), data=data)


def make_patrol(world, side: str = "a", team: Team | None = None, **overrides) -> Patrol:
    data = {"team": team or make_team(world, side), "patrolled_on": DAY, "area": "村口至学校",
            "findings": "村口路灯损坏两盏，夜间照明不足"}
    data.update(overrides)
    return services.patrol_create(actor=world.officer(side), data=data)


def make_camera(world, side: str = "a", **overrides) -> Camera:
    data = {"code": f"CAM{side.upper()}{new_marker()[2:10]}", "name": f"{world.village(side).short_name}村口",
            "jurisdiction": world.village(side), "camera_type": CameraType.BULLET, "hd": True, "networked": True,
            "latitude": Decimal("37.851000"), "longitude": Decimal("113.551000")}
    data.update(overrides)
    return services.camera_create(actor=world.officer(side), data=data)


def make_session(world, side: str = "a", **overrides) -> TrainingSession:
    data = {"held_on": DAY, "topic": "治安防范培训", "audience": AudienceKind.SECURITY_COMMITTEE,
            "jurisdiction": world.township(side), "hours": Decimal("2")}
    data.update(overrides)
    return services.session_create(actor=world.officer(side), data=data)


@leak_factory(Team)
def _team(world, side):
    marker = new_marker()
    return marked(make_team(world, side, name=f"{marker}巡防队"), marker)


@leak_factory(TeamMember)
def _member(world, side):
    marker = new_marker()
    member = services.member_create(actor=world.officer(side), data={
        "team": make_team(world, side), "name": f"{marker}队员", "jurisdiction": world.grid(side), "joined_on": DAY})
    return marked(member, marker)


@leak_factory(SecurityOfficer)
def _officer(world, side):
    marker = new_marker()
    officer = services.officer_create(actor=world.officer(side), data={
        "name": f"{marker}管理员", "jurisdiction": world.village(side), "since": DAY})
    return marked(officer, marker)


@leak_factory(Patrol)
def _patrol(world, side):
    marker = new_marker()
    return marked(make_patrol(world, side, area=f"{marker}巡防区域", findings=f"{marker}发现路灯损坏"), marker)


@leak_factory(Camera)
def _camera(world, side):
    marker = new_marker()
    return marked(make_camera(world, side, code=marker, name=f"{marker}探头"), marker)


@leak_factory(TrainingSession)
def _session(world, side):
    marker = new_marker()
    return marked(make_session(world, side, topic=f"{marker}培训"), marker)


@leak_factory(Attendance)
def _attendance(world, side):
    marker = new_marker()
    attendance = services.attendance_create(actor=world.officer(side), data={
        "session": make_session(world, side), "name": f"{marker}学员"})
    return marked(attendance, marker)
