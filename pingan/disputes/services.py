"""Writes of the dispute register besides the workflow steps (those are the case engine's):

    dispute_register(*, actor, data, parties, photos=(), idempotency_key=None) -> Dispute
    party_add(*, actor, dispute, data) -> DisputeParty
    party_update(*, actor, party, data) -> DisputeParty
    party_remove(*, actor, party) -> None
    session_add(*, actor, dispute, data) -> MediationSession
    co_mediators_set(*, actor, dispute, mediators) -> list[Mediator]

Each validates in Chinese (ValidationError keyed by field), writes in one transaction and leaves an audit entry.
A party's ID number and phone are stored as the people register stores them: encrypted, a keyed hash for exact
lookup and the one mask for display (pingan.core.personal). A party is a person of the people register (found
by the caller through people's search, which audits and limits exact-number lookups) or typed in, or an
organisation.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.accounts.models import Department
from pingan.cases import engine
from pingan.core import audit, personal
from pingan.core.scoping import ancestor_paths, place_q
from pingan.core.uploads import clean_images
from pingan.geo.choices import Level
from pingan.geo.models import Node
from pingan.people.models import Person

from . import choices as c
from .models import Dispute, DisputeParty, MediationOrg, MediationSession, Mediator, ScreeningCampaign
from .workflow import responsible

PLACE_LEVELS = (Level.VILLAGE, Level.COMMUNITY, Level.GRID)
REGISTER_FIELDS = (
    "jurisdiction", "title", "occurred_on", "registered_on", "location", "latitude", "longitude", "scale",
    "category", "people_count", "summary", "units_involved", "source", "screening", "referrer_department",
    "referrer_name", "referrer_number", "referred_on", "violence_risk",
)
TEXT_FIELDS = ("title", "location", "summary", "units_involved", "referrer_name", "referrer_number")
# States in which the parties, sessions and co-mediators of a dispute may still change.
EDITABLE_STATES = (c.DisputeState.REGISTERED, c.DisputeState.MEDIATING)
SAME_PERSON = "同一人不能同时是双方当事人。"
PARTY_AUDIT_FIELDS = ("side", "kind", "person", "name", "sex", "category", "id_cipher", "id_hash", "id_masked",
                      "phone_cipher", "phone_hash", "phone_masked", "address", "representative")


# --------------------------------------------------------------------------------------------- helpers
def _today() -> dt.date:
    return timezone.localdate()


def _refuse(actor: Any, action: str, obj: Any, message: str):
    audit.record(actor=actor, action=action, obj=obj, outcome="failure", detail=message)
    raise PermissionDenied(message)


def resolve_category(value: Any) -> str | None:
    """A 5.56 code ("0902", "09") or a name of the local 人民调解 list ("房屋宅基地") → the 5.56 code."""
    text = personal.clean_text(value)
    if text in c.CATEGORY_LABELS:
        return text
    if text in c.LOCAL_CATEGORY_MAP:
        return c.LOCAL_CATEGORY_MAP[text]
    for code, label in c.CATEGORY_LABELS.items():  # "邻里/相邻土地建筑利用" or a second-level name
        if text and (text == label or label.endswith(f"/{text}")):
            return code
    return None


def dispute_places(actor: Any):
    """The villages, communities and grids `actor` may register a dispute in."""
    return Node.objects.visible_to(actor).filter(level__in=PLACE_LEVELS)


def orgs_for(dispute: Dispute):
    """The mediation organisations that may take `dispute`: those of its place and of the levels above it."""
    return (MediationOrg.objects.filter(active=True, jurisdiction__path__in=ancestor_paths(dispute.jurisdiction.path))
            .select_related("jurisdiction", "department").order_by("-jurisdiction__depth", "name"))


def mediators_for(dispute: Dispute):
    """The serving mediators of those organisations."""
    return (Mediator.objects.filter(active=True, org__active=True,
                                    org__jurisdiction__path__in=ancestor_paths(dispute.jurisdiction.path))
            .select_related("org").order_by("org__name", "name"))


def _check_register(actor: Any, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = _today()
    place = data.get("jurisdiction")
    if not isinstance(place, Node) or not dispute_places(actor).filter(pk=place.pk).exists():
        errors["jurisdiction"] = "所选地点不存在或不在您的管辖范围内。"
    if not data.get("title"):
        errors["title"] = "请填写事件名称。"
    if not data.get("summary"):
        errors["summary"] = "请填写事件简述。"
    occurred, registered = data.get("occurred_on"), data.get("registered_on")
    if not isinstance(registered, dt.date):
        errors["registered_on"] = "请填写登记日期。"
    elif registered > today:
        errors["registered_on"] = "登记日期不能晚于今天。"
    if not isinstance(occurred, dt.date):
        errors["occurred_on"] = "请填写发生日期。"
    elif occurred > today:
        errors["occurred_on"] = "发生日期不能晚于今天。"
    elif isinstance(registered, dt.date) and occurred > registered:
        errors["occurred_on"] = f"发生日期不能晚于登记日期（{registered:%Y-%m-%d}）。"
    code = resolve_category(data.get("category"))
    if code is None:
        errors["category"] = "请选择事件类别（GB/T 31000 事件类别或本地人民调解纠纷类型）。"
    else:
        data["category"] = code
    if data.get("scale") not in c.Scale.values:
        errors["scale"] = "请选择事件规模。"
    if data.get("source") not in c.Source.values:
        errors["source"] = "请选择纠纷来源。"
    count = data.get("people_count")
    if not isinstance(count, int) or isinstance(count, bool) or count < 1 or count > 100000:
        errors["people_count"] = "涉及人数应为 1 至 100000 之间的整数。"
    referrer = data.get("referrer_department")
    if referrer is not None and (not isinstance(referrer, Department)
                                 or not Department.objects.filter(pk=referrer.pk, is_active=True).exists()):
        errors["referrer_department"] = "所选移送单位不存在。"
    if data.get("source") in c.REFERRAL_SOURCES:
        if referrer is None and not data.get("referrer_name"):
            errors["referrer_department"] = "移送来的纠纷请选择或填写移送单位（结果须反馈给移送单位）。"
        referred = data.get("referred_on")
        if isinstance(referred, dt.date) and (referred > today or (isinstance(registered, dt.date)
                                                                   and referred > registered)):
            errors["referred_on"] = "移送日期不能晚于登记日期或今天。"
    else:
        for name in ("referrer_department", "referred_on"):
            data[name] = None
        data["referrer_name"] = data["referrer_number"] = ""
    screening = data.get("screening")
    if screening is not None and (not isinstance(screening, ScreeningCampaign)
                                  or not ScreeningCampaign.objects.filter(place_q(ScreeningCampaign, actor))
                                  .filter(pk=screening.pk).exists()):
        errors["screening"] = "所选排查活动不存在或不在您的管辖范围内。"
    if (data.get("latitude") is None) != (data.get("longitude") is None):
        errors["latitude"] = "经纬度须同时填写或同时留空。"
    return errors


# --------------------------------------------------------------------------------------------- parties
def _person_in_scope(actor: Any, value: Any) -> Person | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Person) else value
    try:
        return Person.objects.visible_to(actor).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


def clean_party(actor: Any, data: dict) -> DisputeParty:
    """An unsaved party from `data` (side, kind, person, name, sex, category, id_number, phone, address,
    representative), validated in Chinese (ValidationError keyed by field)."""
    errors: dict[str, Any] = {}
    side = data.get("side") or c.PartySide.APPLICANT
    kind = data.get("kind") or c.PartyKind.PERSON
    if side not in c.PartySide.values:
        errors["side"] = "当事人地位不正确。"
    if kind not in c.PartyKind.values:
        errors["kind"] = "当事人类型不正确。"
    party = DisputeParty(side=side, kind=kind)
    name = personal.clean_text(data.get("name"))[:100]
    party.address = personal.clean_text(data.get("address"))[:200]
    if kind == c.PartyKind.ORGANISATION:
        if not name:
            errors["name"] = "请填写单位或组织的名称。"
        party.name = name
        party.representative = personal.clean_text(data.get("representative"))[:50]
    else:
        person = None
        if data.get("person") not in (None, ""):
            person = _person_in_scope(actor, data.get("person"))
            if person is None:
                errors["person"] = "所选人员不存在或不在您的管辖范围内。"
        category = data.get("category") or ""
        if category and category not in c.PartyCategory.values:
            errors["category"] = "人员类别不正确。"
        party.category = category
        if person is not None:
            party.person = person
            party.name = person.name
            party.sex = person.sex if person.sex in ("1", "2") else ""
            party.copy_numbers(person)
            party.address = party.address or person.current_address
        else:
            if not name:
                errors["name"] = "请填写当事人姓名。"
            party.name = name
            sex = data.get("sex") or ""
            if sex and sex not in ("1", "2"):
                errors["sex"] = "性别不正确。"
            raw_id = personal.clean_text(data.get("id_number"))
            if raw_id:
                try:
                    parsed = personal.parse_id_number(raw_id)
                    personal.check_sex_agrees(parsed, sex)
                except ValidationError as exc:
                    errors["id_number"] = exc.messages
                else:
                    party.put_id_number(parsed)
                    sex = sex or parsed.sex
            party.sex = sex if sex in ("1", "2") else ""
    raw_phone = data.get("phone")
    if raw_phone and not (kind == c.PartyKind.PERSON and party.person_id):
        try:
            phone = personal.parse_phone(raw_phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
        else:
            party.put_phone(phone)
    if errors:
        raise ValidationError(errors)
    return party


def _same(a: DisputeParty, b: DisputeParty) -> bool:
    if a.kind != c.PartyKind.PERSON or b.kind != c.PartyKind.PERSON:
        return False
    return bool((a.person_id and a.person_id == b.person_id) or (a.id_hash and a.id_hash == b.id_hash))


def check_parties(parties: Iterable[DisputeParty]) -> None:
    """The same person (the same register entry or ID number) cannot be on both sides, nor twice."""
    items = list(parties)
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            if _same(a, b):
                message = SAME_PERSON if a.side != b.side else f"当事人{a.name}已登记，不能重复登记。"
                raise ValidationError({"parties": message})


def _party_snapshot(party: DisputeParty) -> dict:
    return audit.redacted_snapshot(party, PARTY_AUDIT_FIELDS)


def _may_edit(actor: Any, dispute: Dispute, action: str) -> None:
    if not (actor.can("disputes.register") or actor.can("disputes.mediate")) or not responsible(actor, dispute):
        _refuse(actor, action, dispute, "您不能修改此纠纷的当事人和调解记录。")
    if not Dispute.objects.visible_to(actor).filter(pk=dispute.pk).exists():
        _refuse(actor, action, dispute, "此纠纷不在您的管辖范围内。")
    if dispute.state not in EDITABLE_STATES:
        raise ValidationError({"__all__": f"此纠纷已{dispute.get_state_display()}，不能再修改当事人和调解记录。"})


# ------------------------------------------------------------------------------------------- registering
def dispute_register(*, actor: Any, data: dict, parties: Iterable[dict] = (), photos: Iterable[Any] = (),
                     idempotency_key: str | None = None) -> Dispute:
    """排查登记: validate (the place in the actor's scope, the category — a 5.56 code or a local name —, dates
    in order, people count, the referrer of a referral, the parties), then register through the case engine
    and write the parties, all in one transaction. A second send with the same `idempotency_key` gives back
    the first dispute (its `_created` is False) and writes nothing."""
    if not actor.can("disputes.register"):
        audit.record(actor=actor, action="dispute.create", outcome="failure", detail="无权登记矛盾纠纷")
        raise PermissionDenied("您的角色不能登记矛盾纠纷。")
    if idempotency_key:
        existing = Dispute.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            existing._created = False
            return existing
    data = {k: v for k, v in data.items() if k in REGISTER_FIELDS}
    for key in TEXT_FIELDS:
        data[key] = personal.clean_text(data.get(key))
    data.setdefault("registered_on", _today())
    data.setdefault("scale", c.Scale.INDIVIDUAL)
    data.setdefault("source", c.Source.GRID)
    data["violence_risk"] = bool(data.get("violence_risk"))
    errors = _check_register(actor, data)
    cleaned: list[DisputeParty] = []
    for i, given in enumerate(parties or ()):
        if not any(personal.clean_text(given.get(k)) for k in ("name", "person", "id_number", "phone")):
            continue  # an empty party row of the form
        try:
            cleaned.append(clean_party(actor, given))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"parties.{i}.{field}"] = "；".join(messages)
    if not errors:
        try:
            check_parties(cleaned)
        except ValidationError as exc:
            errors.update({k: "；".join(v) for k, v in exc.message_dict.items()})
    persons = sum(1 for p in cleaned if p.kind == c.PartyKind.PERSON)
    if isinstance(data.get("people_count"), int) and "people_count" not in errors and data["people_count"] < persons:
        errors["people_count"] = f"涉及人数（{data['people_count']}）不能少于登记的自然人当事人人数（{persons}）。"
    try:
        checked = clean_images(photos)
    except ValidationError as exc:
        errors["photos"] = "；".join(exc.message_dict["photos"])
        checked = []
    if errors:
        raise ValidationError(errors)
    if data.get("source") in c.REFERRAL_SOURCES and data.get("referrer_department") and not data["referrer_name"]:
        data["referrer_name"] = data["referrer_department"].name
    dispute = Dispute(**data, reported_by=actor if getattr(actor, "pk", None) else None)
    with transaction.atomic():
        dispute = engine.case_register(actor=actor, case=dispute, photos=checked, idempotency_key=idempotency_key,
                                       at=data["registered_on"] if data["registered_on"] < _today() else None)
        if getattr(dispute, "_created", True):
            for party in cleaned:
                party.dispute = dispute
                party.full_clean()
                party.save()
                audit.record(actor=actor, action="dispute.party_add", obj=dispute,
                             changes={"party": _party_snapshot(party)}, redact_as=[DisputeParty])
    return dispute


def party_add(*, actor: Any, dispute: Dispute, data: dict) -> DisputeParty:
    """Add a party to an open dispute."""
    _may_edit(actor, dispute, "dispute.party_add")
    party = clean_party(actor, data)
    with transaction.atomic():
        locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
        check_parties([*locked.parties.all(), party])
        party.dispute = locked
        party.full_clean()
        party.save()
        audit.record(actor=actor, action="dispute.party_add", obj=dispute, changes={"party": _party_snapshot(party)},
                     redact_as=[DisputeParty])
    return party


def party_update(*, actor: Any, party: DisputeParty, data: dict) -> DisputeParty:
    """Change a party. Numbers left empty keep what is stored (they are never shown in full to re-type)."""
    dispute = party.dispute
    _may_edit(actor, dispute, "dispute.party_update")
    given = dict(data)
    fresh = clean_party(actor, given)
    if not personal.clean_text(given.get("id_number")) and not fresh.person_id:
        fresh.copy_numbers(party, phone=False)
        if party.id_hash and fresh.kind == c.PartyKind.PERSON and not given.get("sex"):
            fresh.sex = party.sex
    if not personal.clean_text(given.get("phone")) and not fresh.person_id:
        fresh.copy_numbers(party, id_number=False)
    if fresh.kind == c.PartyKind.ORGANISATION:
        fresh.id_cipher = fresh.id_hash = fresh.id_masked = ""
    with transaction.atomic():
        Dispute.objects.select_for_update().get(pk=dispute.pk)
        current = DisputeParty.objects.select_for_update().get(pk=party.pk)
        others = list(DisputeParty.objects.filter(dispute_id=dispute.pk).exclude(pk=party.pk))
        check_parties([*others, fresh])
        before = _party_snapshot(current)
        for name in PARTY_AUDIT_FIELDS:
            setattr(current, name, getattr(fresh, name))
        current.full_clean()
        current.save()
        after = _party_snapshot(current)
        changes = audit.diff(before, after)
        if changes:
            audit.record(actor=actor, action="dispute.party_update", obj=dispute,
                         changes={"party": current.pk, **changes}, redact_as=[DisputeParty])
    return current


def party_remove(*, actor: Any, party: DisputeParty) -> None:
    dispute = party.dispute
    _may_edit(actor, dispute, "dispute.party_remove")
    with transaction.atomic():
        Dispute.objects.select_for_update().get(pk=dispute.pk)
        snap = _party_snapshot(party)
        DisputeParty.objects.filter(pk=party.pk).delete()
        audit.record(actor=actor, action="dispute.party_remove", obj=dispute, changes={"party": snap},
                     redact_as=[DisputeParty])


# ------------------------------------------------------------------------------------------ mediation
def session_add(*, actor: Any, dispute: Dispute, data: dict) -> MediationSession:
    """One mediation session (调解记录): date (not before registration, not in the future), place, attendees,
    record; the mediator is the dispute's main mediator unless another of its mediators is named."""
    _may_edit(actor, dispute, "dispute.session_add")
    errors: dict[str, str] = {}
    held = data.get("held_on")
    if not isinstance(held, dt.date):
        errors["held_on"] = "请填写调解日期。"
    elif held > _today():
        errors["held_on"] = "调解日期不能晚于今天。"
    elif held < dispute.registered_on:
        errors["held_on"] = f"调解日期不能早于登记日期（{dispute.registered_on:%Y-%m-%d}）。"
    place = personal.clean_text(data.get("place"))
    attendees = personal.clean_text(data.get("attendees"))
    record = (data.get("record") or "").strip()
    if not place:
        errors["place"] = "请填写调解地点。"
    if not attendees:
        errors["attendees"] = "请填写参加人员。"
    if not record:
        errors["record"] = "请填写调解笔录内容。"
    mediator = data.get("mediator") or dispute.mediator
    if mediator is not None:
        allowed = {dispute.mediator_id, *dispute.co_mediators.values_list("pk", flat=True)} - {None}
        if mediator.pk not in allowed:
            errors["mediator"] = "主持调解员须是本纠纷的主办或协办调解员。"
    if errors:
        raise ValidationError(errors)
    session = MediationSession(dispute=dispute, held_on=held, place=place[:200], attendees=attendees[:400],
                               record=record, mediator=mediator,
                               recorded_by=actor if getattr(actor, "pk", None) else None)
    with transaction.atomic():
        session.full_clean()
        session.save()
        audit.record(actor=actor, action="dispute.session_add", obj=dispute,
                     changes={"session": audit.snapshot(session, ("held_on", "place", "mediator", "attendees"))})
    return session


def co_mediators_set(*, actor: Any, dispute: Dispute, mediators: Iterable[Mediator]) -> list[Mediator]:
    """协办调解员: serving mediators of the dispute's place or the levels above it (not another township's),
    never the main mediator."""
    if not (actor.can("disputes.assign") or actor.can("disputes.mediate")) or not responsible(actor, dispute):
        _refuse(actor, "dispute.co_mediators", dispute, "您不能指派此纠纷的协办调解员。")
    _may_edit(actor, dispute, "dispute.co_mediators")
    chosen = list(dict.fromkeys(mediators))
    allowed = set(mediators_for(dispute).values_list("pk", flat=True))
    for m in chosen:
        if m.pk not in allowed:
            raise ValidationError({"mediators": f"调解员{m.name}属于其他乡镇或已不在任，不能指派。"})
        if m.pk == dispute.mediator_id:
            raise ValidationError({"mediators": f"{m.name}已是主办调解员。"})
    with transaction.atomic():
        before = sorted(dispute.co_mediators.values_list("pk", flat=True))
        dispute.co_mediators.set(chosen)
        after = sorted(m.pk for m in chosen)
        if before != after:
            audit.record(actor=actor, action="dispute.co_mediators", obj=dispute,
                         changes={"co_mediators": [before, after]})
    return chosen
