"""The workflow engine: what a user may do on a case, and doing it.

Every function here is a service (one transaction, validation, an audit entry, a `TransitionLog` row, and
`signals.case_event` sent after commit). Nothing outside pingan/cases writes a case's `state`, `due_at`,
`sent_back_count`, `closed_at`, its log rows or its number counters.

    case_register(*, actor, case, photos=(), note="", idempotency_key=None, at=None, audit_action=None) -> case
    case_register_bulk(*, actor, cases, log_kind="import", note="", action_label="", audit_action=None,
                       scope_paths=None, day_of=None) -> list      ledgers and seeds: the same rows, in bulk
    case_import_update(*, actor, case, data, audit_action=None, note="", action_label="") -> changes
                                                        a ledger row changing an existing case (as history)
    allowed_actions(user, case) -> [Transition]
    transition(*, actor, case, action, data=None, note="", photos=()) -> case
    supervise(*, actor, case, note, due_on=None) / supervision_reply(*, actor, supervision, case, reply)
    extension_request(*, actor, case, new_deadline, reason) / extension_decide(*, actor, extension, case,
                                                                               approve, note="")
    case_township(case) / township_code(case)           the township that numbers a case
    case_log(case) / case_supervisions(case) / case_extensions(case)

Concurrency: a transition locks the case row (SELECT … FOR UPDATE) and re-checks its state, so when two
people complete the same case at the same moment one wins and the other is told, in Chinese, that the
case has moved on. Errors are `ValidationError` (bad input, wrong state) and `PermissionDenied`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from pingan.core import audit
from pingan.core.calendar import add_working_days
from pingan.core.services import model_update
from pingan.core.bulk import build_instances, bulk_audit, bulk_insert

from .deadlines import due_date, due_for, end_of_date, policy_for
from .definitions import CaseKind, Effect, Transition, get_kind
from .files import prepare_photos
from .models import Extension, Supervision, TransitionLog, WorkflowAttachment, WorkflowRule
from .numbers import next_case_number
from .signals import case_event

__all__ = [
    "allowed_actions", "can_take", "case_extensions", "case_import_update", "case_log", "case_register",
    "case_register_bulk", "case_supervisions", "case_township", "current_deadline", "extension_decide",
    "extension_request", "may_approve_extension", "may_handle", "may_supervise", "photo_required", "supervise",
    "supervision_reply", "township_code", "transition",
]


def _today() -> dt.date:
    return timezone.localdate()


def _department_id(case: models.Model) -> int | None:
    lookup = getattr(type(case), "scope_department_lookup", None)
    return getattr(case, f"{lookup}_id", None) if lookup and "__" not in lookup else None


def _entity(case: models.Model) -> str:
    return case._meta.model_name


def _label(case: models.Model, field: str) -> str:
    try:
        return str(case._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return {"note": "说明"}.get(field, field)


def _is_field(case: models.Model, name: str) -> bool:
    try:
        case._meta.get_field(name)
        return True
    except FieldDoesNotExist:
        return False


def _emit(event: str, *, case: models.Model, actor: Any, log: Any, **extra: Any) -> None:
    """Send `case_event` once the current transaction commits (never for a rolled-back write)."""
    def send() -> None:
        case_event.send(sender=type(case), case=case, actor=actor, event=event, log=log, **extra)

    transaction.on_commit(send)


def current_deadline(case: models.Model) -> dt.date | None:
    """The calendar day the case is due in (people ask for an extension as a date)."""
    return due_date(case.due_at)


# --- reading -----------------------------------------------------------------------------------------
def can_take(user: Any, case: models.Model, t: Transition) -> bool:
    """May `user` take transition `t` on `case` now (state, capability, and the kind's own rule)?"""
    if not getattr(user, "is_authenticated", False) or case.state not in t.sources:
        return False
    if not user.can(t.capability):
        return False
    return t.allowed is None or bool(t.allowed(user, case))


def allowed_actions(user: Any, case: models.Model) -> list[Transition]:
    kind = get_kind(case)
    return [t for t in kind.transitions if can_take(user, case, t)]


def may_handle(user: Any, case: models.Model) -> bool:
    """May `user` act for the handling unit (request an extension, reply to a 督办)?"""
    kind = get_kind(case)
    if not getattr(user, "is_authenticated", False) or case.state not in kind.open_states:
        return False
    if not kind.extension_capability or not user.can(kind.extension_capability):
        return False
    return kind.may_act is None or bool(kind.may_act(user, case))


def may_supervise(user: Any, case: models.Model) -> bool:
    kind = get_kind(case)
    return bool(getattr(user, "is_authenticated", False) and kind.supervise_capability
                and user.can(kind.supervise_capability) and case.state in kind.open_states)


def photo_required(kind: CaseKind, t: Transition, case: models.Model | None = None) -> bool:
    """The kind's declaration, unless the district configured a rule for this step (WorkflowRule); and, for a
    given case, the kind's own per-case rule (`CaseKind.photo_rule`, e.g. an event category's 照片要求)."""
    rule = WorkflowRule.objects.filter(case_type=kind.label, action=t.name).values_list("photo_required", flat=True).first()
    required = t.photo if rule is None else rule
    if not required and case is not None and kind.photo_rule is not None:
        required = bool(kind.photo_rule(case, t))
    return required


# --- the township that numbers a case ----------------------------------------------------------------
def case_township(case: models.Model):
    """The kind's `township(case)` when declared, else the case's jurisdiction's ancestor at level
    "township" (the jurisdiction itself when it is one); None when it lies above any township."""
    kind = get_kind(case)
    if kind.township is not None:
        return kind.township(case)
    place = getattr(case, "jurisdiction", None)
    return place.township() if place is not None else None


def township_code(case: models.Model) -> str:
    """The code in a case number: the township's, else (a case above any township) the jurisdiction's own."""
    township = case_township(case)
    if township is not None:
        return township.code
    place = getattr(case, "jurisdiction", None)
    return place.code if place is not None else "000000"


# --- writing helpers ---------------------------------------------------------------------------------
def _save_photos(log, photos: Iterable[tuple[Any, str]]) -> list[str]:
    names = []
    for upload, content_type in photos:
        attachment = WorkflowAttachment(log=log, case_type=log.case_type, case_id=log.case_id,
                                        jurisdiction_id=log.jurisdiction_id, department_id=log.department_id,
                                        name=(getattr(upload, "name", "") or "照片")[-200:], content_type=content_type,
                                        size=upload.size)
        attachment.file.save(attachment.name, upload, save=False)
        attachment.save()
        names.append(attachment.name)
    return names


def _actor_name(actor: Any) -> str:
    return (getattr(actor, "full_name", "") or getattr(actor, "username", "")) if actor else "系统"


def _log_fields(*, actor, case, kind: str, action: str = "", action_label: str = "", from_state: str = "",
                to_state: str = "", note: str = "", data: dict | None = None) -> dict[str, Any]:
    return dict(
        case_type=case._meta.label_lower, case_id=case.pk, jurisdiction_id=case.jurisdiction_id,
        department_id=_department_id(case), kind=kind, action=action, action_label=action_label,
        from_state=from_state, to_state=to_state, actor_id=actor.pk if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor), note=note, data=audit.jsonable(data or {}),
    )


def _log(*, actor, case, kind: str, action: str = "", action_label: str = "", from_state: str = "",
         to_state: str = "", note: str = "", data: dict | None = None, photos=()):
    log = TransitionLog.objects.create(**_log_fields(
        actor=actor, case=case, kind=kind, action=action, action_label=action_label, from_state=from_state,
        to_state=to_state, note=note, data=data))
    if photos:
        _save_photos(log, photos)
    return log


def _audit_snapshot(case: models.Model) -> dict[str, Any]:
    """All fields but those the model keeps out of the trail (`audit_exclude_fields`: secrets)."""
    excluded = set(getattr(type(case), "audit_exclude_fields", ()))
    return {k: v for k, v in audit.snapshot(case).items() if k not in excluded}


def _loaded_relations(case: models.Model) -> list[str]:
    """Foreign keys given as objects read in the same request: full_clean need not query them again."""
    return [f.name for f in case._meta.concrete_fields if f.is_relation and f.is_cached(case)]


def _moment(at: Any, default: dt.datetime) -> dt.datetime:
    if at is None:
        return default
    if isinstance(at, dt.datetime):
        return at if timezone.is_aware(at) else timezone.make_aware(at)
    if isinstance(at, dt.date):
        return timezone.make_aware(dt.datetime.combine(at, dt.time.min))
    raise TypeError("at 须为日期或时间")


def _empty(case: models.Model, name: str) -> Any:
    field = case._meta.get_field(name)
    if field.null:
        return None
    return "" if isinstance(field, (models.CharField, models.TextField)) else field.get_default()


def _apply_effects(case: models.Model, effects: Iterable[Effect], data: dict) -> list[str]:
    """Apply declared effects in place; returns the model field names they touched."""
    touched: list[str] = []
    for effect in effects:
        for name in effect.fields:
            field = case._meta.get_field(name)
            if effect.op == "assign":
                value = data.get(name)
                setattr(case, name, _empty(case, name) if value is None or value == "" else value)
            elif effect.op == "clear":
                setattr(case, name, _empty(case, name))
            elif effect.op == "increment":
                setattr(case, field.attname, (getattr(case, field.attname) or 0) + effect.by)
            else:  # pragma: no cover - the declaration's constructors give only these
                raise ValueError(effect.op)
            touched.append(field.name)
    return touched


# --- registering -------------------------------------------------------------------------------------
def _existing(model, key: str):
    case = model._default_manager.filter(idempotency_key=key).first()
    if case is not None:
        case._created = False
    return case


def case_register(*, actor: Any, case: models.Model, photos: Iterable[Any] = (), note: str = "",
                  idempotency_key: str | None = None, at: dt.datetime | dt.date | None = None,
                  audit_action: str | None = None) -> models.Model:
    """Register a new (unsaved) case in one transaction: the kind's initial state, the number (prefix +
    township code + day + sequence, unless the case already carries one), the due moment from the
    kind's policy, full_clean, save, an audit entry ("<model>.create" unless `audit_action`), the 登记 log
    row with its photos, and `case_event(event="registered")` after commit.

    `at`: the moment the case starts (a date means that day's start): its number's day and the start of its
    deadline (default now; a hazard registered today from a screening three days ago starts then).
    `photos`: uploads (checked and re-encoded by pingan.core.uploads) or already cleaned `CleanImage`s.
    `idempotency_key` (models with an `idempotency_key` field only): a key already used returns that case,
    writing nothing. The returned case carries `_created`: True when this call wrote it, False when it is
    the existing case of the key (also when a concurrent request with the same key won the race).
    """
    kind = get_kind(case)
    model = type(case)
    if idempotency_key is not None and not _is_field(case, "idempotency_key"):
        raise TypeError(f"{kind.label} 没有 idempotency_key 字段")
    checked = prepare_photos(photos)
    note = (note or "").strip()
    if idempotency_key:
        existing = _existing(model, idempotency_key)
        if existing is not None:
            return existing
        case.idempotency_key = idempotency_key
    try:
        with transaction.atomic():
            now = timezone.now()
            start = _moment(at, now)
            case.state = kind.initial
            case.state_changed_at = now
            case.closed_at = None
            case.sent_back_count = 0
            if not getattr(case, "number", None):
                day = timezone.localtime(start).date()
                case.number = next_case_number(kind.number_prefix, township_code(case), day)
            case.due_at = due_for(case, kind.initial, start)
            case.full_clean(exclude=_loaded_relations(case), validate_unique=False, validate_constraints=False)
            case.save(force_insert=True)
            changes: dict[str, Any] = {"after": _audit_snapshot(case)}
            if checked:
                changes["photos"] = len(checked)
            audit.record(actor=actor, action=audit_action or f"{_entity(case)}.create", obj=case, changes=changes,
                         detail=note)
            log = _log(actor=actor, case=case, kind=TransitionLog.Kind.CREATE, action="create",
                       action_label=TransitionLog.Kind.CREATE.label, to_state=case.state, note=note, photos=checked)
            _emit("registered", case=case, actor=actor, log=log)
    except IntegrityError:
        if idempotency_key:
            case.pk = None
            existing = _existing(model, idempotency_key)
            if existing is not None:
                return existing
        raise
    case._created = True
    return case


def _prepare_bulk(kind: CaseKind, case: models.Model, now: dt.datetime, townships: dict, day_of) -> None:
    state_names = {s.name for s in kind.states}
    if not case.state:
        case.state = kind.initial
    elif case.state not in state_names:
        raise ValidationError({"state": f"{kind.verbose_name}没有“{case.state}”这个状态。"})
    if not case.state_changed_at:
        case.state_changed_at = now
    if case.state in kind.closed_states:
        case.closed_at = case.closed_at or now
    else:
        case.closed_at = None
    if not getattr(case, "number", None):
        key = getattr(case, "jurisdiction_id", None)
        if key not in townships:
            townships[key] = township_code(case)
        day = day_of(case) if day_of is not None else timezone.localtime(case.state_changed_at).date()
        case.number = next_case_number(kind.number_prefix, townships[key], day)
    case.due_at = due_for(case, case.state, case.state_changed_at)


def case_register_bulk(*, actor: Any, cases: list[models.Model], log_kind: str = TransitionLog.Kind.IMPORT,
                       note: str = "", action_label: str = "", audit_action: str | None = None,
                       scope_paths: list[str] | None = None, day_of=None) -> list[models.Model]:
    """Register many cases of one kind at once (ledger imports, seeds): the same rows as `case_register`
    — number (when missing), state, due moment, closed_at, the case row, one audit entry per case and one
    log row per case — written in bulk, in one transaction.

    Unlike a registration, a bulk import may give each case the state it is in as history (the ledger's
    整治状态): a declared state, default the initial one; `state_changed_at` (default now) starts its due
    moment. The log rows are `log_kind` (default 台账导入) labelled `action_label` with `note` (default:
    “<label>，<state label>”). No `case_event` is sent (an import of last year's ledger is not news).
    `scope_paths`: the audit entries' paths when the caller knows them (the ledger's in-memory tree).
    `day_of(case) -> date`: the day in a missing number (default the day its state began)."""
    cases = list(cases)
    if not cases:
        return cases
    kind = get_kind(cases[0])
    model = type(cases[0])
    label = action_label or TransitionLog.Kind(log_kind).label
    with transaction.atomic():
        now = timezone.now()
        townships: dict = {}
        for case in cases:
            if type(case) is not model:
                raise TypeError("case_register_bulk: 一次只能登记同一类案件")
            _prepare_bulk(kind, case, now, townships, day_of)
        bulk_insert(model, cases)
        logs = build_instances(TransitionLog, [
            _log_fields(actor=actor, case=case, kind=log_kind, action=str(log_kind), action_label=label,
                        to_state=case.state, note=note or f"{label}，{kind.state_label(case.state)}")
            for case in cases])
        bulk_insert(TransitionLog, logs)
        excluded = set(getattr(model, "audit_exclude_fields", ()))
        changes = [{"after": {k: v for k, v in audit.snapshot(c).items() if k not in excluded}} for c in cases] \
            if excluded else None
        bulk_audit(actor=actor, action=audit_action or f"{_entity(cases[0])}.import", instances=cases, created=True,
                   scope_paths=scope_paths, changes=changes)
    for case in cases:
        case._created = True
    return cases


def case_import_update(*, actor: Any, case: models.Model, data: dict[str, Any], audit_action: str | None = None,
                       note: str = "", action_label: str = "") -> dict[str, list[Any]]:
    """A ledger row changing an existing case: its fields (and its state, as history) set directly, without
    walking the transitions. The engine keeps its own fields consistent (state_changed_at, closed_at and the
    due moment when the state or the policy's date field changed), audits the change and, when the state
    changed, writes a 台账导入 log row. `closed_at` may be given for a closed state (when it was closed).
    No `case_event` is sent. Returns the audited changes ({} when nothing changed)."""
    kind = get_kind(case)
    engine_fields = {"state_changed_at", "due_at", "sent_back_count"}
    if engine_fields & set(data):
        raise ValueError(f"导入不能直接写入 {sorted(engine_fields & set(data))}")
    data = dict(data)
    with transaction.atomic():
        before_state = case.state
        new_state = data.get("state", before_state)
        if new_state not in {s.name for s in kind.states}:
            raise ValidationError({"state": f"{kind.verbose_name}没有“{new_state}”这个状态。"})
        now = timezone.now()
        policy = policy_for(case, new_state)
        field_changed = bool(policy and policy.field and policy.field in data
                             and data[policy.field] != getattr(case, policy.field))
        if new_state == before_state and "closed_at" in data and new_state not in kind.closed_states:
            data.pop("closed_at")
        if new_state != before_state or field_changed:
            probe = type(case)(**{f.attname: getattr(case, f.attname) for f in case._meta.concrete_fields})
            for name, value in data.items():
                setattr(probe, name, value)
            if new_state != before_state:
                data["state_changed_at"] = now
                data["closed_at"] = (data.get("closed_at") or now) if new_state in kind.closed_states else None
            data["due_at"] = due_for(probe, new_state, data.get("state_changed_at", case.state_changed_at))
            if policy and policy.field:
                data[policy.field] = getattr(probe, policy.field)
        _, changes = model_update(actor=actor, instance=case, data=data,
                                  action=audit_action or f"{_entity(case)}.import")
        if changes and new_state != before_state:
            label = action_label or TransitionLog.Kind.IMPORT.label
            _log(actor=actor, case=case, kind=TransitionLog.Kind.IMPORT, action="import", action_label=label,
                 from_state=before_state, to_state=new_state,
                 note=note or f"{label}，{kind.state_label(new_state)}")
    return changes


# --- transitions -------------------------------------------------------------------------------------
def deny(actor, case, action: str, message: str):
    """A refused step (or 督办, 延期…): audited as `<model>.<action>` with outcome failure, then PermissionDenied.
    The case pages and API refuse through it too, before reading a form."""
    audit.record(actor=actor, action=f"{_entity(case)}.{action}", obj=case, outcome="failure", detail=message)
    raise PermissionDenied(message)


def _require_visible(actor, case, action: str) -> None:
    """Every write checks the scoping door itself (one query), not only the page or API that called it: a case
    the actor may not see is refused and audited like any other refusal."""
    if not type(case).objects.visible_to(actor).filter(pk=case.pk).exists():
        deny(actor, case, action, f"此{get_kind(case).verbose_name}不在您的管辖或职责范围内。")


def transition(*, actor: Any, case: models.Model, action: str, data: dict | None = None, note: str = "",
               photos: Iterable[Any] = ()) -> models.Model:
    """Take `action` on `case` as `actor`. `data` holds the fields the action requires or accepts (and those
    its `assign` effects set); `photos` are uploads (checked and re-encoded by pingan.core.uploads) or
    cleaned `CleanImage`s. Inside one locked transaction: the fields, stamps and declared effects, the new
    state and its due moment (kept when both states share a policy), closed_at (cleared by a reopen), the
    audit entry with every change, the log row with its photos; `case_event` after commit. A `keeps_state`
    step changes only its fields. Returns the case, updated in place."""
    kind = get_kind(case)
    try:
        t = kind.transition(action)
    except KeyError:
        raise ValidationError(f"没有“{str(action)[:20]}”这个操作。") from None
    _require_visible(actor, case, t.name)
    if not actor.can(t.capability) or (t.allowed is not None and not t.allowed(actor, case)):
        deny(actor, case, t.name, f"您不能对此{kind.verbose_name}执行“{t.label}”。")
    accepted = t.accepted
    data = {k: v for k, v in (data or {}).items() if k in accepted}
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    for name in t.required:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors.setdefault(name, []).append(f"请填写{_label(case, name)}。")
    if t.note_required and not note:
        errors.setdefault("note", []).append("请填写退回理由。" if t.send_back else "请填写说明。")
    if len(note) > 2000:
        errors.setdefault("note", []).append("说明不能超过 2000 字。")
    try:
        checked_photos = prepare_photos(photos)
    except ValidationError as exc:
        errors.setdefault("photos", []).extend(exc.message_dict["photos"])
        checked_photos = []
    if not checked_photos and "photos" not in errors and photo_required(kind, t, case):
        errors.setdefault("photos", []).append(f"按本区规定，“{t.label}”须上传现场照片。")
    if kind.validate:
        for name, message in (kind.validate(case, t, data) or {}).items():
            errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        model = type(case)
        locked = model.objects.select_for_update().get(pk=case.pk)
        if locked.state not in t.sources:
            raise ValidationError(
                f"此{kind.verbose_name}当前状态为“{kind.state_label(locked.state)}”，不能再“{t.label}”："
                f"可能已被他人处理，请刷新页面后查看。")
        assigned = {f for e in t.effects if e.op == "assign" for f in e.fields}
        effect_fields = [f for e in t.effects for f in e.fields]
        fields = [f for f in data if _is_field(locked, f)] + list(t.stamp) + effect_fields
        before = audit.snapshot(locked, fields + ["state", "due_at", "sent_back_count", "closed_at"])
        for name in data:
            if name not in assigned and _is_field(locked, name):
                setattr(locked, name, data[name])
        now = timezone.now()
        today = timezone.localdate(now)
        for name, source in t.stamp.items():
            setattr(locked, name if source != "actor" else f"{name}_id",
                    {"actor": getattr(actor, "pk", None), "today": today, "now": now,
                     "due_at": locked.due_at}[source])
        _apply_effects(locked, t.effects, data)
        from_state = locked.state
        if not t.keeps_state:
            kept = (locked.due_at is not None and from_state != t.target
                    and policy_for(locked, from_state) is not None
                    and policy_for(locked, from_state) is policy_for(locked, t.target))
            locked.state = t.target
            locked.state_changed_at = now
            if not kept:
                locked.due_at = due_for(locked, t.target, now)
            locked.closed_at = now if t.target in kind.closed_states else None
            if t.send_back:
                locked.sent_back_count += 1
        locked.full_clean(validate_unique=False, validate_constraints=False)
        locked.save()
        after = audit.snapshot(locked, list(before))
        changes = audit.diff(before, after)
        log = _log(actor=actor, case=locked,
                   kind=TransitionLog.Kind.SEND_BACK if t.send_back else TransitionLog.Kind.TRANSITION,
                   action=t.name, action_label=t.label, from_state=from_state, to_state=locked.state, note=note,
                   data=dict(data), photos=checked_photos)
        audit.record(actor=actor, action=f"{_entity(case)}.{t.name}", obj=locked, changes=changes, detail=note)
        for field in locked._meta.concrete_fields:
            setattr(case, field.attname, getattr(locked, field.attname))
        _emit("sent_back" if t.send_back else "transition", case=case, actor=actor, log=log, transition=t)
    return case


# --- 督办 --------------------------------------------------------------------------------------------
def supervise(*, actor: Any, case: models.Model, note: str, due_on: dt.date | None = None):
    """督办: a supervision note with its own reply deadline, listed in the handling unit's queue."""
    kind = get_kind(case)
    _require_visible(actor, case, "supervise")
    if not (kind.supervise_capability and actor.can(kind.supervise_capability)):
        deny(actor, case, "supervise", "您的角色不能督办。")
    if case.state not in kind.open_states:
        raise ValidationError(f"此{kind.verbose_name}已办结，不能再督办。")
    note = (note or "").strip()
    errors = {}
    if not note:
        errors["note"] = "请填写督办意见。"
    elif len(note) > 2000:
        errors["note"] = "督办意见不能超过 2000 字。"
    today = _today()
    if due_on is None:
        due_on = add_working_days(today, kind.supervision_days)
    elif not isinstance(due_on, dt.date):
        errors["due_on"] = "反馈期限格式不正确。"
    elif due_on < today:
        errors["due_on"] = "反馈期限不能早于今天。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        supervision = Supervision.objects.create(
            case_type=case._meta.label_lower, case_id=case.pk, jurisdiction_id=case.jurisdiction_id,
            department_id=_department_id(case), by=actor, by_name=getattr(actor, "full_name", "") or actor.username,
            note=note, due_on=due_on)
        log = _log(actor=actor, case=case, kind=TransitionLog.Kind.SUPERVISE, action="supervise",
                   action_label="督办", from_state=case.state, to_state=case.state, note=note, data={"due_on": due_on})
        audit.record(actor=actor, action=f"{_entity(case)}.supervise", obj=case,
                     changes={"supervision": supervision.pk, "due_on": due_on}, detail=note)
        _emit("supervised", case=case, actor=actor, log=log, supervision=supervision)
    return supervision


def supervision_reply(*, actor: Any, supervision, case: models.Model, reply: str):
    """The handling unit answers a 督办; the supervision is then closed."""
    if supervision.case_type != case._meta.label_lower or supervision.case_id != case.pk:
        raise ValidationError("督办记录与案件不符。")
    _require_visible(actor, case, "supervision_reply")
    if not may_handle(actor, case):
        deny(actor, case, "supervision_reply", "您不能代表承办单位反馈此督办。")
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": "请填写反馈内容。"})
    if len(reply) > 2000:
        raise ValidationError({"reply": "反馈内容不能超过 2000 字。"})
    with transaction.atomic():
        updated = Supervision.objects.filter(pk=supervision.pk, status=Supervision.Status.OPEN).update(
            status=Supervision.Status.ANSWERED, reply=reply, replied_by=actor, replied_at=timezone.now())
        if not updated:
            raise ValidationError("此督办已经反馈过了。")
        supervision.refresh_from_db()
        log = _log(actor=actor, case=case, kind=TransitionLog.Kind.SUPERVISION_REPLY, action="supervision_reply",
                   action_label="督办反馈", from_state=case.state, to_state=case.state, note=reply)
        audit.record(actor=actor, action=f"{_entity(case)}.supervision_reply", obj=case,
                     changes={"supervision": supervision.pk, "status": ["open", "answered"]}, detail=reply)
        _emit("supervision_replied", case=case, actor=actor, log=log, supervision=supervision)
    return supervision


# --- 延期 --------------------------------------------------------------------------------------------
def extension_request(*, actor: Any, case: models.Model, new_deadline: Any, reason: str):
    """延期 request: a new date (the case is then due at its end), later than the current due day, at most
    `extension_max_days` past it; one pending request at a time; no more than `max_extensions` approved."""
    kind = get_kind(case)
    _require_visible(actor, case, "extension_request")
    if not may_handle(actor, case):
        if case.state not in kind.open_states:
            raise ValidationError(f"此{kind.verbose_name}已办结，不能申请延期。")
        deny(actor, case, "extension_request", "您不能为此案件申请延期。")
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写延期理由。"
    elif len(reason) > 2000:
        errors["reason"] = "延期理由不能超过 2000 字。"
    if not isinstance(new_deadline, dt.date):
        errors["new_deadline"] = "请填写正确的延期日期（YYYY-MM-DD）。"
    else:
        current = current_deadline(case)
        today = _today()
        if current and new_deadline <= current:
            errors["new_deadline"] = f"延期日期须晚于当前期限（{current:%Y-%m-%d}）。"
        elif new_deadline <= today:
            errors["new_deadline"] = "延期日期须晚于今天。"
        elif new_deadline > max(current or today, today) + dt.timedelta(days=kind.extension_max_days):
            errors["new_deadline"] = f"一次延期不能超过 {kind.extension_max_days} 天{kind.extension_basis}。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Extension.objects.for_case(case).filter(status=Extension.Status.PENDING).select_for_update().exists():
            raise ValidationError("已有一份待审批的延期申请，请等待审批。")
        if kind.max_extensions is not None and Extension.objects.for_case(case).filter(
                status=Extension.Status.APPROVED).count() >= kind.max_extensions:
            raise ValidationError({"new_deadline": f"此{kind.verbose_name}已延期 {kind.max_extensions} 次，"
                                                   f"不能再申请延期{kind.extension_basis}。"})
        extension = Extension.objects.create(
            case_type=case._meta.label_lower, case_id=case.pk, jurisdiction_id=case.jurisdiction_id,
            department_id=_department_id(case), requested_by=actor,
            requested_by_name=getattr(actor, "full_name", "") or actor.username,
            requested_by_path=getattr(actor, "scope_path", ""), reason=reason, old_deadline=current_deadline(case),
            new_deadline=new_deadline)
        log = _log(actor=actor, case=case, kind=TransitionLog.Kind.EXTENSION_REQUEST, action="extension_request",
                   action_label="申请延期", from_state=case.state, to_state=case.state, note=reason,
                   data={"new_deadline": new_deadline})
        audit.record(actor=actor, action=f"{_entity(case)}.extension_request", obj=case,
                     changes={"extension": extension.pk, "new_deadline": new_deadline}, detail=reason)
        _emit("extension_requested", case=case, actor=actor, log=log, extension=extension)
    return extension


def may_approve_extension(user: Any, extension, case: models.Model) -> bool:
    """The level above the requester: a strictly wider scope, or (for a department handler's request) a
    non-department role whose scope covers the requester. Never one's own request."""
    kind = get_kind(case)
    if not getattr(user, "is_authenticated", False) or not kind.extension_approve_capability:
        return False
    if not user.can(kind.extension_approve_capability) or extension.requested_by_id == user.pk:
        return False
    mine, theirs = getattr(user, "scope_path", ""), extension.requested_by_path or case.jurisdiction.path
    if not mine or not theirs.startswith(mine):
        return False
    if mine != theirs:
        return True
    requester = extension.requested_by
    return bool(requester and requester.role == "dept_handler" and user.role != "dept_handler")


def extension_decide(*, actor: Any, extension, case: models.Model, approve: bool, note: str = ""):
    """Approve or refuse a pending extension request. Approved: the case is due at the end of the new date
    (`due_at`), and a policy's date field (整治期限) moves to it too."""
    kind = get_kind(case)
    if extension.case_type != case._meta.label_lower or extension.case_id != case.pk:
        raise ValidationError("延期申请与案件不符。")
    _require_visible(actor, case, "extension_decide")
    if not may_approve_extension(actor, extension, case):
        deny(actor, case, "extension_decide", "只有申请人的上一级可以审批延期。")
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"decision_note": "不批准时请填写理由。"})
    with transaction.atomic():
        locked = type(case).objects.select_for_update().get(pk=case.pk)
        status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
        updated = Extension.objects.filter(pk=extension.pk, status=Extension.Status.PENDING).update(
            status=status, decided_by=actor, decided_at=timezone.now(), decision_note=note)
        if not updated:
            raise ValidationError("此延期申请已经审批过了。")
        extension.refresh_from_db()
        changes: dict[str, Any] = {"extension": extension.pk, "status": ["pending", status]}
        if approve:
            if locked.state not in kind.open_states:
                raise ValidationError(f"此{kind.verbose_name}已办结，无需延期。")
            policy = policy_for(locked, locked.state)
            fields = ["due_at"] + ([policy.field] if policy and policy.field else [])
            before = audit.snapshot(locked, fields)
            locked.due_at = end_of_date(extension.new_deadline)
            if policy and policy.field:
                setattr(locked, policy.field, extension.new_deadline)
            locked.save(update_fields=fields + (["updated_at"] if _is_field(locked, "updated_at") else []))
            changes.update(audit.diff(before, audit.snapshot(locked, fields)))
            for name in fields:
                setattr(case, name, getattr(locked, name))
        log = _log(actor=actor, case=locked, kind=TransitionLog.Kind.EXTENSION_DECISION, action="extension_decide",
                   action_label="批准延期" if approve else "不批准延期", from_state=locked.state,
                   to_state=locked.state, note=note, data={"new_deadline": extension.new_deadline, "approved": approve})
        audit.record(actor=actor, action=f"{_entity(case)}.extension_{'approve' if approve else 'refuse'}",
                     obj=locked, changes=changes, detail=note)
        _emit("extension_decided", case=case, actor=actor, log=log, extension=extension)
    return extension


# --- reading the story -------------------------------------------------------------------------------
def case_log(case: models.Model):
    return TransitionLog.objects.for_case(case).select_related("actor").prefetch_related("attachments")


def case_supervisions(case: models.Model):
    return Supervision.objects.for_case(case)


def case_extensions(case: models.Model):
    return Extension.objects.for_case(case).select_related("requested_by")
