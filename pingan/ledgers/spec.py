"""A ledger spec: the declaration of one ledger (台账) — its kind, model, columns, natural key and row checks.
The same spec drives import, export, the blank template and the documentation table.

An app declares its ledgers in `<app>/ledgers.py`:

    @register
    class HazardLedger(LedgerSpec):
        kind = "hazards"
        label = "风险隐患"
        model = Hazard
        audit_action = "hazard.import"
        columns = [TextColumn("编号", "number", key=True, max_length=40), ...]

        def check_row(self, row, ctx):          # cross-column rules → [(header, reason)]
            ...
        def prepare(self, fields, ctx, instance):   # derived fields before writing (optional)
            ...
"""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models

from pingan.core import audit
from pingan.core.bulk import build_instances, bulk_audit, bulk_insert  # noqa: F401  (re-exported for ledger specs)
from pingan.core.services import model_update

from .columns import Column

if TYPE_CHECKING:  # pragma: no cover
    from .engine import LedgerContext


class LedgerSpec:
    kind: str = ""
    label: str = ""
    model: type[models.Model]
    columns: list[Column] = []
    audit_action: str = ""
    # Who may import / export this ledger (accounts.permissions capabilities).
    import_capability: str = "ledgers.import"
    export_capability: str = "ledgers.export"
    # A ledger that is only exported (its records come from a workflow, not from a spreadsheet): every import
    # path answers `export_only` as the reason.
    export_only: str = ""
    # Rows written per batch (bulk_create, audit entries, existing-record lookups).
    batch_size: int = 2000
    # Export order.
    export_ordering: tuple[str, ...] = ("pk",)
    export_select_related: tuple[str, ...] = ()
    description: str = ""
    # The ledger carries personal numbers (公民身份号码, phones): exported masked unless full values are asked
    # for with a reason by a role that may reveal them (export.check_full_export); columns read ctx.full_values.
    personal_data: bool = False

    # ------------------------------------------------------------------------------------ declaration
    @property
    def key_columns(self) -> list[Column]:
        return [c for c in self.columns if c.key]

    @property
    def required_columns(self) -> list[Column]:
        return [c for c in self.columns if c.required]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, header: str) -> Column:
        for c in self.columns:
            if c.header == header:
                return c
        raise KeyError(header)

    def key_of(self, fields: dict[str, Any]) -> tuple:
        return tuple(fields[c.field] for c in self.key_columns)

    def key_of_instance(self, instance: Any) -> tuple:
        return tuple(getattr(instance, c.field) for c in self.key_columns)

    def key_label(self, key: tuple) -> str:
        return "、".join(f"{c.header}“{v}”" for c, v in zip(self.key_columns, key))

    # ------------------------------------------------------------------------------------ row rules
    def check_row(self, row: dict[str, Any], ctx: "LedgerContext") -> list[tuple[str, str]]:
        """Rules across columns of one row, on parsed values by field; [(header, reason)]."""
        return []

    def prepare(self, fields: dict[str, Any], ctx: "LedgerContext", instance: Any = None) -> dict[str, Any]:
        """Fields derived from the row before writing (e.g. the engine's deadline from 整治期限)."""
        return fields

    # ------------------------------------------------------------------------------------ writing
    def existing(self, keys: list[tuple]) -> dict[tuple, Any]:
        """Existing records (any scope) for these keys, one query per batch."""
        first = self.key_columns[0].field
        qs = self.model.objects.filter(**{f"{first}__in": list({k[0] for k in keys})})
        wanted = set(keys)
        result = {}
        for obj in qs.select_related(*self.export_select_related):
            key = self.key_of_instance(obj)
            if key in wanted:
                result[key] = obj
        return result

    def scope_path_of(self, instance: Any, ctx: "LedgerContext") -> str:
        """The jurisdiction path of an existing record, from the in-memory tree (no query per row)."""
        lookup = getattr(self.model, "scope_path_lookup", "jurisdiction__path")
        attname = lookup.split("__")[0] + "_id"
        node = ctx.places.by_id.get(getattr(instance, attname, None))
        return node.path if node is not None else audit.object_scope_path(instance)

    def create_batch(self, rows: list[dict[str, Any]], ctx: "LedgerContext") -> list[Any]:
        """Create new records in bulk and audit each one (an import is a service: one entry per record)."""
        instances = build_instances(self.model, rows)
        bulk_insert(self.model, instances)
        self.after_create(instances, ctx)
        bulk_audit(actor=ctx.user, action=self.audit_action, instances=instances, created=True,
                   scope_paths=[ctx.path_of_row(fields) for fields in rows])
        return instances

    def after_create(self, instances: list[Any], ctx: "LedgerContext") -> None:
        """Hook: rows that go with new records (e.g. the workflow log's 台账导入 entry)."""

    def update(self, instance: Any, fields: dict[str, Any], ctx: "LedgerContext") -> dict[str, list[Any]]:
        """Apply a changed row to an existing record through the audited update service."""
        _, changes = model_update(actor=ctx.user, instance=instance, data=fields, action=self.audit_action)
        return changes

    # ------------------------------------------------------------------------------------ export
    def export_queryset(self, user: Any, node: Any) -> models.QuerySet:
        qs = self.model.objects.visible_to(user) if user is not None else self.model.objects.all()
        if node is not None:
            qs = qs.filter(**{f"{self.model.scope_path_lookup}__startswith": node.path})
        return qs.select_related(*self.export_select_related).order_by(*self.export_ordering).distinct()

    def export_row(self, obj: Any, ctx: "LedgerContext") -> list[Any]:
        return [c.display(c.value_of(obj), ctx) for c in self.columns]


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()
