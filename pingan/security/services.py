"""Every write of the security registers: `<entity>_<verb>(*, actor, ...)`, one transaction, validation in
Chinese keyed by field, the write and its audit entry (core.services.model_create / model_update, which compare
with the stored row). `actor=None` is the system (seed, migrations) and passes the role and scope checks."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from pingan.core import audit, personal
from pingan.core.services import model_create, model_update
from pingan.events import services as event_services
from pingan.events.choices import Source
from pingan.geo.choices import Level
from pingan.geo.models import Node

from .models import Attendance, Camera, Patrol, SecurityOfficer, Team, TeamMember, TrainingSession

MANAGE = "security.manage"
VILLAGE_LEVELS = (Level.VILLAGE, Level.COMMUNITY)
TEAM_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY)
MEMBER_LEVELS = (Level.VILLAGE, Level.COMMUNITY, Level.GRID)
CODE_RE = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")
# How far outside the outermost nodes of the district a camera may stand (degrees, about 5 km).
DISTRICT_MARGIN = Decimal("0.05")


# ------------------------------------------------------------------------------------------------ helpers
def require(actor: Any) -> None:
    if actor is not None and not actor.can(MANAGE):
        raise PermissionDenied("您的角色不能维护社会治安登记信息。")


def in_scope(actor: Any, node: Node | None) -> bool:
    return actor is None or (node is not None and bool(actor.scope_path) and node.path.startswith(actor.scope_path))


def check_place(actor: Any, node: Any, *, levels: tuple, field: str = "jurisdiction", what: str = "所在地") -> Node:
    if node is None:
        raise ValidationError({field: f"请选择{what}。"})
    if node.level not in levels:
        names = "、".join(sorted({str(Level(lv).label) for lv in levels}))
        raise ValidationError({field: f"{what}应为{names}，“{node.name}”不是。"})
    if not in_scope(actor, node):
        raise ValidationError({field: f"{what}不在您的管辖范围内。"})
    return node


def _text(data: dict[str, Any], field: str, label: str, *, required: bool = True, max_length: int = 100) -> None:
    if field not in data:
        return
    value = personal.clean_text(data.get(field))
    if required and not value:
        raise ValidationError({field: f"请填写{label}。"})
    if len(value) > max_length:
        raise ValidationError({field: f"{label}最多 {max_length} 字。"})
    data[field] = value


def _phone(data: dict[str, Any], field: str = "phone") -> None:
    if field in data:
        try:
            data[field] = personal.parse_phone(data.get(field) or "")
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None


def _not_future(value: Any, field: str, label: str) -> None:
    if value and value > timezone.localdate():
        raise ValidationError({field: f"{label}（{value:%Y-%m-%d}）不能晚于今天。"})


def _merged(instance: Any, data: dict[str, Any]) -> Any:
    """The value of a field after the change: from `data`, else the stored one (partial API updates)."""
    def get(name: str) -> Any:
        return data[name] if name in data else (getattr(instance, name) if instance is not None else None)
    return get


def _township_path(node: Node) -> str:
    """The path of the township a node lies in ('' for the county and above)."""
    if node.level == Level.TOWNSHIP:
        return node.path
    township = node.township()
    return township.path if township is not None else ""


def _refuse_foreign(actor: Any, obj: Any) -> None:
    """A record outside the actor's scope is never written (the pages and API answer 404 before this)."""
    if actor is not None and not type(obj).objects.visible_to(actor).filter(pk=obj.pk).exists():
        raise ValidationError({"__all__": "记录不存在或不在您的管辖范围内。"})


def _delete(*, actor: Any, instance: Any, action: str) -> None:
    require(actor)
    _refuse_foreign(actor, instance)
    snapshot = audit.redacted_snapshot(instance)
    audit.record(actor=actor, action=action, obj=instance, changes={"before": snapshot})
    instance.delete()


# --------------------------------------------------------------------------------------------------- teams
def _clean_team(actor: Any, data: dict[str, Any], instance: Team | None = None) -> dict[str, Any]:
    data = dict(data)
    get = _merged(instance, data)
    if "jurisdiction" in data or instance is None:
        check_place(actor, data.get("jurisdiction"), levels=TEAM_LEVELS, what="队伍所在地")
    _text(data, "name", "队伍名称")
    _text(data, "leader_name", "负责人", required=False, max_length=50)
    _text(data, "area", "巡防区域", required=False, max_length=200)
    _phone(data)
    if instance is None and not get("kind"):
        raise ValidationError({"kind": "请选择组织类型。"})
    _not_future(get("founded_on"), "founded_on", "成立日期")
    return data


@transaction.atomic
def team_create(*, actor: Any, data: dict[str, Any]) -> Team:
    """Register a 群防群治 team (GB/T 31000 5.6 type) of a township, village or the district."""
    require(actor)
    return model_create(actor=actor, model=Team, action="team.create", data=_clean_team(actor, data))


@transaction.atomic
def team_update(*, actor: Any, instance: Team, data: dict[str, Any]) -> Team:
    require(actor)
    _refuse_foreign(actor, instance)
    data = _clean_team(actor, data, instance)
    if "jurisdiction" in data and data["jurisdiction"] != instance.jurisdiction and instance.members.exists():
        new = data["jurisdiction"]
        if new.level != Level.COUNTY and instance.members.exclude(jurisdiction__path__startswith=_township_path(new)).exists():
            raise ValidationError({"jurisdiction": "队伍有队员不在新所在地的乡镇，不能改到该地。"})
    return model_update(actor=actor, instance=instance, data=data, action="team.update")[0]


@transaction.atomic
def team_delete(*, actor: Any, instance: Team) -> None:
    if instance.members.exists() or instance.patrols.exists():
        raise ValidationError({"__all__": "队伍还有队员或巡防记录，不能删除：请先移除队员。"})
    _delete(actor=actor, instance=instance, action="team.delete")


# ------------------------------------------------------------------------------------------------- members
def _clean_member(actor: Any, data: dict[str, Any], instance: TeamMember | None = None) -> dict[str, Any]:
    data = dict(data)
    get = _merged(instance, data)
    team = get("team")
    if team is None:
        raise ValidationError({"team": "请选择所属队伍。"})
    if "team" in data and not in_scope(actor, team.jurisdiction):
        raise ValidationError({"team": "所选队伍不存在或不在您的管辖范围内。"})
    person = get("person")
    if "person" in data and person is not None:
        if actor is not None and not type(person).objects.visible_to(actor).filter(pk=person.pk).exists():
            raise ValidationError({"person": "所选人员不存在或不在您的管辖范围内。"})
        if person.deregistered_on:
            raise ValidationError({"person": f"{person.name}已注销，不能加入队伍。"})
        data["jurisdiction"] = person.jurisdiction
        if not personal.clean_text(data.get("name")):
            data["name"] = person.name
    place = get("jurisdiction")
    if place is None:
        raise ValidationError({"jurisdiction": "请选择队员所在村(社区)或网格（实有人口可只填人员编号）。"})
    if "jurisdiction" in data:
        check_place(actor, place, levels=MEMBER_LEVELS, what="队员所在地")
    if team.jurisdiction.level != Level.COUNTY:
        team_township = _township_path(team.jurisdiction)
        if not place.path.startswith(team_township):
            raise ValidationError({"jurisdiction": f"队员所在地（{place.name}）不属于队伍所在乡镇：乡镇、村的队伍只能吸收"
                                                   "本乡镇人员（区级队伍不限）。"})
    _text(data, "name", "姓名", max_length=50)
    _phone(data)
    joined, left = get("joined_on"), get("left_on")
    if joined is None and instance is None:
        raise ValidationError({"joined_on": "请填写加入日期。"})
    _not_future(joined, "joined_on", "加入日期")
    if joined and left and left < joined:
        raise ValidationError({"left_on": f"退出日期不能早于加入日期（{joined:%Y-%m-%d}）。"})
    return data


@transaction.atomic
def member_create(*, actor: Any, data: dict[str, Any]) -> TeamMember:
    """Add a member to a team: a resident from the people register (their grid is their place) or a name with
    the village they live in; from the team's township unless the team is the district's."""
    require(actor)
    return model_create(actor=actor, model=TeamMember, action="team_member.create", data=_clean_member(actor, data))


@transaction.atomic
def member_update(*, actor: Any, instance: TeamMember, data: dict[str, Any]) -> TeamMember:
    require(actor)
    _refuse_foreign(actor, instance)
    return model_update(actor=actor, instance=instance, data=_clean_member(actor, data, instance),
                        action="team_member.update")[0]


@transaction.atomic
def member_delete(*, actor: Any, instance: TeamMember) -> None:
    _delete(actor=actor, instance=instance, action="team_member.delete")


# ------------------------------------------------------------------------------------------------ officers
def _clean_officer(actor: Any, data: dict[str, Any], instance: SecurityOfficer | None = None) -> dict[str, Any]:
    data = dict(data)
    get = _merged(instance, data)
    person = get("person")
    if "person" in data and person is not None:
        if actor is not None and not type(person).objects.visible_to(actor).filter(pk=person.pk).exists():
            raise ValidationError({"person": "所选人员不存在或不在您的管辖范围内。"})
        if not personal.clean_text(data.get("name")):
            data["name"] = person.name
    if "jurisdiction" in data or instance is None:
        check_place(actor, data.get("jurisdiction"), levels=VILLAGE_LEVELS, what="所在村(社区)")
    _text(data, "name", "姓名", max_length=50)
    _phone(data)
    since, until = get("since"), get("until")
    if since is None and instance is None:
        raise ValidationError({"since": "请填写任职日期。"})
    _not_future(since, "since", "任职日期")
    if since and until and until < since:
        raise ValidationError({"until": f"离任日期不能早于任职日期（{since:%Y-%m-%d}）。"})
    return data


@transaction.atomic
def officer_create(*, actor: Any, data: dict[str, Any]) -> SecurityOfficer:
    """Put a 治安管理员 on a village's roster."""
    require(actor)
    return model_create(actor=actor, model=SecurityOfficer, action="security_officer.create",
                        data=_clean_officer(actor, data))


@transaction.atomic
def officer_update(*, actor: Any, instance: SecurityOfficer, data: dict[str, Any]) -> SecurityOfficer:
    require(actor)
    _refuse_foreign(actor, instance)
    return model_update(actor=actor, instance=instance, data=_clean_officer(actor, data, instance),
                        action="security_officer.update")[0]


@transaction.atomic
def officer_delete(*, actor: Any, instance: SecurityOfficer) -> None:
    _delete(actor=actor, instance=instance, action="security_officer.delete")


# ------------------------------------------------------------------------------------------------- patrols
def _clean_patrol(actor: Any, data: dict[str, Any], instance: Patrol | None = None) -> dict[str, Any]:
    data = dict(data)
    data.pop("event", None)  # set only by patrol_to_event
    get = _merged(instance, data)
    team = get("team")
    if team is None:
        raise ValidationError({"team": "请选择巡防队伍。"})
    if "team" in data:
        if not in_scope(actor, team.jurisdiction):
            raise ValidationError({"team": "所选队伍不存在或不在您的管辖范围内。"})
        data["jurisdiction"] = team.jurisdiction
    day = get("patrolled_on")
    if day is None:
        raise ValidationError({"patrolled_on": "请填写巡防日期。"})
    _not_future(day, "patrolled_on", "巡防日期")
    _text(data, "area", "巡防区域", max_length=200)
    _text(data, "findings", "发现情况", required=False, max_length=2000)
    return data


@transaction.atomic
def patrol_create(*, actor: Any, data: dict[str, Any]) -> Patrol:
    """Record one patrol of a team (its place is the team's)."""
    require(actor)
    return model_create(actor=actor, model=Patrol, action="patrol.create", data=_clean_patrol(actor, data))


@transaction.atomic
def patrol_update(*, actor: Any, instance: Patrol, data: dict[str, Any]) -> Patrol:
    require(actor)
    _refuse_foreign(actor, instance)
    return model_update(actor=actor, instance=instance, data=_clean_patrol(actor, data, instance),
                        action="patrol.update")[0]


@transaction.atomic
def patrol_delete(*, actor: Any, instance: Patrol) -> None:
    if instance.event_id:
        raise ValidationError({"__all__": "该巡防发现已转为网格事件，记录不能删除。"})
    _delete(actor=actor, instance=instance, action="patrol.delete")


@transaction.atomic
def patrol_to_event(*, actor: Any, patrol: Patrol, category: Any, jurisdiction: Node | None, description: Any,
                    urgency: str = "normal", address: str = "") -> tuple[Any, bool]:
    """A patrol's finding becomes a grid event in one step, registered by the events module's own service
    (`events.services.event_report`), and the patrol links to it. A second call gives back the same event
    (False) and writes nothing. Returns (event, created)."""
    require(actor)
    _refuse_foreign(actor, patrol)
    locked = Patrol.objects.select_for_update().select_related("jurisdiction").get(pk=patrol.pk)
    if locked.event_id:
        return locked.event, False  # the event fetched by itself: FOR UPDATE may not reach an outer join
    if jurisdiction is not None and not jurisdiction.path.startswith(locked.jurisdiction.path) \
            and not locked.jurisdiction.path.startswith(jurisdiction.path):
        raise ValidationError({"jurisdiction": "事件所在地应在巡防队伍的辖区内。"})
    report = event_services.event_report(actor=actor, category=category, description=description,
                                         jurisdiction=jurisdiction, urgency=urgency, address=address,
                                         source=Source.CENTRE)
    locked.event = report.event
    locked.save(update_fields=["event", "updated_at"])
    audit.record(actor=actor, action="patrol.to_event", obj=locked,
                 changes={"event": [None, report.event.pk]}, detail=f"转为网格事件 {report.event.number}")
    patrol.event = report.event
    return report.event, True


# ------------------------------------------------------------------------------------------------- cameras
def district_box(node: Node) -> tuple[Decimal, Decimal, Decimal, Decimal] | None:
    """(min lat, max lat, min lng, max lng) of the district (county) a node lies in: its nodes' coordinates
    widened by DISTRICT_MARGIN; None when no node of it has coordinates."""
    county = node if node.level == Level.COUNTY else Node.objects.filter(
        code__in=node.ancestor_codes(), level=Level.COUNTY).first()
    root = county or node
    box = Node.objects.filter(path__startswith=root.path, latitude__isnull=False, longitude__isnull=False).aggregate(
        a=Min("latitude"), b=Max("latitude"), c=Min("longitude"), d=Max("longitude"))
    if box["a"] is None:
        return None
    m = DISTRICT_MARGIN
    return (box["a"] - m, box["b"] + m, box["c"] - m, box["d"] + m)


def check_point(lat: Any, lng: Any, box: tuple | None) -> tuple[Decimal | None, Decimal | None]:
    """Both coordinates or neither; numbers in range; inside the district's box. ValidationError in Chinese."""
    if lat in (None, "") and lng in (None, ""):
        return None, None
    if lat in (None, "") or lng in (None, ""):
        raise ValidationError({"latitude": "经度和纬度须同时填写（或都不填）。"})
    try:
        lat_d, lng_d = Decimal(str(lat)), Decimal(str(lng))
        if not (lat_d.is_finite() and lng_d.is_finite()):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValidationError({"latitude": "经纬度应为数字（如 37.856123、113.561234）。"}) from None
    if not (-90 <= lat_d <= 90 and -180 <= lng_d <= 180):
        raise ValidationError({"latitude": f"经纬度超出范围（纬度 {lat_d}，经度 {lng_d}）。"})
    lat_d, lng_d = lat_d.quantize(Decimal("0.000001")), lng_d.quantize(Decimal("0.000001"))
    if box is not None and not (box[0] <= lat_d <= box[1] and box[2] <= lng_d <= box[3]):
        raise ValidationError({"latitude": f"探头位置（纬度 {lat_d}，经度 {lng_d}）不在本区范围内，请核对经纬度。"})
    return lat_d, lng_d


def _clean_camera(actor: Any, data: dict[str, Any], instance: Camera | None = None) -> dict[str, Any]:
    data = dict(data)
    get = _merged(instance, data)
    if "jurisdiction" in data or instance is None:
        check_place(actor, data.get("jurisdiction"), levels=VILLAGE_LEVELS, what="所属村(社区)")
    if "code" in data or instance is None:
        code = personal.clean_text(data.get("code")).replace(" ", "")
        if not code:
            raise ValidationError({"code": "请填写探头编号。"})
        if not CODE_RE.match(code):
            raise ValidationError({"code": f"探头编号“{code[:40]}”格式不正确：只能包含字母、数字、下划线和短横线，最长 40 位。"})
        clash = Camera.objects.filter(code=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise ValidationError({"code": f"探头编号“{code}”已被登记，不能重复。"})
        data["code"] = code
    _text(data, "name", "名称")
    _text(data, "owner", "建设单位", required=False)
    _text(data, "stream_id", "视频平台编号", required=False, max_length=64)
    _not_future(get("installed_on"), "installed_on", "安装日期")
    if "latitude" in data or "longitude" in data:
        place = get("jurisdiction")
        data["latitude"], data["longitude"] = check_point(get("latitude"), get("longitude"), district_box(place))
    return data


@transaction.atomic
def camera_create(*, actor: Any, data: dict[str, Any]) -> Camera:
    """Register a camera of the video network in a village (coordinates optional, inside the district)."""
    require(actor)
    return model_create(actor=actor, model=Camera, action="camera.create", data=_clean_camera(actor, data))


@transaction.atomic
def camera_update(*, actor: Any, instance: Camera, data: dict[str, Any]) -> Camera:
    require(actor)
    _refuse_foreign(actor, instance)
    return model_update(actor=actor, instance=instance, data=_clean_camera(actor, data, instance),
                        action="camera.update")[0]


@transaction.atomic
def camera_delete(*, actor: Any, instance: Camera) -> None:
    _delete(actor=actor, instance=instance, action="camera.delete")


# ------------------------------------------------------------------------------------------------ training
def _clean_session(actor: Any, data: dict[str, Any], instance: TrainingSession | None = None) -> dict[str, Any]:
    data = dict(data)
    get = _merged(instance, data)
    if "jurisdiction" in data or instance is None:
        check_place(actor, data.get("jurisdiction"), levels=TEAM_LEVELS, what="举办单位")
    if get("held_on") is None:
        raise ValidationError({"held_on": "请填写培训日期。"})
    _text(data, "topic", "培训主题", max_length=200)
    _text(data, "trainer", "授课人", required=False)
    if not get("audience"):
        raise ValidationError({"audience": "请选择培训对象。"})
    hours = get("hours")
    if hours is not None and not (Decimal("0") < Decimal(hours) <= Decimal("24")):
        raise ValidationError({"hours": "学时应大于 0、不超过 24。"})
    if data.get("hours") is not None:
        # As the column stores it (one decimal), so "2" posted over a stored 2.0 is no change.
        data["hours"] = Decimal(data["hours"]).quantize(Decimal("0.1"))
    return data


@transaction.atomic
def session_create(*, actor: Any, data: dict[str, Any]) -> TrainingSession:
    """Record a training session held by a unit (district, township or village) for one audience."""
    require(actor)
    return model_create(actor=actor, model=TrainingSession, action="training.create", data=_clean_session(actor, data))


@transaction.atomic
def session_update(*, actor: Any, instance: TrainingSession, data: dict[str, Any]) -> TrainingSession:
    require(actor)
    _refuse_foreign(actor, instance)
    return model_update(actor=actor, instance=instance, data=_clean_session(actor, data, instance),
                        action="training.update")[0]


@transaction.atomic
def session_delete(*, actor: Any, instance: TrainingSession) -> None:
    if instance.attendances.exists():
        raise ValidationError({"__all__": "培训已有参训人员，不能删除：请先移除参训人员。"})
    _delete(actor=actor, instance=instance, action="training.delete")


def _clean_attendance(actor: Any, data: dict[str, Any], instance: Attendance | None = None) -> dict[str, Any]:
    data = dict(data)
    get = _merged(instance, data)
    session = get("session")
    if session is None:
        raise ValidationError({"session": "请选择培训。"})
    if not in_scope(actor, session.jurisdiction):
        raise ValidationError({"session": "所选培训不存在或不在您的管辖范围内。"})
    data["jurisdiction"] = session.jurisdiction
    user, person = get("user"), get("person")
    if user is not None and person is not None:
        raise ValidationError({"person": "账号和实有人口记录只能选一个。"})
    for name, obj, label in (("user", user, "账号"), ("person", person, "人员")):
        if name in data and obj is not None and actor is not None \
                and not type(obj).objects.visible_to(actor).filter(pk=obj.pk).exists():
            raise ValidationError({name: f"所选{label}不存在或不在您的管辖范围内。"})
    if not personal.clean_text(get("name")):
        data["name"] = (user.full_name or user.username) if user is not None else (person.name if person else "")
    _text(data, "name", "姓名", max_length=50)
    _text(data, "unit", "单位", required=False)
    clash = Attendance.objects.filter(session=session)
    if user is not None:
        clash = clash.filter(user=user)
    elif person is not None:
        clash = clash.filter(person=person)
    else:
        clash = clash.filter(user__isnull=True, person__isnull=True, name=data.get("name", get("name")))
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise ValidationError({"name": "该人员已登记参加本次培训，不能重复登记。"})
    return data


@transaction.atomic
def attendance_create(*, actor: Any, data: dict[str, Any]) -> Attendance:
    """Record one attendee of a session: an account, a person of the people register, or a name; once each."""
    require(actor)
    return model_create(actor=actor, model=Attendance, action="attendance.create", data=_clean_attendance(actor, data))


@transaction.atomic
def attendance_update(*, actor: Any, instance: Attendance, data: dict[str, Any]) -> Attendance:
    require(actor)
    _refuse_foreign(actor, instance)
    return model_update(actor=actor, instance=instance, data=_clean_attendance(actor, data, instance),
                        action="attendance.update")[0]


@transaction.atomic
def attendance_delete(*, actor: Any, instance: Attendance) -> None:
    _delete(actor=actor, instance=instance, action="attendance.delete")


def today() -> dt.date:
    return timezone.localdate()
