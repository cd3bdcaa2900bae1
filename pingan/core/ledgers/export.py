"""Export a ledger: the rows the user may see (optionally under one node), same headers as import, codes as
labels, personal numbers masked unless the user may see them. Every export is audited."""
from __future__ import annotations

import os
from typing import IO, Any, Iterator

from pingan.core import audit

from .engine import LedgerContext, check_permission
from .spec import LedgerSpec
from .writers import write_csv, write_xlsx


def export_rows(spec: LedgerSpec, *, user: Any, node: Any = None, ctx: LedgerContext | None = None) -> Iterator[list[Any]]:
    ctx = ctx or LedgerContext(user, spec)
    for obj in spec.export_queryset(user, node).iterator(chunk_size=2000):
        yield spec.export_row(obj, ctx)


def export_ledger(spec: LedgerSpec, target: str | IO[bytes], *, user: Any, node: Any = None,
                  fmt: str | None = None) -> int:
    """Write the ledger to `target` (.xlsx, or .csv by name or `fmt`); returns the number of rows."""
    check_permission(spec, user, spec.export_capability)
    if fmt is None:
        name = str(target) if isinstance(target, (str, os.PathLike)) else getattr(target, "name", "")
        fmt = "csv" if str(name).lower().endswith(".csv") else "xlsx"
    rows = export_rows(spec, user=user, node=node)
    count = write_csv(target, spec, rows) if fmt == "csv" else write_xlsx(target, spec, rows)
    audit.record(actor=user, action="ledger.export", object_type=f"ledger.{spec.kind}",
                 object_repr=f"{spec.label}台账", scope_path=node.path if node is not None else "",
                 changes={"rows": count, "format": fmt, "jurisdiction": node.code if node is not None else ""},
                 detail=f"导出{spec.label}台账 {count} 行")
    return count
