"""The audit trail: one function writes every entry (architecture: services and audit)."""
from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any, Iterable

from django.db import models

from . import context
from .models import AuditEntry


def jsonable(value: Any) -> Any:
    """A value as it is stored in an audit entry's before/after."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
        return value.name or ""
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """Concrete field values of an instance, by attribute name (FKs as ids)."""
    result: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields and field.attname not in fields:
            continue
        result[field.name] = jsonable(_column_value(field, getattr(instance, field.attname)))
    return result


def _column_value(field: models.Field, value: Any) -> Any:
    """The value as its column will hold it: a decimal at the column's places ("2" posted over a stored 2.0
    is no change, and the trail records 2.0 both times)."""
    if isinstance(field, models.DecimalField) and field.decimal_places is not None:
        try:
            value = decimal.Decimal(str(value)) if value is not None and not isinstance(value, decimal.Decimal) else value
            if value is not None and value.is_finite():
                return value.quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
        except (decimal.InvalidOperation, ValueError, TypeError):
            return value
    return value


def redacted_snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """snapshot() with the instance's personal fields redacted by type: for a service that records one
    model's fields on another object's entry (a person's details on the enrolment's entry)."""
    return redact(type(instance), snapshot(instance, fields))


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose values differ."""
    keys = set(before) | set(after)
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


# ------------------------------------------------------------------------------------------ redaction
# What the trail records of a personal field is decided by the field's type (pingan.core.personal: encrypted
# text, ciphertext, lookup hashes, birth dates, phones carry `audit_redact`), for every model, at the one place
# every entry is written — no service has to remember it.
def _redactors(model: type[models.Model] | None) -> dict[str, Any]:
    if model is None:
        return {}
    cached = _MODEL_REDACTORS.get(model)
    if cached is None:
        cached = {}
        for field in model._meta.concrete_fields:
            redact = getattr(field, "audit_redact", None)
            if redact is not None:
                cached[field.name] = redact
                cached[field.attname] = redact
        _MODEL_REDACTORS[model] = cached
    return cached


_MODEL_REDACTORS: dict[type, dict[str, Any]] = {}


def redact(model: type[models.Model] | None, changes: Any) -> Any:
    """`changes` in any of the shapes services write — {"after": {field: v}}, {"before": …, "after": …},
    {field: [before, after]}, or lists of those — with every personal field of `model` replaced by its
    redaction. Redactions are idempotent, so redacting twice is harmless."""
    own = _redactors(model)

    def one(name: str, value: Any) -> Any:
        redactor = own.get(name)
        if redactor is None:
            return walk(value)
        if isinstance(value, list) and len(value) == 2:
            return [redactor(v) for v in value]
        if isinstance(value, (dict, list)):
            return walk(value)
        return redactor(value)

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: one(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(changes)


def object_scope_path(obj: Any) -> str:
    if obj is None:
        return ""
    for attr in ("audit_scope_path",):
        value = getattr(obj, attr, None)
        if value:
            return value
    jurisdiction = getattr(obj, "jurisdiction", None)
    if jurisdiction is not None and getattr(jurisdiction, "path", None):
        return jurisdiction.path
    return ""


def record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    changes: dict[str, Any] | None = None,
    outcome: str = AuditEntry.Outcome.SUCCESS,
    detail: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    scope_path: str = "",
    redact_as: Iterable[type[models.Model]] = (),
) -> AuditEntry:
    """Append one audit entry. `actor` may be None (system) or an unsaved/anonymous user.

    Personal fields in `changes` are redacted by field type: those of `obj`'s model always, and those of the
    models in `redact_as` when the changes describe another model's fields."""
    ctx = context.current()
    actor_obj = actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk or "")
        object_repr = object_repr or str(obj)[:200]
    if not scope_path:
        scope_path = object_scope_path(obj) or (getattr(actor_obj, "scope_path", "") if actor_obj else "")
    changes = redact(type(obj) if obj is not None else None, jsonable(changes or {}))
    for model in redact_as:
        changes = redact(model, changes)
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_name=(getattr(actor, "username", "") or "")[:150] if actor is not None else "系统",
        address=ctx.address,
        request_id=ctx.request_id,
        channel=ctx.channel,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        scope_path=scope_path or "",
        changes=changes,
        outcome=outcome,
        detail=detail,
    )


def history(obj: models.Model):
    """Audit entries of one object, newest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor")


def denied(*, user: Any, path: str) -> None:
    """A refused request (a role without the capability): audited as a failure naming the path."""
    record(actor=user, action="permission_denied", outcome="failure", object_repr=path[:200], detail="访问被拒绝")
