"""The workflow engine: what a user may do on a case, and doing it.

Every function here is a service (one transaction, validation, an audit entry, a `TransitionLog` row):

    allowed_actions(user, case) -> [Transition]
    case_initialize(case, *, on)                 state, deadline of a new case (before its first save)
    case_log_created(*, actor, case, note, photos)
    transition(*, actor, case, action, data, note, photos) -> case
    supervise(*, actor, case, note, due_on) / supervision_reply(*, actor, supervision, reply)
    extension_request(*, actor, case, new_deadline, reason) / extension_decide(*, actor, extension, approve, note)

Concurrency: a transition locks the case row (SELECT … FOR UPDATE) and re-checks its state, so when two
people complete the same case at the same moment one wins and the other is told, in Chinese, that the
case has moved on. Errors are `ValidationError` (bad input, wrong state) and `PermissionDenied`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from pingan.core import audit
from pingan.core.calendar import add_days, add_working_days

from .definitions import CaseKind, Transition, get_kind
from .files import validate_images
from .models import CaseCounter, Extension, Supervision, TransitionLog, WorkflowAttachment, WorkflowRule  # noqa: F401


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


def photo_required(kind: CaseKind, t: Transition) -> bool:
    """The kind's declaration, unless the district configured a rule for this step (WorkflowRule)."""
    rule = WorkflowRule.objects.filter(case_type=kind.label, action=t.name).values_list("photo_required", flat=True).first()
    return t.photo if rule is None else rule


def deadline_for(case: models.Model, state: str, entered_on: dt.date) -> dt.date | None:
    """The deadline of `case` in `state` entered on `entered_on`, from the kind's rule (None: no deadline).
    A rule with a `field` uses the case's own date there, filling it from the rule's days when empty."""
    kind = get_kind(case)
    if state not in kind.open_states:
        return None
    rule = kind.deadlines.get(state)
    if rule is None:
        return None
    if rule.field:
        own = getattr(case, rule.field)
        if own:
            return own
    days = rule.days_for(case)
    if days is None:
        return None
    value = add_days(entered_on, days, working=rule.working)
    if rule.field:
        setattr(case, rule.field, value)
    return value


# --- creating ----------------------------------------------------------------------------------------
def case_initialize(case: models.Model, *, on: dt.date | None = None) -> None:
    """Put a new (unsaved) case in the kind's initial state with its deadline."""
    kind = get_kind(case)
    case.state = kind.initial
    case.state_changed_at = timezone.now()
    case.deadline = deadline_for(case, kind.initial, on or _today())


def _save_photos(log, case, photos: Iterable[tuple[Any, str]]) -> list[str]:
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


def _log(*, actor, case, kind: str, action: str = "", action_label: str = "", from_state: str = "",
         to_state: str = "", note: str = "", data: dict | None = None, photos=()):
    log = TransitionLog.objects.create(
        case_type=case._meta.label_lower, case_id=case.pk, jurisdiction_id=case.jurisdiction_id,
        department_id=_department_id(case), kind=kind, action=action, action_label=action_label,
        from_state=from_state, to_state=to_state,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "full_name", "") or getattr(actor, "username", "")) if actor else "系统",
        note=note, data=audit.jsonable(data or {}),
    )
    if photos:
        _save_photos(log, case, photos)
    return log


def case_log_created(*, actor: Any, case: models.Model, note: str = "", photos=(), kind: str = "create") -> Any:
    """The first log row of a case (登记, or 台账导入 with kind="import"); photos already validated."""
    return _log(actor=actor, case=case, kind=kind, action="create" if kind == "create" else kind,
                action_label=TransitionLog.Kind(kind).label, to_state=case.state, note=note, photos=photos)


# --- transitions -------------------------------------------------------------------------------------
def _deny(actor, case, action: str, message: str):
    audit.record(actor=actor, action=f"{_entity(case)}.{action}", obj=case, outcome="failure", detail=message)
    raise PermissionDenied(message)


def transition(*, actor: Any, case: models.Model, action: str, data: dict | None = None, note: str = "",
               photos: Iterable[Any] = ()) -> models.Model:
    """Take `action` on `case` as `actor`. `data` holds the fields the action requires or accepts; `photos`
    are uploads (images only). Returns the case, updated in place."""
    kind = get_kind(case)
    try:
        t = kind.transition(action)
    except KeyError:
        raise ValidationError(f"没有“{action}”这个操作。") from None
    if not actor.can(t.capability) or (t.allowed is not None and not t.allowed(actor, case)):
        _deny(actor, case, action, f"您不能对此{kind.verbose_name}执行“{t.label}”。")
    data = {k: v for k, v in (data or {}).items() if k in t.required or k in t.optional}
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
        checked_photos = validate_images(photos)
    except ValidationError as exc:
        errors.setdefault("photos", []).extend(exc.message_dict["photos"])
        checked_photos = []
    if not checked_photos and "photos" not in errors and photo_required(kind, t):
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
        fields = [f for f in data if _is_field(locked, f)] + list(t.stamp)
        before = audit.snapshot(locked, fields + ["state", "deadline", "sent_back_count", "closed_at"])
        for name in data:
            if _is_field(locked, name):
                setattr(locked, name, data[name])
        today = _today()
        for name, source in t.stamp.items():
            setattr(locked, name if source != "actor" else f"{name}_id",
                    {"actor": getattr(actor, "pk", None), "today": today, "now": timezone.now()}[source])
        from_state = locked.state
        locked.state = t.target
        locked.state_changed_at = timezone.now()
        locked.deadline = deadline_for(locked, t.target, today)
        locked.closed_at = timezone.now() if t.target in kind.closed_states else None
        if t.send_back:
            locked.sent_back_count += 1
        locked.full_clean(validate_unique=False, validate_constraints=False)
        locked.save()
        after = audit.snapshot(locked, list(before))
        changes = audit.diff(before, after)
        _log(actor=actor, case=locked, kind=TransitionLog.Kind.SEND_BACK if t.send_back else TransitionLog.Kind.TRANSITION,
             action=t.name, action_label=t.label, from_state=from_state, to_state=t.target, note=note,
             data={k: v for k, v in data.items()}, photos=checked_photos)
        audit.record(actor=actor, action=f"{_entity(case)}.{t.name}", obj=locked, changes=changes, detail=note)
    for field in locked._meta.concrete_fields:
        setattr(case, field.attname, getattr(locked, field.attname))
    return case


def _is_field(case: models.Model, name: str) -> bool:
    try:
        case._meta.get_field(name)
        return True
    except FieldDoesNotExist:
        return False


# --- 督办 --------------------------------------------------------------------------------------------
def supervise(*, actor: Any, case: models.Model, note: str, due_on: dt.date | None = None):
    """督办: a supervision note with its own reply deadline, listed in the handling unit's queue."""
    kind = get_kind(case)
    if not (kind.supervise_capability and actor.can(kind.supervise_capability)):
        _deny(actor, case, "supervise", "您的角色不能督办。")
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
        _log(actor=actor, case=case, kind=TransitionLog.Kind.SUPERVISE, action="supervise", action_label="督办",
             from_state=case.state, to_state=case.state, note=note, data={"due_on": due_on})
        audit.record(actor=actor, action=f"{_entity(case)}.supervise", obj=case,
                     changes={"supervision": supervision.pk, "due_on": due_on}, detail=note)
    return supervision


def supervision_reply(*, actor: Any, supervision, case: models.Model, reply: str):
    """The handling unit answers a 督办; the supervision is then closed."""
    if supervision.case_type != case._meta.label_lower or supervision.case_id != case.pk:
        raise ValidationError("督办记录与案件不符。")
    if not may_handle(actor, case):
        _deny(actor, case, "supervision_reply", "您不能代表承办单位反馈此督办。")
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
        _log(actor=actor, case=case, kind=TransitionLog.Kind.SUPERVISION_REPLY, action="supervision_reply",
             action_label="督办反馈", from_state=case.state, to_state=case.state, note=reply)
        audit.record(actor=actor, action=f"{_entity(case)}.supervision_reply", obj=case,
                     changes={"supervision": supervision.pk, "status": ["open", "answered"]}, detail=reply)
    return supervision


# --- 延期 --------------------------------------------------------------------------------------------
def extension_request(*, actor: Any, case: models.Model, new_deadline: Any, reason: str):
    kind = get_kind(case)
    if not may_handle(actor, case):
        if case.state not in kind.open_states:
            raise ValidationError(f"此{kind.verbose_name}已办结，不能申请延期。")
        _deny(actor, case, "extension_request", "您不能为此案件申请延期。")
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写延期理由。"
    elif len(reason) > 2000:
        errors["reason"] = "延期理由不能超过 2000 字。"
    if not isinstance(new_deadline, dt.date):
        errors["new_deadline"] = "请填写正确的延期日期（YYYY-MM-DD）。"
    else:
        current = case.deadline
        today = _today()
        if current and new_deadline <= current:
            errors["new_deadline"] = f"延期日期须晚于当前期限（{current:%Y-%m-%d}）。"
        elif new_deadline <= today:
            errors["new_deadline"] = "延期日期须晚于今天。"
        elif new_deadline > max(current or today, today) + dt.timedelta(days=kind.extension_max_days):
            errors["new_deadline"] = f"一次延期不能超过 {kind.extension_max_days} 天。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if Extension.objects.for_case(case).filter(status=Extension.Status.PENDING).select_for_update().exists():
            raise ValidationError("已有一份待审批的延期申请，请等待审批。")
        extension = Extension.objects.create(
            case_type=case._meta.label_lower, case_id=case.pk, jurisdiction_id=case.jurisdiction_id,
            department_id=_department_id(case), requested_by=actor,
            requested_by_name=getattr(actor, "full_name", "") or actor.username,
            requested_by_path=getattr(actor, "scope_path", ""), reason=reason, old_deadline=case.deadline,
            new_deadline=new_deadline)
        _log(actor=actor, case=case, kind=TransitionLog.Kind.EXTENSION_REQUEST, action="extension_request",
             action_label="申请延期", from_state=case.state, to_state=case.state, note=reason,
             data={"new_deadline": new_deadline})
        audit.record(actor=actor, action=f"{_entity(case)}.extension_request", obj=case,
                     changes={"extension": extension.pk, "new_deadline": new_deadline}, detail=reason)
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
    """Approve (the deadline moves) or refuse a pending extension request."""
    kind = get_kind(case)
    if extension.case_type != case._meta.label_lower or extension.case_id != case.pk:
        raise ValidationError("延期申请与案件不符。")
    if not may_approve_extension(actor, extension, case):
        _deny(actor, case, "extension_decide", "只有申请人的上一级可以审批延期。")
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
            rule = kind.deadlines.get(locked.state)
            fields = ["deadline"] + ([rule.field] if rule and rule.field else [])
            before = audit.snapshot(locked, fields)
            for name in fields:
                setattr(locked, name, extension.new_deadline)
            locked.save(update_fields=fields + (["updated_at"] if _is_field(locked, "updated_at") else []))
            changes.update(audit.diff(before, audit.snapshot(locked, fields)))
            for name in fields:
                setattr(case, name, extension.new_deadline)
        _log(actor=actor, case=locked, kind=TransitionLog.Kind.EXTENSION_DECISION, action="extension_decide",
             action_label="批准延期" if approve else "不批准延期", from_state=locked.state, to_state=locked.state,
             note=note, data={"new_deadline": extension.new_deadline, "approved": approve})
        audit.record(actor=actor, action=f"{_entity(case)}.extension_{'approve' if approve else 'refuse'}",
                     obj=locked, changes=changes, detail=note)
    return extension


# --- reading the story -------------------------------------------------------------------------------
def case_log(case: models.Model):
    return TransitionLog.objects.for_case(case).select_related("actor").prefetch_related("attachments")


def case_supervisions(case: models.Model):
    return Supervision.objects.for_case(case)


def case_extensions(case: models.Model):
    return Extension.objects.for_case(case).select_related("requested_by")
