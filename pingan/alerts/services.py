"""Writes of early warnings: raise (idempotent by key), handle, close when the cause is gone, the periodic
scan, and the per-place rule settings. Every write is audited (pingan.core.audit).

    alert_raise(*, rule, jurisdiction, title, reason, source=None, level=None, key, actor=None, at=None,
                data_kind=None, department=None) -> (Alert | None, created)
    alert_resolve_source(*, source, note="", actor=None) -> int
    alert_acknowledge(*, actor, alert) -> Alert
    alert_handle(*, actor, alert, status, note, agenda_item="") -> Alert
    rule_setting_save(*, actor, node, rule, enabled, params) -> AlertRuleSetting
    run_scan(*, now=None, keys=None) -> {rule key: {"raised": n, "resolved": n}}
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from typing import Any, Iterable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.accounts.models import User
from pingan.core import audit
from pingan.core.models import AuditEntry
from pingan.core.scoping import ancestor_paths
from pingan.geo.choices import Level as NodeLevel
from pingan.notifications.models import Notification
from pingan.notifications.services import notify

from .models import ACTIVE, Alert, AlertRuleSetting, Level, Status
from .registry import AlertSpec, Params, Rule, get_rule, rule_params, rules

logger = logging.getLogger("pingan.alerts")

__all__ = ["AlertSpec", "alert_raise", "alert_resolve_source", "alert_acknowledge", "alert_handle", "rule_setting_save", "run_scan"]

NOTIFY_LEVELS = (Level.RED, Level.ORANGE)
RESOLVED_NOTE = "原因已消除"
PARAM_MAX = 100_000
DATE_MIN, DATE_MAX = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
NOTE_MAX = 500
HANDLE_CAPABILITY = "alerts.handle"
CONFIGURE_CAPABILITY = "alerts.configure"


# ------------------------------------------------------------------------------------------------ raise
def _department_id(source: Any) -> int | None:
    """The department the source is assigned to (its model's `scope_department_lookup`, as the case layer
    reads it): its handlers see the alert."""
    if source is None:
        return None
    lookup = getattr(type(source), "scope_department_lookup", None)
    return getattr(source, f"{lookup}_id", None) if lookup and "__" not in lookup else None


def alert_raise(*, rule: str, jurisdiction: Any, title: str, reason: str, source: Any = None,
                level: str | None = None, key: str, actor: Any = None, at: dt.datetime | None = None,
                data_kind: str | None = None, department: Any = None) -> tuple[Alert | None, bool]:
    """Raise the warning `key` once. Raising an existing key returns that alert unchanged (created False);
    a rule switched off at the place raises nothing ((None, False)). A new red or orange warning tells the
    people in charge of its place (`recipients`: the district's centre staff, the township's officers, the
    source's department, the leaders for red; never the actor). Audited as alert.raise."""
    declared = get_rule(rule)
    existing = Alert.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    if not rule_params(rule, jurisdiction).enabled:
        return None, False
    return _create(declared, AlertSpec(rule=rule, jurisdiction=jurisdiction, title=title, reason=reason,
                                       source=source, key=key, level=level, data_kind=data_kind),
                   actor=actor, at=at, department=department)


def _create(rule: Rule, spec: AlertSpec, *, actor: Any = None, at: dt.datetime | None = None,
            department: Any = None) -> tuple[Alert, bool]:
    level = spec.level or rule.level
    if level not in Level.values:
        raise ValueError(f"unknown alert level {level!r}")
    data_kind = spec.data_kind or rule.data_kind
    source = spec.source
    if not spec.key or len(spec.key) > 200:
        raise ValueError("an alert key is 1 to 200 characters")
    alert = Alert(
        jurisdiction=spec.jurisdiction, rule=rule.key, module=rule.module, level=level,
        title=" ".join(str(spec.title).split())[:200], reason=str(spec.reason), data_kind=data_kind, key=spec.key,
        raised_at=at or timezone.now(), status=Status.OPEN,
        department_id=getattr(department, "pk", department) if department is not None else _department_id(source),
    )
    if source is not None:
        alert.source_type = ContentType.objects.get_for_model(type(source))
        alert.source_id = str(source.pk)
        alert.source_label = str(source)[:200]
    try:
        with transaction.atomic():
            alert.save()
            audit.record(actor=actor, action="alert.raise", obj=alert,
                         changes={"rule": rule.key, "level": level, "title": alert.title, "reason": alert.reason,
                                  "source": alert.source_label},
                         detail=f"{alert.get_level_display()}预警：{alert.title}")
    except IntegrityError:  # raised at the same moment by another process: theirs stands
        return Alert.objects.get(key=spec.key), False
    if level in NOTIFY_LEVELS:
        try:
            notify(recipients(alert), kind=Notification.Kind.SYSTEM, title=notice_title(alert),
                   url=alert.get_absolute_url(), key=f"alert:{rule.key}", actor=actor)
        except Exception:  # telling people must never undo the warning
            logger.exception("预警通知失败：%s", alert.key)
    return alert, True


def notice_title(alert: Alert) -> str:
    """What the bell shows: level, rule and place, never a name or a number of a person."""
    place = alert.jurisdiction.name if alert.jurisdiction_id else ""
    rule = get_rule(alert.rule).label if alert.rule else ""
    return f"{alert.get_level_display()}预警：{rule}（{place}）"


def recipients(alert: Alert, *, levels: tuple[str, ...] | None = None) -> list[User]:
    """Who is told of a warning in their scope (active accounts that may see it):

    - the centre staff of its district (county) and the officers of its township, always;
    - the handlers of the department the warning's source is assigned to (they see it on their list);
    - for a red warning also the district's leaders (领导) who may see it.

    A person or health warning goes only to those whose role may read it (`Alert.objects.visible_to`)."""
    paths = ancestor_paths(alert.jurisdiction.path)
    users = User.objects.filter(is_active=True).filter(
        Q(scope__path__in=paths) | Q(department_id=alert.department_id, role=Role.DEPT_HANDLER)
        if alert.department_id else Q(scope__path__in=paths)).select_related("scope")
    chosen = []
    for user in users:
        level = user.scope.level if user.scope_id else None
        if user.role == Role.CENTER_STAFF and level == NodeLevel.COUNTY:
            chosen.append(user)
        elif user.role == Role.TOWNSHIP_OFFICER and level == NodeLevel.TOWNSHIP:
            chosen.append(user)
        elif user.role == Role.DEPT_HANDLER and alert.department_id and user.department_id == alert.department_id:
            chosen.append(user)
        elif user.role == Role.LEADER and level == NodeLevel.COUNTY and alert.level == Level.RED:
            chosen.append(user)
    if alert.data_kind != "case" or any(u.role in (Role.DEPT_HANDLER, Role.LEADER) for u in chosen):
        chosen = [u for u in chosen if Alert.objects.visible_to(u).filter(pk=alert.pk).exists()]
    return chosen


def notify_status(alert: Alert, *, before: str, actor: Any = None) -> None:
    """Tell the warning's recipients (never the actor) that its status changed: the bell shows level, rule,
    place and the new status; several changes within the digest window merge ("等 N 件")."""
    status = Status(alert.status).label
    who = (getattr(actor, "full_name", "") or actor.username) if getattr(actor, "pk", None) else "系统"
    try:
        with transaction.atomic():  # a savepoint: a failed notice leaves the change itself standing
            notify(recipients(alert), kind=Notification.Kind.SYSTEM,
                   title=f"预警{status}：{get_rule(alert.rule).label}（{alert.jurisdiction.name}）",
                   body=f"{Status(before).label} → {status}（{who}）" + (
                       f"：{alert.handled_note}" if alert.handled_note and alert.status != Status.ACKNOWLEDGED else ""),
                   url=alert.get_absolute_url(), key="alert_status", actor=actor, digest_url=reverse("alerts:list"))
    except Exception:  # telling people must never undo the change
        logger.exception("预警状态通知失败：%s", alert.key)


# ------------------------------------------------------------------------------------------------ close
def _close(alerts: Iterable[Alert], *, note: str, actor: Any = None, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    closed = 0
    for alert in alerts:
        changed = Alert.objects.filter(pk=alert.pk, status__in=ACTIVE).update(
            status=Status.HANDLED, handled_at=now, handled_note=note[:NOTE_MAX],
            handled_by=actor if getattr(actor, "pk", None) else None, updated_at=now)
        if changed:
            closed += 1
            before = alert.status
            audit.record(actor=actor, action="alert.resolve", obj=alert,
                         changes={"status": [before, Status.HANDLED.value], "note": note},
                         detail=f"预警自动关闭（{note}）：{alert.title}")
            alert.status, alert.handled_note = Status.HANDLED, note[:NOTE_MAX]
            notify_status(alert, before=before, actor=actor)
    return closed


def alert_resolve_source(*, source: Any, note: str = "", actor: Any = None) -> int:
    """Close the waiting alerts (新预警, 已签收, 已列入研判) of `source` because their cause is gone (the overdue case
    was closed …), as 已处置 with `note` (default 原因已消除). Returns how many; audited each."""
    with transaction.atomic():
        return _close(Alert.objects.for_source(source).active(), note=note or RESOLVED_NOTE, actor=actor)


# ------------------------------------------------------------------------------------------------ handle
HANDLE_STATUSES = {Status.ACKNOWLEDGED: "签收", Status.AGENDA: "列入研判", Status.HANDLED: "标记已处置",
                   Status.DISMISSED: "排除"}
# Where each waiting status may go: 签收 only from 新预警; 研判 from 新预警 or 已签收; 处置 and 排除 from any.
NEXT = {Status.OPEN: (Status.ACKNOWLEDGED, Status.AGENDA, Status.HANDLED, Status.DISMISSED),
        Status.ACKNOWLEDGED: (Status.AGENDA, Status.HANDLED, Status.DISMISSED),
        Status.AGENDA: (Status.HANDLED, Status.DISMISSED)}


def may_handle(actor: Any, alert: Alert) -> bool:
    return bool(actor is not None and getattr(actor, "can", None) and actor.can(HANDLE_CAPABILITY)
                and Alert.objects.visible_to(actor).filter(pk=alert.pk).exists())


def alert_acknowledge(*, actor: Any, alert: Alert) -> Alert:
    """签收: someone in charge has seen a 新预警 and takes it on (who and when kept on the warning)."""
    return alert_handle(actor=actor, alert=alert, status=Status.ACKNOWLEDGED, note="")


def alert_handle(*, actor: Any, alert: Alert, status: str, note: str, agenda_item: str = "") -> Alert:
    """A person acts on a warning: 签收 (acknowledged, from 新预警), 列入研判 (agenda), 已处置 (handled) or
    已排除 (dismissed, a reason is required). Needs the capability alerts.handle and the alert in the actor's
    scope; a refusal is audited. Every change is audited (alert.acknowledge / alert.handle) and told to the
    warning's recipients (`notify_status`). `agenda_item`: the meeting's name for it, when another app puts
    it on an agenda."""
    if not may_handle(actor, alert):
        audit.record(actor=actor, action="alert.handle", obj=alert, outcome=AuditEntry.Outcome.FAILURE,
                     detail="无权处置该预警")
        raise PermissionDenied("您的角色不能处置预警。")
    note = " ".join(str(note or "").split())
    agenda_item = " ".join(str(agenda_item or "").split())
    errors: dict[str, list[str]] = {}
    if status not in HANDLE_STATUSES:
        errors["status"] = ["请选择处置方式：签收、列入研判、标记已处置或排除。"]
    elif status == Status.DISMISSED and not note:
        errors["note"] = ["排除预警须填写理由。"]
    if len(note) > NOTE_MAX:
        errors["note"] = [f"处置说明最多 {NOTE_MAX} 字。"]
    if len(agenda_item) > 200:
        errors["agenda_item"] = ["研判议题最多 200 字。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Alert.objects.select_for_update().get(pk=alert.pk)
        if locked.status not in ACTIVE:
            raise ValidationError({"status": [f"该预警{locked.get_status_display()}，不能再处置。"]})
        if locked.status == status:
            raise ValidationError({"status": [f"该预警已是“{locked.get_status_display()}”。"]})
        if status not in NEXT[Status(locked.status)]:
            raise ValidationError({"status": [f"该预警已是“{locked.get_status_display()}”，不能再"
                                              f"{HANDLE_STATUSES[Status(status)]}。"]})
        before = locked.status
        now = timezone.now()
        locked.status = status
        if status == Status.ACKNOWLEDGED:
            locked.acknowledged_by, locked.acknowledged_at = actor, now
            fields = ["status", "acknowledged_by", "acknowledged_at", "updated_at"]
            action = "alert.acknowledge"
        else:
            locked.handled_by = actor
            locked.handled_at = now
            locked.handled_note = note
            fields = ["status", "handled_by", "handled_at", "handled_note", "updated_at"]
            action = "alert.handle"
            if status == Status.AGENDA and agenda_item:
                locked.agenda_item = agenda_item
                fields.append("agenda_item")
        locked.save(update_fields=fields)
        audit.record(actor=actor, action=action, obj=locked,
                     changes={"status": [before, status], "note": note, "agenda_item": locked.agenda_item},
                     detail=f"{HANDLE_STATUSES[Status(status)]}：{locked.title}")
        notify_status(locked, before=before, actor=actor)
    return locked


# ------------------------------------------------------------------------------------------------ settings
def _clean_int(raw: Any, label: str) -> int:
    if isinstance(raw, bool):
        raise ValidationError(f"{label}须为 0 至 {PARAM_MAX} 之间的整数。")
    if isinstance(raw, int):
        value = raw
    else:
        text = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip()
        if not text:
            raise ValidationError(f"请填写{label}。")
        if not re.fullmatch(r"[0-9]{1,7}", text):
            raise ValidationError(f"{label}须为 0 至 {PARAM_MAX} 之间的整数。")
        value = int(text)
    if value < 0 or value > PARAM_MAX:
        raise ValidationError(f"{label}须为 0 至 {PARAM_MAX} 之间的整数。")
    return value


def _clean_date(raw: Any, label: str) -> dt.date:
    if isinstance(raw, dt.date):
        value = raw
    else:
        text = unicodedata.normalize("NFKC", str(raw if raw is not None else "")).strip()
        if not text:
            raise ValidationError(f"请填写{label}。")
        try:
            value = dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
        except ValueError:
            value = None
        if value is None:
            raise ValidationError(f"{label}须为有效日期，格式如 2026-10-01。")
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError(f"{label}须在 2000-01-01 至 2100-12-31 之间。")
    return value


def clean_params(rule: Rule, raw: dict[str, Any]) -> dict[str, Any]:
    """The parameters of `rule` from user input, typed; a ValidationError keyed by parameter in Chinese.
    Parameters the rule does not declare are refused."""
    if not isinstance(raw, dict):
        raise ValidationError({"params": ["参数格式错误。"]})
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    unknown = sorted(set(raw) - set(rule.params))
    if unknown:
        errors["params"] = [f"该规则没有参数：{'、'.join(str(u)[:30] for u in unknown)}。"]
    for name, (default, label) in rule.params.items():
        if name not in raw:
            continue
        try:
            clean[name] = _clean_date(raw[name], label) if isinstance(default, dt.date) else _clean_int(raw[name], label)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return clean


def rule_setting_save(*, actor: Any, node: Any, rule: str, enabled: bool, params: dict[str, Any],
                      note: str = "") -> AlertRuleSetting:
    """Set rule `rule` on or off at a district or township `node` with its parameters (whole numbers
    0–100000, dates 2000–2100). Needs the capability alerts.configure and the node in the actor's scope.
    Audited with before and after; nothing written when nothing changed."""
    from pingan.geo.models import Node

    if actor is None or not actor.can(CONFIGURE_CAPABILITY):
        audit.record(actor=actor, action="alert_rule.configure", object_type="alertrule." + str(rule)[:40],
                     outcome=AuditEntry.Outcome.FAILURE, detail="无权设置预警规则")
        raise PermissionDenied("您的角色不能设置预警规则。")
    try:
        declared = get_rule(rule)
    except LookupError:
        raise ValidationError({"rule": ["预警规则不存在。"]}) from None
    if node is None or not Node.objects.visible_to(actor).filter(pk=node.pk).exists():
        raise ValidationError({"node": ["地区不存在或不在您的管辖范围内。"]})
    if node.level not in (NodeLevel.COUNTY, NodeLevel.TOWNSHIP):
        raise ValidationError({"node": ["预警规则只能按区县或乡镇（街道）设置。"]})
    if not isinstance(enabled, bool):
        raise ValidationError({"enabled": ["请选择是否启用。"]})
    clean = clean_params(declared, params)
    note = " ".join(str(note or "").split())
    if len(note) > 200:
        raise ValidationError({"note": ["设置说明最多 200 字。"]})
    stored = {name: (value.isoformat() if isinstance(value, dt.date) else value) for name, value in clean.items()}
    with transaction.atomic():
        setting = AlertRuleSetting.objects.select_for_update().filter(jurisdiction=node, rule=rule).first()
        if setting is None:
            setting = AlertRuleSetting.objects.create(jurisdiction=node, rule=rule, enabled=enabled, params=stored,
                                                      note=note)
            audit.record(actor=actor, action="alert_rule.configure", obj=setting,
                         changes={"after": {"enabled": enabled, "params": stored, "note": note}},
                         detail=f"设置预警规则：{declared.label}（{node.name}）")
            return setting
        before = {"enabled": setting.enabled, "params": setting.params, "note": setting.note}
        after = {"enabled": enabled, "params": stored, "note": note}
        if before == after:
            return setting
        setting.enabled, setting.params, setting.note = enabled, stored, note
        setting.save(update_fields=["enabled", "params", "note", "updated_at"])
        audit.record(actor=actor, action="alert_rule.configure", obj=setting, changes=audit.diff(before, after),
                     detail=f"修改预警规则：{declared.label}（{node.name}）")
    return setting


# ------------------------------------------------------------------------------------------------ scan
def run_scan(*, now: dt.datetime | None = None, keys: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """Run every scan rule (or those in `keys`): raise what it yields that is new and enabled at its place,
    close the rule's waiting alerts whose key it no longer yields (原因已消除). A rule whose scan fails is
    logged and skipped; its alerts are left as they were."""
    now = now or timezone.now()
    wanted = set(keys) if keys is not None else None
    totals: dict[str, dict[str, int]] = {}
    for rule in rules():
        if rule.scan is None or (wanted is not None and rule.key not in wanted):
            continue
        try:
            totals[rule.key] = _scan_rule(rule, now)
        except Exception:
            logger.exception("预警扫描失败：%s", rule.key)
            totals[rule.key] = {"raised": 0, "resolved": 0, "failed": 1}
    return totals


def _scan_rule(rule: Rule, now: dt.datetime) -> dict[str, int]:
    specs: dict[str, AlertSpec] = {}
    for spec in rule.scan(rule_params(rule.key), now) or ():
        if spec.rule != rule.key:
            raise ValueError(f"scan of {rule.key} yielded a spec of {spec.rule}")
        specs.setdefault(spec.key, spec)
    raised = resolved = 0
    enabled: dict[int, Params] = {}
    existing = set(Alert.objects.filter(rule=rule.key).values_list("key", flat=True))
    for key, spec in specs.items():
        if key in existing:
            continue
        place = spec.jurisdiction
        if place.pk not in enabled:
            enabled[place.pk] = rule_params(rule.key, place)
        if not enabled[place.pk].enabled:
            continue
        _alert, created = _create(rule, spec, at=now)
        raised += created
    gone = [a for a in Alert.objects.filter(rule=rule.key, status__in=ACTIVE).only("pk", "key", "status", "title", "level",
                                                                                   "jurisdiction")
            if a.key not in specs]
    if gone:
        with transaction.atomic():
            resolved = _close(gone, note=RESOLVED_NOTE, now=now)
    return {"raised": raised, "resolved": resolved}
