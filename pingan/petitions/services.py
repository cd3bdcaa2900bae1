"""Writes of the petition register besides the workflow steps (those are the case engine's):

    petition_register(*, actor, data, petitioners, attachments=(), hall_code="", idempotency_key=None) -> Petition
    petitioner_add(*, actor, petition, data) -> Petitioner
    petitioner_remove(*, actor, petitioner) -> None
    topic_save(*, actor, data, topic=None) -> Topic

Each validates in Chinese (ValidationError keyed by field), writes in one transaction and leaves an audit entry.
A petitioner's ID number and phone are stored as the people register stores them: encrypted, a keyed hash for
exact lookup and the one mask for display (pingan.core.personal).

The hall (pingan/hall, the one window) routes a visitor to a petition with `petition_register(..., hall_code=
<its 一案一码>)`; the code is kept on the petition (`hall_code`, indexed) so the hall finds it again.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.cases import engine
from pingan.core import audit, personal
from pingan.core.scoping import place_q
from pingan.core.uploads import clean_images
from pingan.geo.choices import Level
from pingan.geo.models import Node
from pingan.people.models import Person

from . import choices as c
from .models import AssignedList, Petition, Petitioner, Topic
from .workflow import responsible

PLACE_LEVELS = (Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY)
REGISTER_FIELDS = (
    "jurisdiction", "form", "registered_on", "petition_type", "topic", "topic_text", "content", "head_count",
    "is_group", "source", "assigning_body", "assigned_list", "is_backlog", "heading_up", "heading_up_note",
)
TEXT_FIELDS = ("topic_text", "content", "assigning_body", "heading_up_note")
EDITABLE_STATES = (c.PetitionState.REGISTERED, c.PetitionState.HANDLING)
PETITIONER_AUDIT_FIELDS = ("person", "name", "id_cipher", "id_hash", "id_masked", "phone_cipher", "phone_hash",
                           "phone_masked", "address", "is_representative")
TOO_MANY = ("多人采用走访形式提出同一信访事项的，应当推选代表，代表人数不超过5人（《信访工作条例》第二十条）；"
            "现登记了{n}名代表。")


def _today() -> dt.date:
    return timezone.localdate()


def _refuse(actor: Any, action: str, obj: Any, message: str):
    audit.record(actor=actor, action=action, obj=obj, outcome="failure", detail=message)
    raise PermissionDenied(message)


def petition_places(actor: Any):
    """The places a petition may be registered on (问题属地): townships, villages and communities in scope."""
    return Node.objects.visible_to(actor).filter(level__in=PLACE_LEVELS).select_related("parent").order_by("path")


def topic_choices(actor: Any):
    """The district's topic list as the actor sees it (the district's and their own township's)."""
    return Topic.objects.filter(place_q(Topic, actor), active=True).order_by("order", "name")


def resolve_topic(actor: Any, text: str) -> Topic | None:
    """The configured topic whose name is `text` exactly (ledgers.md: linked when it matches one)."""
    text = personal.clean_text(text)
    if not text:
        return None
    return topic_choices(actor).filter(name=text).first()


def _check_register(actor: Any, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = _today()
    place = data.get("jurisdiction")
    if not isinstance(place, Node) or not petition_places(actor).filter(pk=place.pk).exists():
        errors["jurisdiction"] = "所选问题属地不存在或不在您的管辖范围内。"
    if data.get("form") not in c.Form.values:
        errors["form"] = "请选择信访形式（网上信访、来信、来电、传真或来访）。"
    registered = data.get("registered_on")
    if not isinstance(registered, dt.date) or isinstance(registered, dt.datetime):
        errors["registered_on"] = "请填写登记日期。"
    elif registered > today:
        errors["registered_on"] = "登记日期不能晚于今天。"
    if data.get("petition_type") and data["petition_type"] not in c.PetitionType.values:
        errors["petition_type"] = "信访类型只能是建议意见类、检举控告类或申诉求决类。"
    if not data.get("content"):
        errors["content"] = "请填写诉求内容。"
    elif len(data["content"]) > 8000:
        errors["content"] = "诉求内容不能超过 8000 字。"
    count = data.get("head_count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1 or count > 100000:
        errors["head_count"] = "人数应为 1 至 100000 之间的整数。"
    if data.get("source") not in c.Source.values:
        errors["source"] = "请选择来源（本级受理或上级交办）。"
    topic = data.get("topic")
    if topic is not None and (not isinstance(topic, Topic) or not topic_choices(actor).filter(pk=topic.pk).exists()):
        errors["topic"] = "所选问题类别不存在。"
    listed = data.get("assigned_list")
    if listed is not None and (not isinstance(listed, AssignedList)
                               or not AssignedList.objects.visible_to(actor).filter(pk=listed.pk).exists()):
        errors["assigned_list"] = "所选交办清单不存在或不在您的管辖范围内。"
    if data.get("source") == c.Source.ASSIGNED and not data.get("assigning_body"):
        if isinstance(listed, AssignedList):
            data["assigning_body"] = listed.assigning_body
        else:
            errors["assigning_body"] = "上级交办的信访事项请填写交办单位。"
    return errors


def clean_petitioner(actor: Any, data: dict) -> Petitioner:
    """An unsaved petitioner from `data` (name, person, id_number, phone, address, is_representative),
    validated in Chinese (ValidationError keyed by field)."""
    errors: dict[str, Any] = {}
    petitioner = Petitioner(is_representative=bool(data.get("is_representative")))
    petitioner.address = personal.clean_text(data.get("address"))[:200]
    name = personal.clean_text(data.get("name"))[:50]
    person = None
    if data.get("person") not in (None, ""):
        pk = data["person"].pk if isinstance(data["person"], Person) else data["person"]
        try:
            person = Person.objects.visible_to(actor).filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            person = None
        if person is None:
            errors["person"] = "所选人员不存在或不在您的管辖范围内。"
    if person is not None:
        petitioner.person = person
        petitioner.name = person.name
        petitioner.copy_numbers(person)
        petitioner.address = petitioner.address or person.current_address
    else:
        if not name:
            errors["name"] = "请填写信访人姓名。"
        petitioner.name = name
        raw_id = personal.clean_text(data.get("id_number"))
        if raw_id:
            try:
                parsed = personal.parse_id_number(raw_id)
            except ValidationError as exc:
                errors["id_number"] = exc.messages
            else:
                petitioner.put_id_number(parsed)
        raw_phone = data.get("phone")
        if raw_phone:
            try:
                phone = personal.parse_phone(raw_phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages
            else:
                petitioner.put_phone(phone)
    if errors:
        raise ValidationError(errors)
    return petitioner


def check_petitioners(petitioners: list[Petitioner], head_count: int | None = None) -> dict[str, str]:
    """条例第二十条 (at most five representatives), no one twice, and no more people than the head count."""
    errors: dict[str, str] = {}
    reps = sum(1 for p in petitioners if p.is_representative)
    if reps > c.MAX_REPRESENTATIVES:
        errors["petitioners"] = TOO_MANY.format(n=reps)
    seen: set[str] = set()
    for p in petitioners:
        key = f"p{p.person_id}" if p.person_id else (f"h{p.id_hash}" if p.id_hash else "")
        if key and key in seen:
            errors["petitioners"] = f"信访人{p.name}已登记，不能重复登记。"
        if key:
            seen.add(key)
    if isinstance(head_count, int) and head_count < len(petitioners):
        errors["head_count"] = f"人数（{head_count}）不能少于登记的信访人人数（{len(petitioners)}）。"
    return errors


def _snapshot(petitioner: Petitioner) -> dict:
    return audit.redacted_snapshot(petitioner, PETITIONER_AUDIT_FIELDS)


def petition_register(*, actor: Any, data: dict, petitioners: Iterable[dict] = (), attachments: Iterable[Any] = (),
                      hall_code: str = "", idempotency_key: str | None = None) -> Petition:
    """登记 (条例第二十一条: every form is entered): validate — the 问题属地 in the actor's scope (refused like
    another township's record), the form, dates, head count, 来源 and 交办单位, the petitioners (at least one;
    at most five representatives, 第二十条; ID numbers by GB 11643), scanned letters (images) — then register
    through the case engine (number XF + township + 登记日期 + sequence, state 待受理, due at the end of the
    15th day: 第二十二条) and write the petitioners, in one transaction. `hall_code` is the hall's 一案一码.
    A second send with the same `idempotency_key` gives back the first petition (`_created` False)."""
    if not actor.can("petitions.register"):
        audit.record(actor=actor, action="petition.create", outcome="failure", detail="无权登记信访事项")
        raise PermissionDenied("您的角色不能登记信访事项。")
    if idempotency_key:
        existing = Petition.objects.visible_to(actor).filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            existing._created = False
            return existing
    data = {k: v for k, v in data.items() if k in REGISTER_FIELDS}
    for key in TEXT_FIELDS:
        data[key] = personal.clean_text(data.get(key))
    data.setdefault("registered_on", _today())
    data.setdefault("source", c.Source.LOCAL)
    data.setdefault("head_count", 1)
    data["petition_type"] = data.get("petition_type") or ""
    for flag in ("is_group", "is_backlog", "heading_up"):
        data[flag] = bool(data.get(flag))
    errors = _check_register(actor, data)
    cleaned: list[Petitioner] = []
    for i, given in enumerate(petitioners or ()):
        if not any(personal.clean_text(given.get(k)) for k in ("name", "person", "id_number", "phone")):
            continue  # an empty row of the form
        try:
            cleaned.append(clean_petitioner(actor, given))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"petitioners.{i}.{field}"] = "；".join(messages)
    if not cleaned and not any(k.startswith("petitioners.") for k in errors):
        errors["petitioners"] = "请至少登记一名信访人。"
    for key, message in check_petitioners(cleaned, data.get("head_count")).items():
        errors.setdefault(key, message)
    try:
        checked = clean_images(attachments, field="attachments")
    except ValidationError as exc:
        errors["attachments"] = "；".join(exc.message_dict["attachments"])
        checked = []
    hall_code = personal.clean_text(hall_code)[:40]
    if errors:
        raise ValidationError(errors)
    if data["head_count"] >= c.MAX_REPRESENTATIVES:
        data["is_group"] = True
    if data.get("topic") is None and data["topic_text"]:
        data["topic"] = resolve_topic(actor, data["topic_text"])
    if data.get("topic") is not None and not data["topic_text"]:
        data["topic_text"] = data["topic"].name
    if data["source"] == c.Source.LOCAL:
        data["assigning_body"], data["assigned_list"] = "", None
    first = next((p for p in cleaned if p.is_representative), cleaned[0])
    registered = data["registered_on"]
    petition = Petition(**data, petitioner_name=first.name, hall_code=hall_code,
                        acknowledge_due_on=registered + dt.timedelta(days=c.ACKNOWLEDGE_DAYS),
                        reported_by=actor if getattr(actor, "pk", None) else None)
    with transaction.atomic():
        petition = engine.case_register(actor=actor, case=petition, photos=checked, idempotency_key=idempotency_key,
                                        at=registered if registered < _today() else None)
        if getattr(petition, "_created", True):
            for p in cleaned:
                p.petition = petition
                p.full_clean()
                p.save()
                audit.record(actor=actor, action="petition.petitioner_add", obj=petition,
                             changes={"petitioner": _snapshot(p)}, redact_as=[Petitioner])
    return petition


def _may_edit(actor: Any, petition: Petition, action: str) -> None:
    if not Petition.objects.visible_to(actor).filter(pk=petition.pk).exists():
        _refuse(actor, action, petition, "此信访事项不在您的管辖范围内。")
    if not (actor.can("petitions.register") or actor.can("petitions.handle")) or not responsible(actor, petition):
        _refuse(actor, action, petition, "您不能修改此信访事项的信访人。")
    if petition.state not in EDITABLE_STATES:
        raise ValidationError({"__all__": f"此信访事项{petition.get_state_display()}，不能再修改信访人。"})


def petitioner_add(*, actor: Any, petition: Petition, data: dict) -> Petitioner:
    """Add a petitioner (or a representative) to an open petition; the sixth representative is refused
    (条例第二十条)."""
    _may_edit(actor, petition, "petition.petitioner_add")
    petitioner = clean_petitioner(actor, data)
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        errors = check_petitioners([*locked.petitioners.all(), petitioner], locked.head_count)
        errors.pop("head_count", None)  # a head count is what was counted at the door; more names may follow
        if errors:
            raise ValidationError(errors)
        petitioner.petition = locked
        petitioner.full_clean()
        petitioner.save()
        audit.record(actor=actor, action="petition.petitioner_add", obj=petition,
                     changes={"petitioner": _snapshot(petitioner)}, redact_as=[Petitioner])
    return petitioner


def petitioner_remove(*, actor: Any, petitioner: Petitioner) -> None:
    """Remove a petitioner from an open petition; the last one stays (a petition has a petitioner)."""
    petition = petitioner.petition
    _may_edit(actor, petition, "petition.petitioner_remove")
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        if locked.petitioners.exclude(pk=petitioner.pk).count() == 0:
            raise ValidationError({"__all__": "信访事项至少要有一名信访人，不能删除最后一名。"})
        snap = _snapshot(petitioner)
        Petitioner.objects.filter(pk=petitioner.pk).delete()
        audit.record(actor=actor, action="petition.petitioner_remove", obj=petition, changes={"petitioner": snap},
                     redact_as=[Petitioner])


def topic_save(*, actor: Any, data: dict, topic: Topic | None = None) -> Topic:
    """Add or change a topic of the district's list (问题类别); petitions.configure."""
    if not actor.can("petitions.configure"):
        _refuse(actor, "topic.update" if topic else "topic.create", topic, "您的角色不能维护问题类别。")
    name = personal.clean_text(data.get("name"))[:50]
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "请填写问题类别名称。"
    order = data.get("order") or 0
    if not isinstance(order, int) or isinstance(order, bool) or order < 0 or order > 32767:
        errors["order"] = "排序应为 0 至 32767 之间的整数。"
    root = Node.objects.filter(parent__isnull=True).order_by("path").first()
    place = topic.jurisdiction if topic else root
    if name and Topic.objects.filter(jurisdiction=place, name=name).exclude(pk=getattr(topic, "pk", None)).exists():
        errors["name"] = f"问题类别“{name}”已存在。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if topic is None:
            topic = Topic(jurisdiction=place)
            before = {}
        else:
            topic = Topic.objects.select_for_update().get(pk=topic.pk)
            before = audit.snapshot(topic, ["name", "code", "order", "active"])
        topic.name, topic.order = name, order
        topic.code = personal.clean_text(data.get("code"))[:10]
        topic.active = bool(data.get("active", True))
        topic.full_clean()
        topic.save()
        after = audit.snapshot(topic, ["name", "code", "order", "active"])
        audit.record(actor=actor, action="topic.update" if before else "topic.create", obj=topic,
                     changes=audit.diff(before, after))
    return topic


def petitions_by_hall_code(actor: Any, code: str):
    """The petitions registered at the hall under its 一案一码 (within the actor's scope)."""
    code = personal.clean_text(code)
    return Petition.objects.visible_to(actor).filter(hall_code=code) if code else Petition.objects.none()


__all__ = ["petition_register", "petitioner_add", "petitioner_remove", "topic_save", "petition_places",
           "topic_choices", "resolve_topic", "clean_petitioner", "check_petitioners", "petitions_by_hall_code"]
