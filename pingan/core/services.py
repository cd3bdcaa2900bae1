"""Shared helpers for service functions (`<entity>_<verb>(*, actor, ...)`).

A service runs in one transaction, validates, writes with explicit update_fields and records an audit
entry. These helpers keep the write-and-audit part identical everywhere.
"""
from __future__ import annotations

from typing import Any, Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction

from . import audit


def model_create(*, actor: Any, model: type[models.Model], action: str, data: dict[str, Any]) -> models.Model:
    """Create a row with validated fields and audit it as `action` (after = all fields)."""
    instance = model(**data)
    instance.full_clean()
    instance.save()
    audit.record(actor=actor, action=action, obj=instance, changes={"after": audit.snapshot(instance)})
    return instance


def stored_snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` as the database holds them now, keyed like `audit.snapshot`.

    An update compares against the stored row, never against the instance it was handed: a ModelForm's
    is_valid() (or any caller) may already have copied the new values onto that instance, and comparing the
    instance with itself found no change, so the edit was silently dropped and never audited (issue 8,
    finding 3). A new instance (no pk, or no row yet) compares against its own values.
    """
    fields = list(fields)
    wanted = [f for f in instance._meta.concrete_fields if f.name in fields or f.attname in fields]
    if instance.pk is None or not wanted:
        return audit.snapshot(instance, fields)
    row = type(instance)._base_manager.using(instance._state.db or "default").filter(pk=instance.pk) \
        .values(*[f.attname for f in wanted]).first()
    if row is None:
        return audit.snapshot(instance, fields)
    return {f.name: audit.jsonable(row[f.attname]) for f in wanted}


def model_update(
    *, actor: Any, instance: models.Model, data: dict[str, Any], action: str, fields: Iterable[str] | None = None,
    audit_obj: models.Model | None = None,
) -> tuple[models.Model, dict[str, list[Any]]]:
    """Apply `data` to `instance`, save only the changed fields, audit the before/after of those fields.

    "Before" is read from the database row (`stored_snapshot`), so an instance a form has already mutated is
    still written and audited correctly. Returns the instance and the changes; when nothing changed nothing is
    written and nothing audited, which is what makes imports idempotent. `audit_obj` records the change on
    another object (a person's details on the enrolment), redacting the instance's personal fields by type.
    """
    allowed = set(fields) if fields is not None else set(data)
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"不允许修改的字段：{', '.join(sorted(unknown))}")
    before = stored_snapshot(instance, data.keys())
    for name, value in data.items():
        setattr(instance, name, value)
    after = audit.snapshot(instance, data.keys())
    changes = audit.diff(before, after)
    if not changes:
        return instance, {}
    instance.full_clean()
    update_fields = [instance._meta.get_field(name).name for name in changes]
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    audit.record(actor=actor, action=action, obj=audit_obj or instance, changes=changes, redact_as=[type(instance)])
    return instance, changes


def form_error_lines(form) -> list[str]:
    """A bound form's errors as lines of Chinese, each led by its field's label (for a page's error box)."""
    out = []
    for name, errs in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        out += [f"{label}：{e}" if label else str(e) for e in errs]
    return out


def validation_message(exc: ValidationError) -> str:
    """A ValidationError as one line of Chinese for a message or a CLI error."""
    if hasattr(exc, "message_dict"):
        parts = []
        for field, messages in exc.message_dict.items():
            label = field if field != "__all__" else ""
            parts.append(f"{label}{'：' if label else ''}{'；'.join(messages)}")
        return "；".join(parts)
    return "；".join(exc.messages)


atomic = transaction.atomic
