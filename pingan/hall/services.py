"""Writes of the one window: registering a matter (and its visitor), routing it (调解先行), 改派, 回访, 心理服务
appointments and their notes, the duty schedule and the counsellor register.

Every service checks the actor's capability and scope, validates everything before writing, writes in one
transaction and records an audit entry. Routing creates the case the matter becomes through that module's
own registration service (disputes, petitions, events), inside the same transaction as the matter's update:
either both are written or neither.
"""
from __future__ import annotations

import datetime as dt
import hmac
import secrets
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from pingan.cases import deadlines
from pingan.core import audit, personal
from pingan.core.models import AuditEntry
from pingan.core.services import model_create, model_update
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import choices as c
from .models import Appointment, Counsellor, DutySlot, DutyUnit, HallVisitor, Matter

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L, U: read aloud and typed without doubt
HALL_LEVELS = (Level.COUNTY, Level.TOWNSHIP)
CASE_PLACE_LEVELS = (Level.VILLAGE, Level.COMMUNITY, Level.GRID)
MAX_TEXT = {"topic": 100, "summary": 2000, "window": 30, "name": 50, "note": 2000, "unit": 100, "reason": 400}
ROUTE_DUE = (1, "working_days")   # 分流 within one working day of registration
OPEN_SLOT_MINUTES = (15, 240)


# ------------------------------------------------------------------------------------------------ helpers
def _require(actor: Any, capability: str, action: str, message: str) -> None:
    if actor is not None and not (getattr(actor, "can", None) and actor.can(capability)):
        audit.record(actor=actor, action=action, outcome=AuditEntry.Outcome.FAILURE, detail=message)
        raise PermissionDenied(message)


def _text(value: Any, field: str, label: str, errors: dict, *, required: bool = False, limit: int | None = None) -> str:
    # Free text keeps its Chinese punctuation (NFKC would turn "，" into ","); numbers are cleaned elsewhere.
    text = ("" if value is None else str(value).strip()) if isinstance(value, (str, int)) or value is None else None
    if text is None:
        errors[field] = f"{label}格式不正确。"
        return ""
    limit = limit or MAX_TEXT.get(field, 200)
    if required and not text:
        errors[field] = f"请填写{label}。"
    elif len(text) > limit:
        errors[field] = f"{label}最多 {limit} 字（现为 {len(text)} 字）。"
    return text


def hall_of(actor: Any) -> Node | None:
    """The hall an account registers at: its scope node when that is the district (the centre) or a township
    (a township's centre); None for every other account."""
    scope = getattr(actor, "scope", None)
    return scope if scope is not None and scope.level in HALL_LEVELS else None


def _in_scope(actor: Any, node: Node) -> bool:
    return actor is None or Node.objects.visible_to(actor).filter(pk=node.pk).exists()


def new_code(day: dt.date) -> str:
    """ZZ + yymmdd + 4 random characters: readable, short, and not guessable from its neighbours."""
    for _ in range(20):
        code = f"ZZ{day:%y%m%d}" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
        if not Matter.objects.filter(code=code).exists():
            return code
    raise RuntimeError("无法生成不重复的事项码。")  # 30^4 codes a day: never in practice


def normalize_code(value: Any) -> str:
    return personal.clean_text(value).replace(" ", "").replace("-", "").upper()[:16]


def tail_hash(digits: str) -> str:
    return personal.lookup_hash(digits, namespace="hall-phone-tail") if digits else ""


def lookup_secret_matches(matter: Matter, secret: Any) -> bool:
    """The citizen's second factor: the slip's 4-digit PIN or the last 4 digits of the phone they left."""
    text = personal.clean_text(secret).replace(" ", "")
    if len(text) != 4 or not text.isascii() or not text.isdigit():
        return False
    pin_ok = bool(matter.pin) and hmac.compare_digest(matter.pin, text)
    tail_ok = bool(matter.visitor.phone_tail) and hmac.compare_digest(matter.visitor.phone_tail, tail_hash(text))
    return pin_ok or tail_ok


# ----------------------------------------------------------------------------------------------- visitors
def _numbers(id_number: Any, phone: Any, errors: dict) -> tuple[personal.IdNumber | None, str]:
    parsed = None
    if personal.clean_text(id_number):
        try:
            parsed = personal.parse_id_number(id_number)
        except ValidationError as exc:
            errors["id_number"] = "；".join(exc.messages)
    try:
        phone_text = personal.parse_phone(phone)
    except ValidationError as exc:
        errors["phone"] = "；".join(exc.messages)
        phone_text = ""
    return parsed, phone_text


def _find_visitor(hall: Node, parsed: personal.IdNumber | None, phone: str) -> HallVisitor | None:
    qs = HallVisitor.objects.filter(jurisdiction=hall).order_by("pk")
    if parsed is not None:
        found = qs.filter(id_hash=personal.lookup_hash(parsed.value)).first()
        if found is not None:
            return found
    if phone:
        return qs.filter(phone_hash=personal.lookup_hash(phone, namespace="phone")).first()
    return None


def _visitor(actor: Any, hall: Node, name: str, parsed: personal.IdNumber | None, phone: str) -> HallVisitor:
    """The hall's visitor with this ID number (else phone), found in one indexed step, or a new one. A number
    the visitor did not leave last time is added now (audited)."""
    found = _find_visitor(hall, parsed, phone)
    if found is not None:
        changes = {}
        if parsed is not None and not found.id_hash:
            found.put_id_number(parsed)
            changes["id_masked"] = ["", parsed.masked]
        if phone and not found.phone_hash:
            found.put_phone(phone)
            found.phone_tail = tail_hash(phone[-4:])
            changes["phone_masked"] = ["", found.phone_masked]
        if changes:
            found.save()
            audit.record(actor=actor, action="hallvisitor.update", obj=found, changes=changes)
        return found
    person = None
    if parsed is not None:
        from pingan.people.models import Person

        qs = Person.objects.visible_to(actor) if actor is not None else Person.objects.all()
        person = qs.filter(id_hash=personal.lookup_hash(parsed.value)).order_by().first()
    visitor = HallVisitor(jurisdiction=hall, name=name, person=person)
    if parsed is not None:
        visitor.put_id_number(parsed)
    if phone:
        visitor.put_phone(phone)
        visitor.phone_tail = tail_hash(phone[-4:])
    visitor.full_clean()
    visitor.save()
    audit.record(actor=actor, action="hallvisitor.create", obj=visitor, changes={"after": audit.snapshot(visitor)})
    return visitor


# ----------------------------------------------------------------------------------------------- register
def matter_register(*, actor: Any, data: dict[str, Any], visitor: HallVisitor | None = None,
                    hall: Node | None = None) -> Matter:
    """一窗受理: register one matter and give it its code. `data`: name, id_number, phone (the visitor, unless
    `visitor` — a returning one found by the search — is given), channel, window, head_count, topic, category,
    summary, registered_at (default now; never in the future: a letter opened today was registered today).
    The hall is the actor's (the centre or a township office); `hall` is for the system (seeds)."""
    _require(actor, "hall.register", "matter.create", "您的角色不能在窗口登记事项。")
    hall = hall or hall_of(actor)
    if hall is None:
        raise ValidationError({"__all__": "只有综治中心或乡镇综治中心的账号可以在窗口登记事项。"})
    errors: dict[str, str] = {}
    name = _text(data.get("name"), "name", "来访人姓名", errors, required=visitor is None)
    parsed, phone = _numbers(data.get("id_number"), data.get("phone"), errors)
    if visitor is not None:
        if visitor.jurisdiction_id != hall.pk or (actor is not None and
                                                  not HallVisitor.objects.visible_to(actor).filter(pk=visitor.pk).exists()):
            errors["visitor"] = "所选来访人不存在或不在本窗口的登记范围内。"
    channel = data.get("channel") or c.Channel.VISIT
    if channel not in c.Channel.values:
        errors["channel"] = "请选择受理渠道（来访、来电、来信或网上）。"
    category = data.get("category")
    if category not in c.Category.values:
        errors["category"] = "请选择问题类别。"
    topic = _text(data.get("topic"), "topic", "事由", errors, required=True)
    summary = _text(data.get("summary"), "summary", "诉求内容", errors, required=True)
    window = _text(data.get("window"), "window", "受理窗口", errors)
    head_count = data.get("head_count")
    head_count = 1 if head_count in (None, "") else head_count
    try:
        head_count = int(head_count)
        if not 1 <= head_count <= 9999:
            raise ValueError
    except (TypeError, ValueError):
        errors["head_count"] = "来访人数应为 1 至 9999 之间的整数。"
    now = timezone.now()
    registered_at = data.get("registered_at") or now
    if not isinstance(registered_at, dt.datetime):
        errors["registered_at"] = "登记时间格式不正确。"
    elif registered_at > now + dt.timedelta(minutes=5):
        errors["registered_at"] = "登记时间不能晚于现在。"
    if visitor is None and parsed is None and not phone and not {"name", "phone", "id_number"} & set(errors):
        # A returning visitor is found again by number: ask for one, unless it is a letter without any.
        if channel != c.Channel.LETTER:
            errors["phone"] = "请至少留下联系电话或公民身份号码，以便回访和再次来访时查找。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if visitor is None:
            visitor = _visitor(actor, hall, name, parsed, phone)
        matter = Matter(
            jurisdiction=hall, code=new_code(timezone.localdate(registered_at)), pin=f"{secrets.randbelow(10000):04d}",
            channel=channel, window=window, visitor=visitor, head_count=head_count, topic=topic, category=category,
            summary=summary, mediation_applicable=category in c.MEDIATION_APPLICABLE,
            registered_by=actor if getattr(actor, "pk", None) else None, registered_at=registered_at,
            route_due_at=deadlines.due(registered_at, *ROUTE_DUE))
        matter.full_clean()
        matter.save()
        audit.record(actor=actor, action="matter.create", obj=matter, changes={"after": audit.snapshot(matter)})
    return matter


# ------------------------------------------------------------------------------------------------ routing
def _place(actor: Any, value: Any, errors: dict, field: str = "place", levels=CASE_PLACE_LEVELS) -> Node | None:
    if not isinstance(value, Node):
        errors[field] = "请选择事项所在的村(社区)或网格。"
        return None
    if value.level not in levels:
        errors[field] = "事项所在地应为村(社区)或网格。"
        return None
    if not _in_scope(actor, value):
        errors[field] = "所选地点不在您的管辖范围内。"
        return None
    return value


def _plain_numbers(visitor: HallVisitor) -> tuple[str, str]:
    """The visitor's numbers for the register of the case the matter becomes (a party, a petitioner): passed
    from one encrypted register to another, never shown to the user."""
    return personal.decrypt(visitor.id_cipher), personal.decrypt(visitor.phone_cipher)


def _to_mediation(actor: Any, matter: Matter, data: dict, errors: dict):
    place = _place(actor, data.get("place"), errors)
    other = _text(data.get("other_party"), "other_party", "对方当事人", errors, limit=100)
    if errors:
        return None
    try:
        from pingan.disputes.services import dispute_register
    except ImportError:
        raise ValidationError({"route": "矛盾纠纷调解模块尚未启用，暂不能转人民调解。"}) from None
    id_number, phone = _plain_numbers(matter.visitor)
    parties = [{"name": matter.visitor.name, "id_number": id_number, "phone": phone, "side": "applicant"}]
    if other:
        parties.append({"name": other, "side": "respondent"})
    return dispute_register(actor=actor, data={
        "jurisdiction": place, "title": matter.topic[:100], "occurred_on": timezone.localdate(matter.registered_at),
        "registered_on": timezone.localdate(), "category": c.DISPUTE_CATEGORY.get(matter.category, "9999"),
        "summary": matter.summary, "people_count": max(len(parties), matter.head_count), "source": "hall",
    }, parties=parties, idempotency_key=f"hall-{matter.code}-{matter.reroute_count}")


def _to_petition(actor: Any, matter: Matter, data: dict, errors: dict):
    place = _place(actor, data.get("place"), errors, levels=(Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY))
    if errors:
        return None
    try:
        from pingan.petitions.services import petition_register
    except ImportError:
        raise ValidationError({"route": "信访模块尚未启用，暂不能转信访。"}) from None
    id_number, phone = _plain_numbers(matter.visitor)
    form = {c.Channel.VISIT: "visit", c.Channel.CALL: "call", c.Channel.LETTER: "letter",
            c.Channel.ONLINE: "online"}[matter.channel]
    return petition_register(actor=actor, data={
        "jurisdiction": place, "form": form, "content": matter.summary, "topic_text": matter.topic,
        "head_count": matter.head_count, "registered_on": timezone.localdate(),
    }, petitioners=[{"name": matter.visitor.name, "id_number": id_number, "phone": phone}], hall_code=matter.code,
        idempotency_key=f"hall-{matter.code}-{matter.reroute_count}")


def _to_department(actor: Any, matter: Matter, data: dict, errors: dict):
    from pingan.events.choices import Source as EventSource
    from pingan.events.models import Category as EventCategory
    from pingan.events.services import event_report

    place = _place(actor, data.get("place"), errors)
    category = data.get("event_category")
    if not isinstance(category, EventCategory):
        errors["event_category"] = "请选择事件类别。"
    if errors:
        return None
    _id, phone = _plain_numbers(matter.visitor)
    report = event_report(actor=actor, category=category, description=f"【窗口受理 {matter.code}】{matter.summary}",
                          jurisdiction=place, source=EventSource.CENTRE, reporter_name=matter.visitor.name,
                          reporter_phone=phone, idempotency_key=None)
    return report.event


def _to_psych(actor: Any, matter: Matter, data: dict, errors: dict):
    return appointment_book(actor=actor, visitor=matter.visitor, matter=matter, counsellor=data.get("counsellor"),
                            starts_at=data.get("starts_at"), minutes=data.get("minutes") or 50, _errors=errors)


ROUTERS = {c.Route.MEDIATION: _to_mediation, c.Route.PETITION: _to_petition, c.Route.DEPARTMENT: _to_department,
           c.Route.PSYCH: _to_psych}


def matter_route(*, actor: Any, matter: Matter, route: str, data: dict[str, Any] | None = None,
                 reroute_reason: str = "") -> Matter:
    """分流: send the matter where it belongs, in one transaction with the case it becomes.

    - 调解先行: for a matter where mediation applies, any other route needs `data["non_mediation_reason"]`.
    - mediation → a dispute (source 窗口受理, the visitor as applicant); petition → a petition carrying the
      code; department → an event registered by the centre; psych → an appointment; 诉讼服务/仲裁/法律援助/法律
      咨询 → a referral note naming the unit; answered → the answer given on the spot (the matter is done).
    - A routed matter is routed again only by 改派 with `reroute_reason`; the earlier case stays as it is (its
      own unit closes or returns it) and the audit trail keeps the earlier route.
    """
    data = dict(data or {})
    action = "matter.reroute" if reroute_reason else "matter.route"
    _require(actor, "hall.route", action, "您的角色不能分流窗口事项。")
    if actor is not None and not Matter.objects.visible_to(actor).filter(pk=matter.pk).exists():
        raise PermissionDenied("该事项不在您的管辖范围内。")
    errors: dict[str, str] = {}
    if route not in c.Route.values:
        raise ValidationError({"route": "请选择分流去向。"})
    reason = _text(reroute_reason, "reroute_reason", "改派原因", errors, limit=400)
    non_med = _text(data.get("non_mediation_reason"), "non_mediation_reason", "未选调解的原因", errors, limit=400)
    note = _text(data.get("note"), "note", "说明", errors)
    unit = _text(data.get("unit"), "unit", "承接单位", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter.pk)
        if matter.status != c.Status.REGISTERED and not reason:
            raise ValidationError({"route": f"该事项已{matter.get_status_display()}（{matter.get_route_display()}），"
                                            "如需改派请填写改派原因。"})
        if reason and matter.status == c.Status.REGISTERED:
            raise ValidationError({"reroute_reason": "该事项尚未分流，直接选择去向即可。"})
        if reason and len(reason) < 4:
            raise ValidationError({"reroute_reason": "请写明改派原因（至少 4 个字）。"})
        if matter.mediation_applicable and route != c.Route.MEDIATION and len(non_med) < 4:
            raise ValidationError({"non_mediation_reason": "本事项适用调解，调解先行：选择其他去向时请写明未调解的原因"
                                                           "（如当事人拒绝调解，至少 4 个字）。"})
        if route in c.REFERRAL_ROUTES and not unit:
            errors["unit"] = "请填写承接单位（如 区人民法院诉讼服务中心、区劳动人事争议仲裁院、区法律援助中心）。"
        if route == c.Route.ANSWERED and len(note) < 4:
            errors["note"] = "请填写当场答复的内容（至少 4 个字）。"
        if errors:
            raise ValidationError(errors)
        before = audit.snapshot(matter, ["route", "status", "case_number", "route_unit"])
        case = None
        router = ROUTERS.get(route)
        if router is not None:
            case = router(actor, matter, data, errors)
            if errors:
                raise ValidationError(errors)
        now = timezone.now()
        matter.route = route
        matter.route_note = note
        matter.route_unit = unit
        matter.non_mediation_reason = non_med if route != c.Route.MEDIATION else ""
        matter.routed_at, matter.routed_by = now, actor if getattr(actor, "pk", None) else None
        matter.case_type, matter.case_id, matter.case_number = None, None, ""
        if route == c.Route.ANSWERED:
            matter.status, matter.answer_note = c.Status.ANSWERED, note
        elif route in c.REFERRAL_ROUTES:
            matter.status = c.Status.REFERRED
        else:
            matter.status = c.Status.ROUTED
        if case is not None and hasattr(case, "number"):
            matter.case_type = ContentType.objects.get_for_model(type(case))
            matter.case_id, matter.case_number = case.pk, case.number
        elif case is not None:
            matter.case_type, matter.case_id = ContentType.objects.get_for_model(type(case)), case.pk
        if reason:
            matter.reroute_count += 1
        matter.full_clean()
        matter.save()
        changes = {"before": before, "after": audit.snapshot(matter, ["route", "status", "case_number", "route_unit"])}
        if reason:
            changes["reason"] = reason
        if matter.non_mediation_reason:
            changes["non_mediation_reason"] = matter.non_mediation_reason
        audit.record(actor=actor, action=action, obj=matter, changes=changes,
                     detail=f"分流至{matter.get_route_display()}" + (f"（改派：{reason}）" if reason else ""))
    return matter


def matter_followup(*, actor: Any, matter: Matter, note: Any, satisfaction: str, on: dt.date | None = None) -> Matter:
    """回访: the window calls the citizen back; the matter is 已办结 (the case it became keeps its own 回访)."""
    _require(actor, "hall.route", "matter.followup", "您的角色不能回访窗口事项。")
    errors: dict[str, str] = {}
    text = _text(note, "note", "回访记录", errors, required=True)
    if satisfaction not in c.Satisfaction.values:
        errors["satisfaction"] = "请选择满意度。"
    on = on or timezone.localdate()
    if not isinstance(on, dt.date) or on > timezone.localdate():
        errors["followup_on"] = "回访日期不能晚于今天。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        matter = Matter.objects.select_for_update().get(pk=matter.pk)
        if matter.status == c.Status.REGISTERED:
            raise ValidationError({"note": "事项尚未分流，不能回访。"})
        if matter.status == c.Status.CLOSED:
            raise ValidationError({"note": "事项已回访办结。"})
        before = audit.snapshot(matter, ["status", "followup_on", "satisfaction"])
        matter.followup_note, matter.satisfaction, matter.followup_on = text, satisfaction, on
        matter.status = c.Status.CLOSED
        matter.save()
        audit.record(actor=actor, action="matter.followup", obj=matter,
                     changes={"before": before, "after": audit.snapshot(matter, ["status", "followup_on",
                                                                                 "satisfaction"])})
    return matter


# ----------------------------------------------------------------------------------------- appointments
def appointment_book(*, actor: Any, visitor: HallVisitor, counsellor: Any, starts_at: Any, minutes: Any = 50,
                     matter: Matter | None = None, room: Any = "", _errors: dict | None = None) -> Appointment:
    """Book a 心理服务 session with an active counsellor, in `room` (default 心理服务室). A counsellor is never
    booked twice for overlapping times (checked under a lock on the counsellor's row, and by a unique constraint
    on the start)."""
    _require(actor, "hall.route", "appointment.create", "您的角色不能预约心理服务。")
    errors = _errors if _errors is not None else {}
    # Whether the counsellor is active is read from the database, not from the instance handed in (which may
    # predate a 停用), and again under the row lock below (a 停用 at the same moment locks the same row).
    if not isinstance(counsellor, Counsellor) or not (
            Counsellor.objects.visible_to(actor) if actor is not None else Counsellor.objects.all()
    ).filter(pk=counsellor.pk, is_active=True).exists():
        errors["counsellor"] = "请选择在岗的心理咨询师。"
    try:
        minutes = int(minutes)
        if not OPEN_SLOT_MINUTES[0] <= minutes <= OPEN_SLOT_MINUTES[1]:
            raise ValueError
    except (TypeError, ValueError):
        errors["minutes"] = "咨询时长应为 15 至 240 分钟。"
    room = _text(room, "room", "咨询室", errors, limit=30) or "心理服务室"
    if not isinstance(starts_at, dt.datetime):
        errors["starts_at"] = "请填写预约时间。"
    elif starts_at < timezone.now() - dt.timedelta(minutes=5):
        errors["starts_at"] = "预约时间不能早于现在。"
    elif starts_at > timezone.now() + dt.timedelta(days=180):
        errors["starts_at"] = "只能预约 180 天以内的时间。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Counsellor.objects.select_for_update().filter(pk=counsellor.pk).first()
        if locked is None or not locked.is_active:
            raise ValidationError({"counsellor": "请选择在岗的心理咨询师。"})
        ends = starts_at + dt.timedelta(minutes=minutes)
        clash = [a for a in Appointment.objects.filter(
            counsellor=counsellor, status=c.AppointmentStatus.BOOKED,
            starts_at__lt=ends, starts_at__gt=starts_at - dt.timedelta(minutes=OPEN_SLOT_MINUTES[1]))
            if a.ends_at > starts_at]
        if clash:
            at = timezone.localtime(clash[0].starts_at)
            raise ValidationError({"starts_at": f"{counsellor.name}在该时段已有预约（{at:%m-%d %H:%M} 起），请另选时间。"})
        appointment = Appointment(jurisdiction=visitor.jurisdiction, counsellor=counsellor, visitor=visitor,
                                  matter=matter, starts_at=starts_at, minutes=minutes, room=room,
                                  booked_by=actor if getattr(actor, "pk", None) else None)
        appointment.full_clean(exclude=["notes"])
        try:
            with transaction.atomic():
                appointment.save()
        except IntegrityError:
            raise ValidationError({"starts_at": f"{counsellor.name}在该时段已有预约，请另选时间。"}) from None
        audit.record(actor=actor, action="appointment.create", obj=appointment,
                     changes={"after": audit.snapshot(appointment)})
    return appointment


def is_counsellor_of(user: Any, appointment: Appointment) -> bool:
    counsellor = appointment.counsellor
    return bool(getattr(user, "pk", None)) and counsellor.user_id == user.pk and counsellor.is_active


def appointment_record(*, actor: Any, appointment: Appointment, status: str, notes: Any = "") -> Appointment:
    """The counsellor records the session: its status and the notes (health data: the counsellor's alone)."""
    if not is_counsellor_of(actor, appointment):
        audit.record(actor=actor, action="appointment.update", obj=appointment, outcome=AuditEntry.Outcome.FAILURE,
                     detail="只有本次咨询的咨询师可以填写咨询记录")
        raise PermissionDenied("只有本次咨询的咨询师可以填写咨询记录。")
    errors: dict[str, str] = {}
    text = _text(notes, "notes", "咨询记录", errors, limit=4000)
    if status not in c.AppointmentStatus.values:
        errors["status"] = "请选择状态。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = audit.snapshot(appointment, ["status", "notes"])
        appointment.status, appointment.notes = status, text
        appointment.save(update_fields=["status", "notes", "updated_at"])
        audit.record(actor=actor, action="appointment.update", obj=appointment,
                     changes={"before": before, "after": audit.snapshot(appointment, ["status", "notes"])})
    return appointment


# --------------------------------------------------------------------------------------- duty and register
MANAGE_DUTY = "hall.manage_duty"
COUNSELLOR_FIELDS = ("jurisdiction", "name", "organisation", "kind", "user", "is_active")
COUNSELLOR_REFUSED = "您的角色不能维护心理咨询师名录。"


def _counsellor_visible(actor: Any, counsellor: Counsellor, action: str) -> None:
    if actor is not None and not Counsellor.objects.visible_to(actor).filter(pk=counsellor.pk).exists():
        audit.record(actor=actor, action=action, obj=counsellor, outcome=AuditEntry.Outcome.FAILURE,
                     detail="心理咨询师不在管辖范围内")
        raise PermissionDenied("该心理咨询师不在您的管辖范围内。")


def _counsellor_data(actor: Any, data: dict[str, Any], instance: Counsellor | None = None) -> dict[str, Any]:
    """The checked values of a counsellor (for an update: the stored ones where `data` lacks a field).

    - the hall (所属中心) is the district centre or a township's centre inside the actor's scope;
    - a linked login account is an active account of a role that reads 心理服务 appointments, whose scope holds
      the hall (an account below it would never see the appointments it is to record), and no other
      counsellor's; the account must be one the actor may see;
    - a counsellor who has appointments stays at the hall where they were booked."""
    from pingan.accounts.models import User

    def value(name: str, default: Any = None) -> Any:
        if name in data:
            return data[name]
        return getattr(instance, name) if instance is not None else default

    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    out["name"] = _text(value("name"), "name", "姓名", errors, required=True, limit=50)
    out["organisation"] = _text(value("organisation", ""), "organisation", "所属机构", errors, limit=100)
    kind = value("kind", c.DutyKind.INVITED)
    if kind not in c.DutyKind.values:
        errors["kind"] = "请选择入驻方式（常驻、轮驻或特邀）。"
    out["kind"] = kind
    active = value("is_active", True)
    if not isinstance(active, bool):
        errors["is_active"] = "在岗应为“是”或“否”。"
    out["is_active"] = active
    hall = value("jurisdiction")
    if hall is None and instance is None and "jurisdiction" not in data:
        hall = hall_of(actor)
    if not isinstance(hall, Node):
        errors["jurisdiction"] = "请选择所属中心（区综治中心或乡镇（街道）综治中心）。"
    elif hall.level not in HALL_LEVELS:
        errors["jurisdiction"] = "所属中心应为区综治中心或乡镇（街道）综治中心。"
    elif not _in_scope(actor, hall):
        errors["jurisdiction"] = "所选中心不在您的管辖范围内。"
    elif instance is not None and hall.pk != instance.jurisdiction_id and instance.appointments.exists():
        errors["jurisdiction"] = "该咨询师已有心理服务预约，不能改到其他中心；如已调离，请停用后在新中心另行登记。"
    out["jurisdiction"] = hall
    user = value("user")
    if user is not None:
        if not isinstance(user, User):
            errors["user"] = "所选账号不存在或不在您的管辖范围内。"
        elif actor is not None and not User.objects.visible_to(actor).filter(pk=user.pk).exists():
            errors["user"] = "所选账号不存在或不在您的管辖范围内。"
        elif not user.is_active:
            errors["user"] = f"账号“{user.username}”已停用，不能关联。"
        elif not user.may_see_data_kind("health"):
            errors["user"] = f"账号“{user.username}”的角色不能查看心理服务预约，不能关联为咨询师账号。"
        elif isinstance(hall, Node) and not (user.scope_path and hall.path.startswith(user.scope_path)):
            errors["user"] = f"账号“{user.username}”的管辖范围不含所选中心，看不到该中心的预约，不能关联。"
        elif Counsellor.objects.filter(user=user).exclude(pk=getattr(instance, "pk", None)).exists():
            errors["user"] = f"账号“{user.username}”已关联其他咨询师。"
    out["user"] = user
    if errors:
        raise ValidationError(errors)
    return out


def counsellor_create(*, actor: Any, data: dict[str, Any]) -> Counsellor:
    """登记心理咨询师 in a hall's 名录. `data`: name, organisation, kind (入驻方式), jurisdiction (the hall; default
    the actor's), user (the login account that reads its appointments' notes), is_active."""
    _require(actor, MANAGE_DUTY, "counsellor.create", COUNSELLOR_REFUSED)
    values = _counsellor_data(actor, {k: v for k, v in data.items() if k in COUNSELLOR_FIELDS})
    with transaction.atomic():
        return model_create(actor=actor, model=Counsellor, action="counsellor.create", data=values)


def counsellor_update(*, actor: Any, instance: Counsellor, data: dict[str, Any]) -> Counsellor:
    """修改心理咨询师: only the fields given change (the others are read from the stored row); the change is
    audited with its before and after. Setting `is_active` false deactivates the counsellor like
    `counsellor_deactivate`."""
    _require(actor, MANAGE_DUTY, "counsellor.update", COUNSELLOR_REFUSED)
    _counsellor_visible(actor, instance, "counsellor.update")
    given = {k: v for k, v in data.items() if k in COUNSELLOR_FIELDS}
    values = _counsellor_data(actor, given, instance)
    with transaction.atomic():
        model_update(actor=actor, instance=instance, data={k: values[k] for k in given}, action="counsellor.update")
    return instance


def counsellor_deactivate(*, actor: Any, counsellor: Counsellor) -> Counsellor:
    """停用: the counsellor leaves the 名录 of those offered for new appointments; their appointments and history
    stay (a counsellor with appointments is never deleted). Appointments still booked keep their time: the
    window calls the visitors to rebook (`pending_appointments` counts them)."""
    _require(actor, MANAGE_DUTY, "counsellor.deactivate", COUNSELLOR_REFUSED)
    _counsellor_visible(actor, counsellor, "counsellor.deactivate")
    with transaction.atomic():
        counsellor = Counsellor.objects.select_for_update().get(pk=counsellor.pk)
        if not counsellor.is_active:
            raise ValidationError({"is_active": "该咨询师已停用。"})
        model_update(actor=actor, instance=counsellor, data={"is_active": False}, action="counsellor.deactivate")
    return counsellor


def counsellor_delete(*, actor: Any, instance: Counsellor) -> None:
    """删除 a counsellor entered by mistake; one with appointments is refused (停用 instead)."""
    _require(actor, MANAGE_DUTY, "counsellor.delete", COUNSELLOR_REFUSED)
    _counsellor_visible(actor, instance, "counsellor.delete")
    with transaction.atomic():
        if Appointment.objects.filter(counsellor=instance).exists():
            raise ValidationError("该咨询师已有心理服务预约记录，不能删除；请改为停用。")
        snap, pk = audit.snapshot(instance), instance.pk
        try:
            instance.delete()
        except ProtectedError:
            raise ValidationError("该咨询师已有心理服务预约记录，不能删除；请改为停用。") from None
        instance.pk = pk
        audit.record(actor=actor, action="counsellor.delete", obj=instance, changes={"before": snap})


def duty_unit_create(*, actor: Any, hall: Node, data: dict[str, Any]) -> DutyUnit:
    _require(actor, "hall.manage_duty", "dutyunit.create", "您的角色不能维护入驻单位。")
    errors: dict[str, str] = {}
    name = _text(data.get("name"), "name", "单位或人员", errors, required=True, limit=100)
    window = _text(data.get("window"), "window", "窗口或功能室", errors)
    services_text = _text(data.get("services"), "services", "受理事项", errors, limit=200)
    if data.get("kind") not in c.DutyKind.values:
        errors["kind"] = "请选择入驻方式（常驻、轮驻或特邀）。"
    if actor is not None and not _in_scope(actor, hall):
        errors["hall"] = "不在您的管辖范围内。"
    if errors:
        raise ValidationError(errors)
    unit = DutyUnit(jurisdiction=hall, name=name, kind=data["kind"], window=window, services=services_text,
                    department=data.get("department"), contact=personal.clean_text(data.get("contact"))[:20])
    unit.full_clean()
    with transaction.atomic():
        unit.save()
        audit.record(actor=actor, action="dutyunit.create", obj=unit, changes={"after": audit.snapshot(unit)})
    return unit


def duty_slot_create(*, actor: Any, unit: DutyUnit, date: Any, period: str = c.Period.DAY, window: str = "",
                     person: str = "") -> DutySlot:
    """Put a unit on duty on a day (or half-day); the same unit twice in one period is refused."""
    _require(actor, "hall.manage_duty", "dutyslot.create", "您的角色不能排班。")
    errors: dict[str, str] = {}
    if actor is not None and not DutyUnit.objects.visible_to(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied("该入驻单位不在您的管辖范围内。")
    if not isinstance(date, dt.date):
        errors["date"] = "请填写日期。"
    elif abs((date - timezone.localdate()).days) > 400:
        errors["date"] = "只能安排前后一年以内的值班。"
    if period not in c.Period.values:
        errors["period"] = "请选择时段。"
    window = _text(window, "window", "窗口或功能室", errors) or unit.window
    person = _text(person, "person", "值班人员", errors, limit=50)
    if errors:
        raise ValidationError(errors)
    if DutySlot.objects.filter(unit=unit, date=date, period=period).exists():
        raise ValidationError({"date": f"{unit.name} {date:%Y-%m-%d} {c.Period(period).label}已排班。"})
    slot = DutySlot(jurisdiction=unit.jurisdiction, unit=unit, date=date, period=period, window=window, person=person)
    slot.full_clean(validate_constraints=False)
    with transaction.atomic():
        slot.save()
        audit.record(actor=actor, action="dutyslot.create", obj=slot, changes={"after": audit.snapshot(slot)})
    return slot


def duty_slot_delete(*, actor: Any, slot: DutySlot) -> None:
    _require(actor, "hall.manage_duty", "dutyslot.delete", "您的角色不能排班。")
    with transaction.atomic():
        audit.record(actor=actor, action="dutyslot.delete", obj=slot, changes={"before": audit.snapshot(slot)})
        slot.delete()
