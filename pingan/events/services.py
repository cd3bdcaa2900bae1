"""Every write of the grid-event module: configuration (categories, their fields, dispatch rules, Open311
keys) and reporting an event (checked here, registered by the case engine). One transaction each, audited.

The workflow steps, 督办, 延期 and 评价 are the case engine's (`pingan.cases.engine`, declared in workflow.py);
only the batch 派遣 (each event to its rule's unit when none is chosen) is events' own."""
from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from dataclasses import dataclass
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from pingan.accounts.models import Department
from pingan.core import audit, personal
from pingan.core.personal import mask_phone
from pingan.core.services import model_create, model_update, validation_message
from pingan.core.uploads import MAX_FILES
from pingan.cases import deadlines as case_deadlines
from pingan.cases import engine
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import deadlines, intake
from .choices import Channel, EventState, FieldType, PhotoStage, PublicDisplay, Source, Urgency
from .models import Category, CategoryField, DispatchRule, Event, Open311Key

REPORT_LEVELS = (Level.GRID, Level.VILLAGE, Level.COMMUNITY)


def _require(actor: Any, capability: str, message: str) -> None:
    if actor is not None and not actor.can(capability):
        raise PermissionDenied(message)


def _in_scope(actor: Any, node: Node) -> bool:
    return actor is None or bool(actor.scope_path) and node.path.startswith(actor.scope_path)


# --- Categories ------------------------------------------------------------------------------------------
CATEGORY_FIELDS = ("code", "name", "parent", "description", "keywords", "is_sensitive", "is_public",
                   "public_display", "deadline_amount", "deadline_unit", "urgent_deadline_amount", "photo_rule", "is_active", "order")


@transaction.atomic
def category_save(*, actor: Any, data: dict[str, Any], instance: Category | None = None) -> Category:
    """Create or edit a category. Two levels only: a 小类's parent is a 大类; the code starts with it."""
    _require(actor, "events.configure", "只有区综治中心可以维护事件类别。")
    data = dict(data)
    data["code"] = intake.normalize(data.get("code", "")).upper()
    parent = data.get("parent")
    errors = {}
    if parent is not None:
        if parent.parent_id:
            errors["parent"] = "所属大类必须是一级类别（只支持两级）。"
        elif instance is not None and parent.pk == instance.pk:
            errors["parent"] = "类别不能属于自己。"
        elif not data["code"].startswith(parent.code):
            errors["code"] = f"小类代码应以大类代码 {parent.code} 开头。"
        if instance is not None and instance.children.exists():
            errors["parent"] = "该类别下已有小类，不能再归入其他大类。"
    if data.get("public_display") not in PublicDisplay.values:
        if "public_display" in data and data["public_display"]:
            errors["public_display"] = "公开展示的取值无效。"
        elif instance is None:
            # Not chosen: citizens' own reports of a category they may report and that is not sensitive.
            sensitive, public = data.get("is_sensitive", False), data.get("is_public", True)
            data["public_display"] = PublicDisplay.NONE if sensitive or not public else PublicDisplay.CITIZEN
        else:
            data.pop("public_display", None)
    if errors:
        raise ValidationError(errors)
    if instance is None:
        jurisdiction = data.pop("jurisdiction", None) or (actor.scope if actor is not None else None)
        if jurisdiction is None:
            jurisdiction = Node.objects.filter(level=Level.COUNTY).order_by("path").first()
        return model_create(actor=actor, model=Category, action="events.category.create",
                            data={**data, "jurisdiction": jurisdiction})
    instance, _ = model_update(actor=actor, instance=instance, data=data, action="events.category.update",
                               fields=CATEGORY_FIELDS)
    return instance


def _check_field_values(datatype: str, values: Any) -> list[dict[str, str]]:
    if datatype not in (FieldType.SINGLE, FieldType.MULTI):
        return []
    if not isinstance(values, list) or not values:
        raise ValidationError({"values": "单选/多选字段至少要有一个可选值。"})
    result, keys = [], set()
    for item in values:
        if not isinstance(item, dict) or not str(item.get("key", "")).strip() or not str(item.get("name", "")).strip():
            raise ValidationError({"values": "每个可选值都要有代码和名称。"})
        key = intake.normalize(item["key"])
        if key in keys:
            raise ValidationError({"values": f"可选值代码“{key}”重复。"})
        keys.add(key)
        result.append({"key": key, "name": str(item["name"]).strip()[:60]})
    return result


def parse_value_lines(text: str) -> list[dict[str, str]]:
    """'1=轻微\\n2=严重' (or '1 轻微') → [{key, name}, …]; used by the category field form."""
    result = []
    for line in (text or "").splitlines():
        line = intake.normalize(line)
        if not line:
            continue
        for sep in ("=", ":", " "):
            if sep in line:
                key, name = line.split(sep, 1)
                break
        else:
            key, name = line, line
        result.append({"key": key.strip(), "name": name.strip()})
    return result


@transaction.atomic
def category_field_save(*, actor: Any, category: Category, data: dict[str, Any],
                        instance: CategoryField | None = None) -> CategoryField:
    _require(actor, "events.configure", "只有区综治中心可以维护事件类别。")
    data = dict(data)
    data["values"] = _check_field_values(data.get("datatype", FieldType.STRING), data.get("values", []))
    if instance is None:
        if CategoryField.objects.filter(category=category, code=data.get("code")).exists():
            raise ValidationError({"code": f"字段代码“{data.get('code')}”在该类别中已存在。"})
        return model_create(actor=actor, model=CategoryField, action="events.category_field.create",
                            data={**data, "category": category})
    instance, _ = model_update(actor=actor, instance=instance, data=data, action="events.category_field.update",
                               fields=("code", "label", "datatype", "required", "values", "order"))
    return instance


@transaction.atomic
def category_field_delete(*, actor: Any, field: CategoryField) -> None:
    _require(actor, "events.configure", "只有区综治中心可以维护事件类别。")
    audit.record(actor=actor, action="events.category_field.delete", obj=field,
                 changes={"before": audit.snapshot(field)})
    field.delete()


# --- Dispatch rules ---------------------------------------------------------------------------------------
@transaction.atomic
def dispatch_rule_save(*, actor: Any, data: dict[str, Any], instance: DispatchRule | None = None) -> DispatchRule:
    """Create or edit a rule (category × place → department or township, deadline)."""
    _require(actor, "events.configure", "只有区综治中心可以维护派遣规则。")
    data = dict(data)
    errors = {}
    place = data.get("jurisdiction") or (instance.jurisdiction if instance else None)
    if place is not None and actor is not None and not _in_scope(actor, place):
        errors["jurisdiction"] = "适用范围超出了您的管辖范围。"
    if not data.get("department") and not data.get("township"):
        errors["department"] = "请选择承办部门或承办乡镇。"
    if data.get("department") and data.get("township"):
        errors["township"] = "承办部门和承办乡镇只能选一个。"
    township = data.get("township")
    if township is not None and township.level != Level.TOWNSHIP:
        errors["township"] = "承办乡镇必须是乡镇（街道）。"
    if bool(data.get("deadline_amount")) != bool(data.get("deadline_unit")):
        errors["deadline_amount"] = "时限和单位要一起填写，或都不填（按类别时限）。"
    if errors:
        raise ValidationError(errors)
    data["deadline_unit"] = data.get("deadline_unit") or ""
    duplicate = DispatchRule.objects.filter(category=data.get("category"), jurisdiction=place)
    if instance is not None:
        duplicate = duplicate.exclude(pk=instance.pk)
    if duplicate.exists():
        raise ValidationError({"category": "该类别在该范围已有派遣规则，请直接修改。"})
    if instance is None:
        return model_create(actor=actor, model=DispatchRule, action="events.rule.create", data=data)
    instance, _ = model_update(actor=actor, instance=instance, data=data, action="events.rule.update",
                               fields=("jurisdiction", "category", "department", "township", "deadline_amount",
                                       "deadline_unit", "note"))
    return instance


@transaction.atomic
def dispatch_rule_delete(*, actor: Any, rule: DispatchRule) -> None:
    _require(actor, "events.configure", "只有区综治中心可以维护派遣规则。")
    audit.record(actor=actor, action="events.rule.delete", obj=rule, changes={"before": audit.snapshot(rule)})
    rule.delete()



# --- Open311 keys -----------------------------------------------------------------------------------------
@dataclass
class IssuedKey:
    key: Open311Key
    secret: str


@transaction.atomic
def open311_key_issue(*, actor: Any, name: str, channel: str = Channel.PARTNER,
                      jurisdiction: Node | None = None) -> IssuedKey:
    """Issue a key for one channel. The secret is returned once; only its keyed hash is stored."""
    _require(actor, "events.keys", "只有区综治中心管理员可以签发接口密钥。")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写密钥名称（如 12345 热线对接）。"})
    if channel not in Channel.values:
        raise ValidationError({"channel": f"渠道“{channel}”无效，可选：{'、'.join(Channel.labels)}。"})
    if jurisdiction is None:
        jurisdiction = actor.scope if actor is not None else Node.objects.filter(level=Level.COUNTY).order_by("path").first()
    if jurisdiction is None:
        raise ValidationError({"jurisdiction": "系统中还没有辖区，无法签发密钥。"})
    secret = "pa_" + secrets.token_urlsafe(30)
    key = model_create(actor=actor, model=Open311Key, action="events.open311_key.issue", data={
        "name": name[:60], "channel": channel, "jurisdiction": jurisdiction,
        "key_hash": intake.hash_secret(secret, "open311"), "key_prefix": secret[:8], "created_by": actor,
    })
    return IssuedKey(key=key, secret=secret)


@transaction.atomic
def open311_key_revoke(*, actor: Any, key: Open311Key) -> Open311Key:
    _require(actor, "events.keys", "只有区综治中心管理员可以停用接口密钥。")
    key, _ = model_update(actor=actor, instance=key, data={"is_active": False}, action="events.open311_key.revoke")
    return key


def open311_key_check(secret: str) -> Open311Key | None:
    secret = (secret or "").strip()
    if not secret or len(secret) > 100:
        return None
    return Open311Key.objects.filter(key_hash=intake.hash_secret(secret, "open311"), is_active=True) \
        .select_related("jurisdiction").first()


# --- Reporting --------------------------------------------------------------------------------------------
@dataclass
class Report:
    """What one report gave back: the event, whether this call created it (False: an idempotent repeat),
    and for a citizen the lookup code (shown once)."""
    event: Event
    created: bool
    lookup_code: str = ""


def event_report(*, actor: Any, category: Category | None, description: Any, jurisdiction: Node | None = None,
                 latitude: Any = None, longitude: Any = None, address: str = "", urgency: str = Urgency.NORMAL,
                 photos: Iterable[Any] = (), attributes: dict[str, Any] | None = None,
                 idempotency_key: Any = None, source: str = Source.GRID, channel: str = "",
                 api_key: Open311Key | None = None, reporter_name: str = "", reporter_phone: str = "",
                 reporter_email: str = "", within: Node | None = None) -> Report:
    """Record one event. Every input is checked before anything is written; the same idempotency key sent
    twice (an offline phone resending) gives back the first event and writes nothing.

    A signed-in reporter (网格员, 村专干, centre) reports in a grid or village of their scope (their own grid by
    default); a citizen or an Open311 client reports at a point, and the nearest grid of the district (of
    `within`, the key's area) is the event's place.
    """
    key = intake.check_idempotency_key(idempotency_key)
    if key:
        # An offline phone resending: its first event back before anything is checked again.
        existing = Event.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _repeat(actor, existing)
    errors: dict[str, Any] = {}
    if source in (Source.GRID, Source.CENTRE):
        _require(actor, "events.report", "您的角色不能上报网格事件。")
    if category is None:
        errors["category"] = "请选择事件类别。"
    elif category.parent_id is None or not category.is_active:
        errors["category"] = "请选择一个启用的事件小类。"
    elif source in (Source.PUBLIC, Source.OPEN311) and not category.is_public:
        errors["category"] = "该类别不接受群众上报。"
    try:
        text = intake.check_description(description)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        lat, lng = intake.check_location(latitude, longitude)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        lat = lng = None
    address = (address or "").strip()
    if len(address) > 200:
        errors["address"] = "地址最多 200 字。"
    if urgency not in Urgency.values:
        errors["urgency"] = f"紧急程度“{str(urgency)[:10]}”无效。"
    if source in (Source.GRID, Source.CENTRE):
        if jurisdiction is None and actor is not None and actor.scope_id and actor.scope.level in REPORT_LEVELS:
            jurisdiction = actor.scope
        if jurisdiction is None:
            errors["jurisdiction"] = "请选择事件所在的网格或村(社区)。"
        elif jurisdiction.level not in REPORT_LEVELS:
            errors["jurisdiction"] = "事件所在地应为网格或村(社区)。"
        elif not _in_scope(actor, jurisdiction):
            errors["jurisdiction"] = "所选网格不在您的管辖范围内。"
    elif not errors.get("latitude"):
        if lat is None and not address:
            errors["latitude"] = "请提供事件位置：经纬度或地址。"
        elif lat is not None:
            # The grid nearest to the point in the whole district, then the key's area checked: limiting the
            # search to the area would pin a point far outside it on the area's nearest grid.
            jurisdiction = intake.locate(lat, lng)
            if jurisdiction is not None and within is not None and not jurisdiction.path.startswith(within.path):
                errors["area"] = f"位置（{lat}，{lng}）不在本接口密钥的受理范围（{within.name}）内。"
        else:
            jurisdiction = _match_address(address, within)
            if jurisdiction is None and within is not None and _match_address(address, None) is not None:
                errors["area"] = f"地址“{address[:40]}”不在本接口密钥的受理范围（{within.name}）内。"
        if jurisdiction is None and "latitude" not in errors and "area" not in errors:
            errors["latitude"] = "该位置不在本接口密钥的受理范围内。" if within is not None else "无法确定事件所在的网格。"
    photos = [p for p in photos if p]
    if len(photos) > MAX_FILES:
        errors["photos"] = f"一次最多上传 {MAX_FILES} 张照片。"
    prepared = []
    if "photos" not in errors:
        for upload in photos:
            try:
                prepared.append(intake.prepare_photo(upload))
            except ValidationError as exc:
                errors.setdefault("photos", exc.message_dict["photos"])
    if category is not None and "category" not in errors:
        if category.photo_required(PhotoStage.REPORT) and not photos and source == Source.GRID:
            errors["photos"] = f"按区里的规定，“{category.name}”上报时需要附照片。"
        try:
            attributes = intake.check_attributes(category, attributes or {})
        except ValidationError as exc:
            errors.update(exc.message_dict)
    reporter_name = (reporter_name or "").strip()[:50]
    reporter_phone = intake.normalize(reporter_phone)[:20]
    if reporter_phone and not reporter_phone.replace("-", "").replace("+", "").isdigit():
        errors["reporter_phone"] = "联系电话只能包含数字。"
    if errors:
        raise ValidationError(errors)
    # A key sent twice at once: the engine gives back the event of whichever send won.
    return _create(actor=actor, category=category, text=text, jurisdiction=jurisdiction, lat=lat, lng=lng,
                   address=address, urgency=urgency, prepared=prepared, attributes=attributes or {},
                   key=key, source=source, channel=channel, api_key=api_key, reporter_name=reporter_name,
                   reporter_phone=reporter_phone, reporter_email=(reporter_email or "").strip()[:254])


def _repeat(actor: Any, event: Event) -> Report:
    if actor is not None and event.reporter_id and event.reporter_id != actor.pk:
        raise ValidationError({"idempotency_key": "该幂等键已被其他上报使用，请重新生成。"})
    return Report(event=event, created=False)


def _match_address(address: str, within: Node | None) -> Node | None:
    """A place named in an address ("河底镇固庄村…"): the most specific node whose name or short name occurs."""
    qs = Node.objects.filter(level__in=(Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY, Level.GRID))
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    best = None
    for node in qs.only("pk", "name", "path", "level").iterator():
        if node.name in address or (len(node.short_name) >= 2 and node.short_name in address):
            if best is None or len(node.path) > len(best.path):
                best = node
    if best is not None and best.level == Level.TOWNSHIP:
        return None  # a township alone is too coarse: the centre would not know which grid
    return best


def _create(*, actor, category, text, jurisdiction, lat, lng, address, urgency, prepared, attributes, key, source,
            channel, api_key, reporter_name, reporter_phone, reporter_email) -> Report:
    """Register the checked report through the case engine: number, initial state, due moment, save, audit
    entry, the 登记 log row with the photos and the idempotency key, in one transaction (with the key's
    last use)."""
    now = timezone.now()
    lookup_code = intake.new_lookup_code() if source in (Source.PUBLIC, Source.OPEN311) else ""
    event = Event(
        jurisdiction=jurisdiction, category=category, description=text, address=address, latitude=lat,
        longitude=lng, urgency=urgency, attributes=attributes, source=source, channel=channel, api_key=api_key,
        reporter=actor if source in (Source.GRID, Source.CENTRE) else None, reporter_name=reporter_name,
        reporter_phone=reporter_phone, reporter_phone_masked=mask_phone(reporter_phone)[:20],
        reporter_email=reporter_email, reporter_email_masked=intake.mask_email(reporter_email)[:254],
        reported_at=now, lookup_code_hash=intake.hash_secret(lookup_code, "lookup") if lookup_code else "",
    )
    register = dict(actor=actor if getattr(actor, "pk", None) else None, case=event, photos=prepared,
                    note=Source(source).label, idempotency_key=key, at=now, audit_action="events.event.report")
    if api_key is None:
        event = engine.case_register(**register)
    else:
        with transaction.atomic():  # the key's last use goes with the event it brought
            event = engine.case_register(**register)
            if event._created:
                Open311Key.objects.filter(pk=api_key.pk).update(last_used_at=now)
    if not event._created:
        return _repeat(actor, event)
    return Report(event=event, created=True, lookup_code=lookup_code)


REVEALABLE = {"reporter_phone": "报告人电话", "reporter_email": "报告人邮箱"}


def event_reveal_reporter(*, actor: Any, event: Event, field: str, reason: str) -> str:
    """The full phone or e-mail a citizen left, for a role that may see the citizen's details (受理立案 and
    allowed to reveal personal numbers); the reveal and its reason are audited, a refusal too. The caller
    has fetched `event` through `visible_to(actor)`."""
    if field not in REVEALABLE:
        raise ValidationError({"field": "只能查看报告人电话或邮箱。"})
    if actor is not None and not actor.can("events.register"):
        audit.record(actor=actor, action="event.reveal", obj=event, changes={"field": field},
                     outcome="failure", detail="无权查看报告人信息")
        raise PermissionDenied("您的角色不能查看报告人信息。")
    # The stored ciphertext itself (a Cast to a plain text column skips the field's decryption on read).
    ciphertext = Event.objects.filter(pk=event.pk).annotate(raw=Cast(field, TextField())) \
        .values_list("raw", flat=True).first() or ""
    if ciphertext and not ciphertext.startswith(personal.CIPHER_PREFIX):
        ciphertext = personal.encrypt(ciphertext)  # a row not yet migrated: plaintext at rest
    return personal.reveal(actor=actor, obj=event, field=field, label=REVEALABLE[field], ciphertext=ciphertext,
                           reason=reason, capability="people.reveal_id")


# --- Workflow ---------------------------------------------------------------------------------------------
def dispatch_plan(event: Event, *, department: Department | None = None, township: Node | None = None,
                  at=None) -> dict[str, Any]:
    """What a dispatch would do (read only, for the 派遣 form and the batch): the unit (the rule's when none is
    chosen), the handling deadline from the rule or the category (`deadline_text`, e.g. “4 工作小时”) and the
    due moment it would give from now (`due_at`; the engine computes the real one at dispatch)."""
    rule = deadlines.rule_for(event.category, event.jurisdiction)
    if department is None and township is None and rule is not None:
        department, township = rule.department, rule.township
    amount, unit = deadlines.handling_rule(event, rule if deadlines.rule_matches(rule, department, township) else None)
    return {"assigned_department": department, "assigned_township": township,
            "due_at": case_deadlines.due(at or timezone.now(), amount, unit),
            "deadline_text": case_deadlines.describe(amount, unit)}


def event_dispatch_bulk(*, actor: Any, events: list[Event], department: Department | None = None,
                        township: Node | None = None) -> list[Event]:
    """Dispatch several registered events at once (each to the chosen unit, or to its rule's unit when none
    is chosen). All or nothing: one event that cannot be dispatched stops the batch with its number named."""
    if not events:
        raise ValidationError({"events": "请至少选择一件事件。"})
    if len(events) > 200:
        raise ValidationError({"events": "一次最多批量派遣 200 件。"})
    with transaction.atomic():
        for event in events:
            plan = dispatch_plan(event, department=department, township=township)
            try:
                engine.transition(actor=actor, case=event, action="dispatch",
                                  data={"assigned_department": plan["assigned_department"],
                                        "assigned_township": plan["assigned_township"]})
            except ValidationError as exc:
                raise ValidationError({"events": f"{event.number}：{validation_message(exc)}"}) from None
    return events


def duplicate_candidates(event: Event, user: Any, limit: int = 5) -> list[Event]:
    """Earlier or later events near in place (same village, or within ~500 m) and time (7 days) with similar
    text (shared two-character words), best first: the centre confirms before marking."""
    window = dt.timedelta(days=7)
    qs = Event.objects.visible_to(user).exclude(pk=event.pk).exclude(state=EventState.DUPLICATE).filter(
        reported_at__range=(event.reported_at - window, event.reported_at + window))
    village_path = "/".join(event.jurisdiction.path.split("/")[:4]) + "/"
    near = Q(jurisdiction__path__startswith=village_path) | Q(category_id=event.category_id,
                                                              jurisdiction__path__startswith=event.jurisdiction.path)
    if event.latitude is not None:
        d = Decimal("0.005")
        near |= Q(latitude__range=(event.latitude - d, event.latitude + d),
                  longitude__range=(event.longitude - d, event.longitude + d))
    candidates = list(qs.filter(near).select_related("category", "jurisdiction")[:100])
    mine = _bigrams(event.description)
    scored = []
    for other in candidates:
        theirs = _bigrams(other.description)
        text = len(mine & theirs) / max(1, min(len(mine), len(theirs)))
        score = text + (0.3 if other.category_id == event.category_id else 0)
        if text >= 0.25 or (other.category_id == event.category_id and text >= 0.1):
            other.similarity = round(min(1.0, text), 2)
            scored.append((score, other))
    scored.sort(key=lambda pair: (-pair[0], pair[1].reported_at))
    return [other for _, other in scored[:limit]]


def _bigrams(text: str) -> set[str]:
    chars = [c for c in (text or "") if not c.isspace() and c not in "，。、；：！？,.;:!?（）()“”\"'"]
    return {chars[i] + chars[i + 1] for i in range(len(chars) - 1)}
