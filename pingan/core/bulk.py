"""Bulk writes with their audit entries, for code that writes thousands of rows at once (ledger imports, the
case layer's bulk registration, demo seeds): new instances built cheaply from field dicts, inserted with one
COPY on PostgreSQL (bulk_create elsewhere), and one audit entry per row written in bulk. Domain-free: any
model, any caller."""
from __future__ import annotations

import datetime as dt
import json
import operator
from typing import Any, Iterable, Iterator

from django.db import connection, models
from django.db.models import Field
from django.db.models.signals import post_init, pre_init
from django.db.models.base import ModelState
from django.utils import timezone

from . import audit, context
from .models import AuditEntry


def bulk_audit(*, actor: Any, action: str, instances: Iterable[Any], created: bool,
               scope_paths: list[str] | None = None, changes: list[dict] | None = None) -> None:
    """One audit entry per record, written in bulk (imports write thousands of records): on PostgreSQL one COPY
    of plain rows (no AuditEntry instances, the snapshot serialised once); elsewhere bulk_create."""
    instances = list(instances)
    if not instances:
        return
    ctx = context.current()
    actor_obj = actor if getattr(actor, "pk", None) and getattr(actor, "is_authenticated", False) else None
    actor_name = (getattr(actor, "username", "") or "")[:150] if actor is not None else "系统"
    detail = "台账导入" if created else "台账导入更新"
    if changes is None:
        snap = snapshotter(type(instances[0]))
        changes = [{"after": snap(obj)} for obj in instances]
    # Personal fields redacted by type, as audit.record does for single entries.
    model = type(instances[0])
    if audit._redactors(model):
        changes = [audit.redact(model, item) for item in changes]
    if connection.vendor != "postgresql":
        entries = []
        for i, obj in enumerate(instances):
            entries.append(AuditEntry(
                actor=actor_obj, actor_name=actor_name, address=ctx.address, request_id=ctx.request_id,
                channel=ctx.channel, action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                scope_path=(scope_paths[i] if scope_paths else "") or audit.object_scope_path(obj),
                changes=audit.jsonable(changes[i]), outcome=AuditEntry.Outcome.SUCCESS, detail=detail,
            ))
        bulk_insert(AuditEntry, entries)
        return
    now = timezone.now()
    actor_id = actor_obj.pk if actor_obj is not None else None
    success = AuditEntry.Outcome.SUCCESS.value
    head = (now, actor_id, actor_name, ctx.address, ctx.request_id, ctx.channel, action)
    rows = []
    for i, obj in enumerate(instances):
        scope_path = (scope_paths[i] if scope_paths else "") or audit.object_scope_path(obj)
        rows.append(head + (obj._meta.label_lower, str(obj.pk), str(obj)[:200], scope_path, dump_json(changes[i]), success, detail))
    copy_rows(AuditEntry._meta.db_table, _AUDIT_COLUMNS, rows)


_AUDIT_COLUMNS = ("at", "actor_id", "actor_name", "address", "request_id", "channel", "action", "object_type",
                  "object_id", "object_repr", "scope_path", "changes", "outcome", "detail")


def dump_json(value: Any) -> str:
    """JSON text of an audit change, as audit.jsonable would store it (dates as ISO text, Decimals as text)."""
    try:
        return json.dumps(value, ensure_ascii=False, default=audit.jsonable)
    except (TypeError, ValueError):
        return json.dumps(audit.jsonable(value), ensure_ascii=False)


def snapshotter(model: type[models.Model]):
    """obj -> audit.snapshot(obj) (concrete fields by name, FKs as ids), without the per-field Python loop;
    values are made JSON-able when the snapshot is serialised (dump_json)."""
    fields = model._meta.concrete_fields
    names = tuple(f.name for f in fields)
    getter = operator.attrgetter(*(f.attname for f in fields))
    plain = (str, int, float, bool, type(None), dt.date, dt.datetime)
    odd = [f.name for f in fields if not isinstance(f, _PLAIN_FIELDS)]

    def snap(obj: Any) -> dict[str, Any]:
        data = dict(zip(names, getter(obj)))
        for name in odd:
            value = data[name]
            if value.__class__ not in plain:
                data[name] = audit.jsonable(value)
        return data

    return snap


def copy_rows(table: str, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """COPY plain rows (already database values) into a table on PostgreSQL."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row)


# Fields whose Python value is the database value as psycopg sends it (no get_db_prep_save needed).
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BigIntegerField,
                 models.SmallIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField,
                 models.PositiveBigIntegerField, models.BooleanField, models.DateField, models.FloatField,
                 models.DecimalField, models.AutoField, models.BigAutoField, models.UUIDField)


class _InsertPlan:
    """How to turn instances (or field dicts) of one model into COPY rows, worked out once per model."""

    def __init__(self, model: type[models.Model]):
        meta = model._meta
        self.model = model
        self.pk = meta.pk
        self.fields = [f for f in meta.concrete_fields if f is not meta.pk]
        self.attnames = tuple(f.attname for f in self.fields)
        self.attnameset = frozenset(self.attnames) | {meta.pk.attname}
        self.getter = operator.attrgetter(*self.attnames)
        # Datetime fields are sorted per call (`timestamps`), not here: whether a field is auto_now_add is read
        # when rows are written, because a caller may switch it off to write historical moments (the events
        # demo seed does) and this plan is cached for the process.
        self.datetimes = []  # (index, field) of every DateTimeField
        self.convert = []    # fields needing Django's conversion (JSON, encrypted text, files, custom types)
        for i, f in enumerate(self.fields):
            if isinstance(f, models.DateTimeField):
                self.datetimes.append((i, f))
            elif not _is_plain(f):
                self.convert.append((i, f))
        # Defaults of fields a dict row leaves out: constants computed once, callables per row.
        self.defaults: list[tuple[str, Any, bool]] = []
        for f in [meta.pk] + self.fields:
            if f.has_default() and callable(f.default):
                self.defaults.append((f.attname, f.get_default, True))
            else:
                self.defaults.append((f.attname, f.get_default(), False))
        self.fast_init = not (pre_init.has_listeners(model) or post_init.has_listeners(model))

    def timestamps(self) -> tuple[list[tuple[int, str]], list[tuple[int, Any]]]:
        """(auto fields set to one timestamp per batch, other datetimes converted only when naive), by the
        fields' flags as they are now."""
        now, aware = [], []
        for i, f in self.datetimes:
            if f.auto_now or f.auto_now_add:
                now.append((i, f.attname))
            else:
                aware.append((i, f))
        return now, aware

    def instance(self, fields: dict[str, Any]) -> models.Model:
        """A new unsaved instance from attname values, without Model.__init__'s per-field work."""
        if not self.fast_init or not self.attnameset.issuperset(fields):
            return self.model(**fields)
        data = {}
        for attname, default, call in self.defaults:
            if attname in fields:
                data[attname] = fields[attname]
            elif call:
                data[attname] = default()
            else:
                data[attname] = default.copy() if isinstance(default, (dict, list)) else default
        obj = self.model.__new__(self.model)
        obj.__dict__.update(data)
        obj._state = ModelState()
        return obj


def _is_plain(field: models.Field) -> bool:
    """A field whose Python value psycopg sends as is: Django's own text, number, boolean, date, key types
    (not a subclass that converts, like an encrypted text field)."""
    if isinstance(field, models.ForeignKey):
        return _is_plain(field.target_field)
    if not isinstance(field, _PLAIN_FIELDS) or isinstance(field, models.DateTimeField):
        return False
    own = type(field).get_prep_value
    return any(own is getattr(base, "get_prep_value", None) for base in _PLAIN_FIELDS + (models.TextField, Field))


_PLANS: dict[type, _InsertPlan] = {}


def insert_plan(model: type[models.Model]) -> _InsertPlan:
    plan = _PLANS.get(model)
    if plan is None:
        plan = _PLANS[model] = _InsertPlan(model)
    return plan


def build_instances(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> list[Any]:
    """New unsaved instances from field dicts (attnames), cheaply: imports build hundreds of thousands."""
    make = insert_plan(model).instance
    return [make(fields) for fields in rows]


def bulk_insert(model: type[models.Model], instances: list[Any]) -> None:
    """Insert new rows and set their primary keys. On PostgreSQL: ids from the sequence, then one COPY
    (several times faster than INSERT for large imports); elsewhere bulk_create, which returns the ids."""
    if not instances:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(instances, batch_size=500)
        return
    plan = insert_plan(model)
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, plan.pk.column, len(instances)])
        ids = [row[0] for row in cursor.fetchall()]
    now_fields, aware = plan.timestamps()
    now = timezone.now() if now_fields else None
    getter, convert = plan.getter, plan.convert
    pk_attname = plan.pk.attname

    def rows():
        for obj, new_id in zip(instances, ids):
            setattr(obj, pk_attname, new_id)
            for _i, attname in now_fields:
                setattr(obj, attname, now)
            values = getter(obj)
            if convert or aware:
                values = list(values)
                for i, f in convert:
                    values[i] = f.get_db_prep_save(values[i], connection)
                for i, f in aware:
                    value = values[i]
                    if value is not None and (value.__class__ is not dt.datetime or value.tzinfo is None):
                        values[i] = f.get_db_prep_save(value, connection)
            yield (new_id, *values)

    copy_rows(meta.db_table, [plan.pk.column] + [f.column for f in plan.fields], rows())
    for obj in instances:
        obj._state.adding = False
        obj._state.db = connection.alias


def iter_chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
