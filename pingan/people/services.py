"""Every write of the people module: one transaction, validation in Chinese, an audit entry.

Personal fields never reach the audit log in plaintext: pingan.core.audit redacts them by field type
(ciphertext, lookup hashes and encrypted health fields as "（已加密）", birth dates as the year, phones masked).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Sum

from pingan.core import audit, personal
from pingan.core.services import model_update
from pingan.core.uploads import clean_image
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import choices as c
from .models import (
    AidsDetail, CorrectionDetail, DrugDetail, Fund, FundSpending, Household, MentalDetail, Person, ReleasedDetail,
    RentalHouse, SpecialEnrollment, TreatmentEpisode, Visit, VisitRule, YouthDetail,
)

RELEASED_ASSIST_YEARS = 5  # 帮教 ends 5 years after release (domain reference §4)
MAX_PHOTO_BYTES = 5 * 1024 * 1024

DETAIL_MODELS: dict[str, type[models.Model]] = {
    c.SpecialKind.RELEASED: ReleasedDetail, c.SpecialKind.CORRECTION: CorrectionDetail,
    c.SpecialKind.MENTAL: MentalDetail, c.SpecialKind.DRUG: DrugDetail, c.SpecialKind.AIDS: AidsDetail,
    c.SpecialKind.YOUTH: YouthDetail,
}
DETAIL_FIELDS: dict[str, list[str]] = {
    kind: [f.name for f in model._meta.concrete_fields if f.name != "enrollment"] for kind, model in DETAIL_MODELS.items()
}


# ------------------------------------------------------------------------------------------- helpers
def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """audit.snapshot with the instance's personal fields redacted by type (core.audit)."""
    return audit.redacted_snapshot(instance, fields)


def _create(*, actor: Any, instance: models.Model, action: str, audit_obj: Any = None) -> models.Model:
    instance.full_clean()
    instance.save()
    audit.record(actor=actor, action=action, obj=audit_obj or instance, changes={"after": snapshot(instance)})
    return instance


def _update(*, actor: Any, instance: models.Model, data: dict[str, Any], action: str,
            audit_obj: Any = None) -> dict[str, list[Any]]:
    """core.services.model_update (compares with the stored row, saves the changed fields, audits them
    redacted), returning only the changes."""
    return model_update(actor=actor, instance=instance, data=data, action=action, audit_obj=audit_obj)[1]


def require(actor: Any, capability: str) -> None:
    """System writes (actor None: seed, migrations) pass; a user needs the capability."""
    if actor is not None and not actor.can(capability):
        raise PermissionDenied("您的角色没有此操作的权限。")


def check_grid(actor: Any, grid: Node | None, field: str = "jurisdiction") -> Node:
    if grid is None:
        raise ValidationError({field: "请选择所属网格。"})
    if grid.level != Level.GRID:
        raise ValidationError({field: f"“{grid.name}”不是网格：人员必须登记到网格。"})
    if actor is not None and not grid.path.startswith(actor.scope_path or "\0"):
        raise ValidationError({field: "所选网格不在您的管辖范围内。"})
    return grid


def _today() -> dt.date:
    return dt.date.today()


def _not_future(value: dt.date | None, field: str, label: str) -> None:
    if value and value > _today():
        raise ValidationError({field: f"{label} {value:%Y-%m-%d} 晚于今天，不能填写未来的日期。"})


# ------------------------------------------------------------------------------------------ identity
@dataclass
class Identity:
    """The encrypted columns of a person's ID (or foreign document) number."""

    id_cipher: str
    id_hash: str | None
    id_masked: str
    id_tail: str
    sex: str | None = None
    birth_date: dt.date | None = None


def identity_for(*, id_number: str = "", doc_type: str = "", doc_number: str = "", sex: str = "",
                 birth_date: dt.date | None = None) -> Identity:
    """Validate and encrypt a 公民身份号码 (checking sex and birth date agree) or a foreign document number."""
    if doc_type:
        if doc_type not in c.ForeignDocType.values:
            raise ValidationError({"doc_type": f"证件类型“{doc_type}”无效。"})
        number = personal.clean_text(doc_number).replace(" ", "").upper()
        if not number:
            raise ValidationError({"doc_number": "境外人员须填写证件号码。"})
        if len(number) > 30 or not number.isascii() or not number.replace("-", "").isalnum():
            raise ValidationError({"doc_number": f"证件号码“{number}”格式不正确：只能包含字母、数字和连字符，最长 30 位。"})
        return Identity(personal.encrypt(number), personal.lookup_hash(f"{doc_type}:{number}", namespace="doc"),
                        personal.mask_id(number), number[-4:], sex or None, birth_date)
    try:
        parsed = personal.parse_id_number(id_number)
        personal.check_sex_agrees(parsed, sex)
        personal.check_birth_agrees(parsed, birth_date)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    return Identity(personal.encrypt(parsed.value), personal.lookup_hash(parsed.value), parsed.masked, parsed.tail,
                    parsed.sex, parsed.birth_date)


def find_by_id_number(raw: str, queryset=None) -> Person | None:
    """Exact lookup by full ID number through the keyed hash (one indexed equality)."""
    parsed = personal.parse_id_number(raw)
    qs = queryset if queryset is not None else Person.objects.all()
    # No ordering: the default one joins the jurisdiction; the unique hash index answers alone.
    found = list(qs.filter(id_hash=personal.lookup_hash(parsed.value)).order_by()[:1])
    return found[0] if found else None


def _phone_fields(raw: Any, field: str = "phone") -> dict[str, str]:
    try:
        phone = personal.parse_phone(raw)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None
    return {"phone_cipher": personal.encrypt(phone), "phone_hash": personal.lookup_hash(phone, namespace="phone"),
            "phone_masked": personal.mask_phone(phone), "phone_tail": phone[-4:] if phone else ""}


PERSON_FIELDS = ("name", "former_name", "sex", "birth_date", "ethnicity", "native_place", "marital_status",
                 "political_status", "education", "religion", "occupation", "workplace", "nationality", "person_type",
                 "inflow_reason", "residence_permit", "residence_permit_until", "left_behind_type",
                 "household_address", "current_address", "registered_on", "note")


def _check_type_fields(data: dict[str, Any]) -> None:
    """Each 人口类型 carries its own fields (流入原因, 证件, 留守类型) and no other type's."""
    kind = data.get("person_type") or c.PersonType.REGISTERED
    errors: dict[str, str] = {}
    if kind not in c.PersonType.values:
        errors["person_type"] = f"人口类型“{kind}”无效。"
    if kind == c.PersonType.FLOATING and not data.get("inflow_reason"):
        errors["inflow_reason"] = "流动人口须填写流入原因。"
    if kind == c.PersonType.LEFT_BEHIND and not data.get("left_behind_type"):
        errors["left_behind_type"] = "留守人员须填写留守类型（老人、妇女或儿童）。"
    if kind == c.PersonType.FOREIGN and not data.get("doc_type"):
        errors["doc_type"] = "境外人员须填写证件类型和证件号码。"
    if kind != c.PersonType.FOREIGN and data.get("doc_type"):
        errors["doc_type"] = "只有境外人员使用其他证件；中国公民请填写公民身份号码。"
    if kind != c.PersonType.FLOATING:
        data["inflow_reason"], data["residence_permit"], data["residence_permit_until"] = "", "", None
    if kind != c.PersonType.LEFT_BEHIND:
        data["left_behind_type"] = ""
    if errors:
        raise ValidationError(errors)


def _duplicate_message(existing: Person, actor: Any) -> str:
    """Within the actor's scope the clash names the person; outside it says nothing of who or where, and the
    attempt counts as an exact lookup (audited, limited per hour: people.selectors), so registering numbers
    cannot be used to find out who lives in another township."""
    if actor is None or Person.objects.visible_to(actor).filter(pk=existing.pk).exists():
        return f"该证件号码已登记：{existing.name}（{existing.jurisdiction.name}）。"
    from .selectors import _lookup_allowed

    if not _lookup_allowed(actor, "证件号码（登记时）"):
        return "按完整号码查询过于频繁，请一小时后再试。"
    return "该证件号码已在其他辖区登记，请联系区综治中心核实后办理迁入。"


# --------------------------------------------------------------------------------------------- people
def person_register(*, actor: Any, grid: Node, data: dict[str, Any], id_number: str = "", doc_number: str = "",
                    phone: str = "") -> Person:
    """Register a person in a grid: the ID number validated (GB 11643, sex and birth date agree), encrypted,
    hashed for lookup; the phone likewise. A number already registered anywhere is refused.

    The clash check runs before the write's transaction, so the audit entry of a refused attempt outside
    the actor's scope stays (a refusal inside the transaction would roll it back)."""
    if id_number:
        try:
            parsed = personal.parse_id_number(id_number)
        except ValidationError:
            parsed = None  # reported with its reason by identity_for below
        if parsed is not None:
            existing = Person.objects.filter(id_hash=personal.lookup_hash(parsed.value)).select_related("jurisdiction").first()
            if existing is not None and actor is not None and actor.can("people.write"):
                raise ValidationError({"id_number": _duplicate_message(existing, actor)})
    return _person_register(actor=actor, grid=grid, data=data, id_number=id_number, doc_number=doc_number, phone=phone)


@transaction.atomic
def _person_register(*, actor: Any, grid: Node, data: dict[str, Any], id_number: str, doc_number: str,
                     phone: str) -> Person:
    require(actor, "people.write")
    check_grid(actor, grid)
    data = {k: v for k, v in data.items() if k in PERSON_FIELDS or k == "doc_type"}
    _check_type_fields(data)
    if not (data.get("name") or "").strip():
        raise ValidationError({"name": "姓名不能为空。"})
    ident = identity_for(id_number=id_number, doc_type=data.get("doc_type", ""), doc_number=doc_number,
                         sex=data.get("sex", ""), birth_date=data.get("birth_date"))
    existing = Person.objects.filter(id_hash=ident.id_hash).select_related("jurisdiction").first()
    if existing is not None:
        raise ValidationError({"id_number": _duplicate_message(existing, actor)})
    data["sex"] = ident.sex or data.get("sex") or ""
    data["birth_date"] = ident.birth_date or data.get("birth_date")
    data["name"] = data["name"].strip()
    _not_future(data.get("registered_on"), "registered_on", "登记日期")
    person = Person(jurisdiction=grid, id_cipher=ident.id_cipher, id_hash=ident.id_hash, id_masked=ident.id_masked,
                    id_tail=ident.id_tail, **_phone_fields(phone), **{k: v for k, v in data.items() if v is not None})
    return _create(actor=actor, instance=person, action="person.register")


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: dict[str, Any], grid: Node | None = None,
                  id_number: str | None = None, doc_number: str | None = None, phone: str | None = None) -> Person:
    """Change a person's fields (and optionally the grid, ID number or phone); only changed fields are written."""
    require(actor, "people.write")
    data = {k: v for k, v in data.items() if k in PERSON_FIELDS or k == "doc_type"}
    merged = {**{k: getattr(person, k) for k in ("person_type", "inflow_reason", "left_behind_type", "doc_type",
                                                  "residence_permit", "residence_permit_until")}, **data}
    _check_type_fields(merged)
    for key in ("inflow_reason", "left_behind_type", "residence_permit", "residence_permit_until"):
        data[key] = merged[key]
    if grid is not None and grid.pk != person.jurisdiction_id:
        data["jurisdiction"] = check_grid(actor, grid)
    if id_number is not None or doc_number is not None or "sex" in data or "birth_date" in data:
        if id_number or doc_number:
            ident = identity_for(id_number=id_number or "", doc_type=merged.get("doc_type", ""),
                                 doc_number=doc_number or "", sex=data.get("sex", person.sex),
                                 birth_date=data.get("birth_date", person.birth_date))
            if ident.id_hash != person.id_hash:
                clash = Person.objects.filter(id_hash=ident.id_hash).exclude(pk=person.pk).select_related("jurisdiction").first()
                if clash is not None:
                    raise ValidationError({"id_number": _duplicate_message(clash, actor)})
                data.update(id_cipher=ident.id_cipher, id_hash=ident.id_hash, id_masked=ident.id_masked, id_tail=ident.id_tail)
            data["sex"], data["birth_date"] = ident.sex or data.get("sex", person.sex), ident.birth_date or data.get("birth_date")
        elif not person.doc_type:
            ident_now = personal.parse_id_number(personal.decrypt(person.id_cipher))
            try:
                personal.check_sex_agrees(ident_now, data.get("sex", person.sex))
                personal.check_birth_agrees(ident_now, data.get("birth_date", person.birth_date))
            except ValidationError as exc:
                raise ValidationError({"sex": exc.messages}) from None
    if phone is not None:
        new_phone = _phone_fields(phone)
        if new_phone["phone_hash"] != person.phone_hash:
            data.update(new_phone)
    _update(actor=actor, instance=person, data=data, action="person.update")
    return person


@transaction.atomic
def person_deregister(*, actor: Any, person: Person, on: dt.date, reason: str) -> Person:
    """注销: the person moved away or died; kept for history, no longer counted from `on`."""
    require(actor, "people.write")
    _not_future(on, "deregistered_on", "注销日期")
    if on < person.registered_on:
        raise ValidationError({"deregistered_on": "注销日期不能早于登记日期。"})
    if not (reason or "").strip():
        raise ValidationError({"note": "请填写注销原因（迁出、死亡等）。"})
    note = f"{person.note}\n{on:%Y-%m-%d} 注销：{reason.strip()}".strip()
    _update(actor=actor, instance=person, data={"deregistered_on": on, "note": note}, action="person.deregister")
    return person


def person_reveal_id(*, actor: Any, person: Person, reason: str) -> str:
    """The full ID number, for a role allowed to reveal it; audited with the reason."""
    return personal.reveal(actor=actor, obj=person, field="id_number", label=person.id_label,
                           ciphertext=person.id_cipher, reason=reason, capability="people.reveal_id")


def person_reveal_phone(*, actor: Any, person: Person, reason: str) -> str:
    return personal.reveal(actor=actor, obj=person, field="phone", label="联系电话", ciphertext=person.phone_cipher,
                           reason=reason, capability="people.reveal_id")


# ----------------------------------------------------------------------------- households and rentals
@transaction.atomic
def household_create(*, actor: Any, grid: Node, number: str, address: str,
                     household_type: str = c.HouseholdType.FAMILY) -> Household:
    require(actor, "people.write")
    check_grid(actor, grid)
    number = personal.clean_text(number)
    if Household.objects.filter(jurisdiction=grid, number=number).exists():
        raise ValidationError({"number": f"户号 {number} 在本网格已存在。"})
    return _create(actor=actor, instance=Household(jurisdiction=grid, number=number, address=address.strip(),
                                                   household_type=household_type), action="household.create")


@transaction.atomic
def household_add_member(*, actor: Any, household: Household, person: Person, relation: str) -> Person:
    """Put a person into a household; relation 户主 makes them the head (one head per household)."""
    require(actor, "people.write")
    if relation not in c.Relation.values:
        raise ValidationError({"relation": f"与户主关系“{relation}”无效。"})
    if person.jurisdiction_id != household.jurisdiction_id:
        raise ValidationError({"person": "人员与户不在同一网格。"})
    if relation == c.Relation.HEAD and household.head_id and household.head_id != person.pk:
        raise ValidationError({"relation": f"该户已有户主（{household.head.name}），请先变更原户主的关系。"})
    _update(actor=actor, instance=person, data={"household": household, "relation": relation},
            action="household.add_member")
    if relation == c.Relation.HEAD:
        _update(actor=actor, instance=household, data={"head": person}, action="household.set_head")
    elif household.head_id == person.pk:
        _update(actor=actor, instance=household, data={"head": None}, action="household.set_head")
    return person


@transaction.atomic
def rental_house_register(*, actor: Any, grid: Node, data: dict[str, Any], owner_phone: str = "") -> RentalHouse:
    """出租房屋 with its owner (a registered person when known) and use (5.18)."""
    require(actor, "people.write")
    check_grid(actor, grid)
    phone = _phone_fields(owner_phone, "owner_phone")
    owner = data.get("owner")
    if owner is not None and not data.get("owner_name"):
        data["owner_name"] = owner.name
    house = RentalHouse(jurisdiction=grid, owner_phone_cipher=phone["phone_cipher"],
                        owner_phone_masked=phone["phone_masked"],
                        **{k: v for k, v in data.items() if k in ("address", "owner", "owner_name", "use", "area", "rooms",
                                                                   "registered_on", "note")})
    _not_future(house.registered_on, "registered_on", "登记日期")
    return _create(actor=actor, instance=house, action="rental_house.register")


@transaction.atomic
def rental_house_add_tenant(*, actor: Any, house: RentalHouse, person: Person) -> Person:
    require(actor, "people.write")
    if person.jurisdiction.parent_id != house.jurisdiction.parent_id:
        raise ValidationError({"person": "承租人与出租房屋不在同一村(社区)。"})
    _update(actor=actor, instance=person, data={"rental_house": house}, action="rental_house.add_tenant")
    return person


# ------------------------------------------------------------------------------------ special people
def check_risk_level(kind: str, level: str) -> str:
    """精神障碍: 0–5级; the other kinds: 高/中/低 (labels accepted)."""
    level = personal.clean_text(level)
    if not level:
        return ""
    if kind == c.SpecialKind.MENTAL:
        value = level.removesuffix("级")
        if value not in c.MentalRisk.values:
            raise ValidationError({"risk_level": f"严重精神障碍患者的危险性评估等级只能是 0–5 级，“{level}”无效。"})
        return value
    by_label = {label: value for value, label in c.GeneralRisk.choices}
    value = by_label.get(level.removesuffix("风险"), level)
    if value not in c.GeneralRisk.values:
        raise ValidationError({"risk_level": f"风险等级只能是 高、中、低，“{level}”无效。"})
    return value


def _rules() -> dict[tuple[str, str], VisitRule]:
    return {(r.kind, r.risk_level): r for r in VisitRule.objects.all()}


def next_visit_for(enrollment: SpecialEnrollment, rules: dict[tuple[str, str], VisitRule] | None = None) -> dt.date | None:
    """The visit plan: last visit (or enrolment) + the rule's interval for the kind and risk level."""
    if not enrollment.is_active:
        return None
    rules = rules if rules is not None else _rules()
    rule = rules.get((enrollment.kind, enrollment.risk_level)) or rules.get((enrollment.kind, ""))
    days = rule.effective_days if rule else 90
    return (enrollment.last_visit_on or enrollment.enrolled_on) + dt.timedelta(days=days)


def _check_detail(kind: str, details: dict[str, Any], enrolled_on: dt.date) -> dict[str, Any]:
    details = {k: v for k, v in details.items() if k in DETAIL_FIELDS[kind]}
    if kind == c.SpecialKind.CORRECTION:
        category = personal.clean_text(details.get("category", ""))
        if category in c.CORRECTION_NOT_ANY_MORE:
            raise ValidationError({"category": c.CORRECTION_NOT_ANY_MORE[category]})
        details["category"] = {label: value for value, label in c.CorrectionCategory.choices}.get(category, category)
        if details.get("starts_on") and details.get("ends_on") and details["ends_on"] < details["starts_on"]:
            raise ValidationError({"ends_on": "矫正终止日期不能早于起始日期。"})
        if details.get("judgment_on") and details.get("reported_on") and details["reported_on"] < details["judgment_on"]:
            raise ValidationError({"reported_on": "报到日期不能早于判决生效日期。"})
    if kind == c.SpecialKind.RELEASED and details.get("release_date"):
        _not_future(details["release_date"], "release_date", "释放日期")
    return details


def _save_detail(*, actor: Any, enrollment: SpecialEnrollment, details: dict[str, Any], create: bool) -> None:
    model = DETAIL_MODELS[enrollment.kind]
    if create:
        detail = model(enrollment=enrollment, **details)
        try:
            detail.full_clean()
        except ValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        detail.save()
        audit.record(actor=actor, action="special_person.detail_create", obj=enrollment,
                     changes={"after": snapshot(detail)})
        return
    detail = model.objects.filter(enrollment=enrollment).first() or model(enrollment=enrollment)
    if detail._state.adding:
        _save_detail(actor=actor, enrollment=enrollment, details=details, create=True)
        return
    _update(actor=actor, instance=detail, data=details, action="special_person.detail_update", audit_obj=enrollment)


def _planned_end(kind: str, details: dict[str, Any], current: dt.date | None = None) -> dt.date | None:
    if kind == c.SpecialKind.RELEASED and details.get("release_date"):
        release = details["release_date"]
        try:
            return release.replace(year=release.year + RELEASED_ASSIST_YEARS)
        except ValueError:  # 29 February
            return release.replace(year=release.year + RELEASED_ASSIST_YEARS, day=28)
    if kind == c.SpecialKind.CORRECTION and details.get("ends_on"):
        return details["ends_on"]
    return current


@transaction.atomic
def special_person_enroll(*, actor: Any, person: Person, kind: str, enrolled_on: dt.date, risk_level: str = "",
                          measures: str = "", details: dict[str, Any] | None = None,
                          responsible_users: Iterable[Any] = (), responsible_name: str = "",
                          responsible_phone: str = "") -> SpecialEnrollment:
    """列管: put a person under management as one kind, with the kind's own fields and a visit plan."""
    require(actor, "people.write")
    if kind not in c.SpecialKind.values:
        raise ValidationError({"kind": f"人群类型“{kind}”无效。"})
    if kind in c.HEALTH_KINDS and actor is not None and not actor.can("people.read_health"):
        raise PermissionDenied("您的角色不能登记涉及健康信息的人员。")
    if enrolled_on is None:
        raise ValidationError({"enrolled_on": "请填写列管日期。"})
    _not_future(enrolled_on, "enrolled_on", "列管日期")
    if SpecialEnrollment.objects.filter(person=person, kind=kind).exists():
        raise ValidationError({"kind": f"{person.name}已列管为{c.SpecialKind(kind).label}。"})
    details = _check_detail(kind, details or {}, enrolled_on)
    enrollment = SpecialEnrollment(person=person, jurisdiction_id=person.jurisdiction_id, kind=kind,
                                   enrolled_on=enrolled_on, risk_level=check_risk_level(kind, risk_level),
                                   measures=measures, responsible_name=responsible_name,
                                   responsible_phone=personal.clean_text(responsible_phone),
                                   planned_end_on=_planned_end(kind, details))
    enrollment.next_visit_on = next_visit_for(enrollment)
    _create(actor=actor, instance=enrollment, action="special_person.enroll")
    _save_detail(actor=actor, enrollment=enrollment, details=details, create=True)
    users = list(responsible_users)
    if users:
        _set_responsible(enrollment, users)
    return enrollment


def _set_responsible(enrollment: SpecialEnrollment, users: list[Any]) -> None:
    # A responsible person must be able to see the enrolment (scope at or above its grid).
    outside = [u for u in users if not u.scope_path or not enrollment.jurisdiction.path.startswith(u.scope_path)]
    if outside:
        raise ValidationError({"responsible_users": f"责任人 {outside[0]} 的管辖范围不含该人员。"})
    enrollment.responsible_users.set(users)
    if not enrollment.responsible_name:
        names = "、".join(u.full_name or u.username for u in users)
        SpecialEnrollment.objects.filter(pk=enrollment.pk).update(responsible_name=names[:100])
        enrollment.responsible_name = names[:100]


@transaction.atomic
def special_person_update(*, actor: Any, enrollment: SpecialEnrollment, data: dict[str, Any],
                          details: dict[str, Any] | None = None,
                          responsible_users: Iterable[Any] | None = None) -> SpecialEnrollment:
    """Change an enrolment (risk level, measures, responsible people, the kind's fields); the plan follows."""
    require(actor, "people.write")
    data = {k: v for k, v in data.items() if k in ("enrolled_on", "risk_level", "measures", "responsible_name",
                                                   "responsible_phone", "released_on")}
    if "risk_level" in data:
        data["risk_level"] = check_risk_level(enrollment.kind, data["risk_level"])
    if data.get("enrolled_on"):
        _not_future(data["enrolled_on"], "enrolled_on", "列管日期")
    if details is not None:
        details = _check_detail(enrollment.kind, details, data.get("enrolled_on") or enrollment.enrolled_on)
        data["planned_end_on"] = _planned_end(enrollment.kind, details, enrollment.planned_end_on)
    _update(actor=actor, instance=enrollment, data=data, action="special_person.update")
    if details is not None:
        _save_detail(actor=actor, enrollment=enrollment, details=details, create=False)
    if responsible_users is not None:
        before = sorted(enrollment.responsible_users.values_list("pk", flat=True))
        users = list(responsible_users)
        if sorted(u.pk for u in users) != before:
            _set_responsible(enrollment, users)
            audit.record(actor=actor, action="special_person.set_responsible", obj=enrollment,
                         changes={"responsible_users": [before, sorted(u.pk for u in users)]})
    _replan(actor=actor, enrollment=enrollment)
    return enrollment


@transaction.atomic
def special_person_release(*, actor: Any, enrollment: SpecialEnrollment, released_on: dt.date,
                           reason: str = "") -> SpecialEnrollment:
    """解除列管: no more visits planned."""
    require(actor, "people.write")
    if released_on is None:
        raise ValidationError({"released_on": "请填写解除列管日期。"})
    _not_future(released_on, "released_on", "解除列管日期")
    if released_on < enrollment.enrolled_on:
        raise ValidationError({"released_on": "解除列管日期不能早于列管日期。"})
    measures = f"{enrollment.measures}\n{released_on:%Y-%m-%d} 解除列管：{reason}".strip() if reason else enrollment.measures
    _update(actor=actor, instance=enrollment, data={"released_on": released_on, "measures": measures, "next_visit_on": None},
            action="special_person.release")
    return enrollment


def _replan(*, actor: Any, enrollment: SpecialEnrollment) -> None:
    planned = next_visit_for(enrollment)
    if planned != enrollment.next_visit_on:
        _update(actor=actor, instance=enrollment, data={"next_visit_on": planned}, action="special_person.replan")


# --------------------------------------------------------------------------------------------- visits
def _clean_photo(photo: Any) -> Any:
    """The visit photo checked and re-encoded by the one upload validator (pingan.core.uploads): a real
    image, stored under its detected type, without EXIF — where the visitor stood is their own data."""
    if not photo:
        return None
    return clean_image(photo, field="photo", max_bytes=MAX_PHOTO_BYTES).file


@transaction.atomic
def visit_record(*, actor: Any, enrollment: SpecialEnrollment, visited_on: dt.date, form: str, findings: str,
                 risk_after: str = "", photo: Any = None, visitor_name: str = "") -> Visit:
    """Record a 走访/随访; a new risk level changes the enrolment's level and so its visit plan."""
    require(actor, "people.visit")
    errors: dict[str, str] = {}
    if visited_on is None:
        errors["visited_on"] = "请填写走访日期。"
    elif visited_on > _today():
        errors["visited_on"] = f"走访日期 {visited_on:%Y-%m-%d} 晚于今天：只能记录已经完成的走访。"
    elif visited_on < enrollment.enrolled_on:
        errors["visited_on"] = f"走访日期不能早于列管日期 {enrollment.enrolled_on:%Y-%m-%d}。"
    if form not in c.VisitForm.values:
        errors["form"] = "请选择走访形式：上门、电话或约见。"
    if not (findings or "").strip():
        errors["findings"] = "请填写走访情况。"
    if not enrollment.is_active:
        errors["enrollment"] = "该人员已解除列管，不再安排走访。"
    if errors:
        raise ValidationError(errors)
    risk_after = check_risk_level(enrollment.kind, risk_after) if risk_after else ""
    photo = _clean_photo(photo)
    name = visitor_name or (getattr(actor, "full_name", "") or getattr(actor, "username", "") if actor else "系统")
    visit = Visit(enrollment=enrollment, jurisdiction_id=enrollment.jurisdiction_id, visited_on=visited_on,
                  visitor=actor if getattr(actor, "pk", None) else None, visitor_name=name[:50], form=form,
                  findings=findings.strip(), risk_before=enrollment.risk_level, risk_after=risk_after,
                  due_on=enrollment.next_visit_on,
                  on_time=enrollment.next_visit_on is None or visited_on <= enrollment.next_visit_on)
    if photo:
        visit.photo = photo
    _create(actor=actor, instance=visit, action="visit.record", audit_obj=visit)
    data: dict[str, Any] = {}
    if enrollment.last_visit_on is None or visited_on >= enrollment.last_visit_on:
        data["last_visit_on"] = visited_on
    if risk_after and risk_after != enrollment.risk_level:
        data["risk_level"] = risk_after
    if data:
        _update(actor=actor, instance=enrollment, data=data, action="special_person.visited")
    _replan(actor=actor, enrollment=enrollment)
    return visit


@transaction.atomic
def visit_rules_save(*, actor: Any, rows: list[dict[str, Any]]) -> int:
    """Save the visit rules (the district's configuration) and re-plan every active enrolment they touch."""
    require(actor, "people.manage_rules")
    touched: set[str] = set()
    for row in rows:
        kind, level = row["kind"], row.get("risk_level", "")
        if kind not in c.SpecialKind.values:
            raise ValidationError({"kind": f"人群类型“{kind}”无效。"})
        if level:
            check_risk_level(kind, level)
        days, per_year = row.get("interval_days"), row.get("min_per_year", 0)
        if not isinstance(days, int) or not 1 <= days <= 366:
            raise ValidationError({"interval_days": f"{c.SpecialKind(kind).label}的走访间隔应为 1–366 天。"})
        if not isinstance(per_year, int) or not 0 <= per_year <= 52:
            raise ValidationError({"min_per_year": f"{c.SpecialKind(kind).label}的每年至少走访次数应为 0–52。"})
        rule = VisitRule.objects.filter(kind=kind, risk_level=level).first()
        if rule is None:
            _create(actor=actor, instance=VisitRule(kind=kind, risk_level=level, interval_days=days, min_per_year=per_year),
                    action="visit_rule.create")
            touched.add(kind)
        elif _update(actor=actor, instance=rule, data={"interval_days": days, "min_per_year": per_year},
                     action="visit_rule.update"):
            touched.add(kind)
    return replan_all(kinds=touched) if touched else 0


def replan_all(*, kinds: Iterable[str] | None = None, batch: int = 2000) -> int:
    """Recompute next_visit_on for active enrolments (after a rule change); bulk, in batches."""
    rules = _rules()
    qs = SpecialEnrollment.objects.active().only("id", "kind", "risk_level", "enrolled_on", "last_visit_on",
                                                 "released_on", "planned_end_on", "next_visit_on")
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    changed: list[SpecialEnrollment] = []
    count = 0
    for enrollment in qs.iterator(chunk_size=batch):
        planned = next_visit_for(enrollment, rules)
        if planned != enrollment.next_visit_on:
            enrollment.next_visit_on = planned
            changed.append(enrollment)
        if len(changed) >= batch:
            SpecialEnrollment.objects.bulk_update(changed, ["next_visit_on"])
            count += len(changed)
            changed = []
    if changed:
        SpecialEnrollment.objects.bulk_update(changed, ["next_visit_on"])
        count += len(changed)
    return count


# ------------------------------------------------------------------------- treatment and fund spending
@transaction.atomic
def treatment_episode_record(*, actor: Any, enrollment: SpecialEnrollment, hospital: str, started_on: dt.date,
                             ended_on: dt.date | None = None, compulsory: bool = True, reason: str = "") -> TreatmentEpisode:
    """A treatment episode (强制医疗 / 送治) of a 严重精神障碍患者."""
    require(actor, "people.write")
    if actor is not None and not actor.can("people.read_health"):
        raise PermissionDenied("您的角色不能登记健康信息。")
    if enrollment.kind != c.SpecialKind.MENTAL:
        raise ValidationError({"enrollment": "只有严重精神障碍患者登记住院治疗。"})
    _not_future(started_on, "started_on", "入院日期")
    if ended_on and started_on and ended_on < started_on:
        raise ValidationError({"ended_on": "出院日期不能早于入院日期。"})
    episode = TreatmentEpisode(enrollment=enrollment, jurisdiction_id=enrollment.jurisdiction_id, hospital=hospital.strip(),
                               started_on=started_on, ended_on=ended_on, compulsory=compulsory, reason=reason)
    return _create(actor=actor, instance=episode, action="treatment.record")


@transaction.atomic
def fund_create(*, actor: Any, jurisdiction: Node, name: str, year: int, amount: Decimal) -> Fund:
    require(actor, "people.manage_funds")
    if actor is not None and not jurisdiction.path.startswith(actor.scope_path or "\0"):
        raise ValidationError({"jurisdiction": "所选辖区不在您的管辖范围内。"})
    return _create(actor=actor, instance=Fund(jurisdiction=jurisdiction, name=name.strip(), year=year, amount=amount),
                   action="fund.create")


@transaction.atomic
def fund_spend(*, actor: Any, fund: Fund, enrollment: SpecialEnrollment, spent_on: dt.date, amount: Decimal,
               purpose: str, episode: TreatmentEpisode | None = None) -> FundSpending:
    """A spending from a fund for one person; the fund may not be overspent."""
    require(actor, "people.write")
    if not enrollment.jurisdiction.path.startswith(fund.jurisdiction.path):
        raise ValidationError({"enrollment": "该人员不在此资金的使用范围内。"})
    _not_future(spent_on, "spent_on", "支出日期")
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "金额应大于 0。"})
    if episode is not None and episode.enrollment_id != enrollment.pk:
        raise ValidationError({"episode": "住院记录不属于该人员。"})
    # Lock the fund row so two spendings at once cannot overspend it.
    Fund.objects.select_for_update().filter(pk=fund.pk).first()
    spent = FundSpending.objects.filter(fund=fund).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if spent + amount > fund.amount:
        raise ValidationError({"amount": f"资金余额不足：总额 {fund.amount} 元，已支出 {spent} 元，余额 {fund.amount - spent} 元。"})
    spending = FundSpending(fund=fund, enrollment=enrollment, jurisdiction_id=enrollment.jurisdiction_id, episode=episode,
                            spent_on=spent_on, amount=amount, purpose=purpose.strip())
    return _create(actor=actor, instance=spending, action="fund.spend")
