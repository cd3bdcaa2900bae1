"""Export a ledger: the rows the user may see (optionally under one node), same headers as import, codes as
labels. Every export is audited with the ledger, the place, the row count and whether personal numbers were
written in full.

Personal numbers (公民身份号码, phones) are masked in every export unless the caller asks for full values
(`full=True`): that needs the capability `people.reveal_id`, a reason of at least
`personal.MIN_REASON_LENGTH` characters and, when the district requires it (settings.PINGAN_EXPORT_APPROVAL),
the account of another person with that capability who approved it (`approved_by`). An export is bulk
disclosure (security.md): the audit entry keeps the reason and the approver beside the row count.
"""
from __future__ import annotations

import os
from typing import IO, Any, Callable, Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.core import audit, personal

from .engine import LedgerContext, check_permission
from .spec import LedgerSpec
from .writers import write_csv, write_xlsx

REVEAL_CAPABILITY = "people.reveal_id"


def approval_required() -> bool:
    return bool(getattr(settings, "PINGAN_EXPORT_APPROVAL", False))


def check_full_export(spec: LedgerSpec, user: Any, reason: str, approved_by: Any = None, *,
                      before_approval: bool = False) -> str:
    """Raise PermissionDenied / ValidationError (Chinese) unless `user` may export `spec` with full personal
    numbers for `reason`; returns the cleaned reason. Approval is checked when the district requires it,
    except `before_approval` (a request that is about to ask for one)."""
    if not spec.personal_data:
        raise ValidationError(f"{spec.label}台账没有需要完整导出的个人号码。")
    if user is None or not user.can(REVEAL_CAPABILITY):
        raise PermissionDenied("您的角色不能导出完整的身份号码和电话，只能导出脱敏后的台账。")
    reason = " ".join((reason or "").split())
    if len(reason) < personal.MIN_REASON_LENGTH:
        raise ValidationError(f"完整导出身份号码和电话须填写事由（至少 {personal.MIN_REASON_LENGTH} 个字）。")
    if approval_required() and not before_approval:
        if approved_by is None:
            raise PermissionDenied("本区要求完整导出须经另一名有权查看身份号码的人员审批，请先提交审批。")
        if approved_by.pk == user.pk or not approved_by.is_active or not approved_by.can(REVEAL_CAPABILITY):
            raise PermissionDenied("审批人须是另一名有权查看身份号码的在岗人员。")
    return reason


def export_rows(spec: LedgerSpec, *, user: Any, node: Any = None, ctx: LedgerContext | None = None) -> Iterator[list[Any]]:
    ctx = ctx or LedgerContext(user, spec)
    for obj in spec.export_queryset(user, node).iterator(chunk_size=2000):
        yield spec.export_row(obj, ctx)


def export_ledger(spec: LedgerSpec, target: str | IO[bytes], *, user: Any, node: Any = None,
                  fmt: str | None = None, full: bool = False, reason: str = "", approved_by: Any = None,
                  progress: Callable[[int, int], None] | None = None, progress_every: int = 2000) -> int:
    """Write the ledger to `target` (.xlsx, or .csv by name or `fmt`); returns the number of rows.

    Masked unless `full` (see the module's docstring); `progress(done, total)` is called every
    `progress_every` rows and at the end.
    """
    check_permission(spec, user, spec.export_capability)
    if full:
        reason = check_full_export(spec, user, reason, approved_by)
    if fmt is None:
        name = str(target) if isinstance(target, (str, os.PathLike)) else getattr(target, "name", "")
        fmt = "csv" if str(name).lower().endswith(".csv") else "xlsx"
    ctx = LedgerContext(user, spec, full_values=full)
    total = spec.export_queryset(user, node).count() if progress is not None else 0
    rows = export_rows(spec, user=user, node=node, ctx=ctx)
    if progress is not None:
        rows = _counting(rows, progress, total, progress_every)
    count = write_csv(target, spec, rows) if fmt == "csv" else write_xlsx(target, spec, rows)
    if progress is not None:
        progress(count, max(total, count))
    place = node if node is not None else getattr(user, "scope", None)
    changes = {"ledger": spec.kind, "rows": count, "format": fmt,
               "jurisdiction": node.code if node is not None else "",
               "place": getattr(place, "name", "") or "", "full": bool(full)}
    detail = f"导出{spec.label}台账 {count} 行"
    if spec.personal_data:
        detail += "（身份号码和电话为完整值）" if full else "（身份号码和电话已脱敏）"
    if full:
        changes["reason"] = reason
        detail += f"，事由：{reason}"
        if approved_by is not None:
            changes["approved_by"] = approved_by.username
            detail += f"，审批人：{approved_by.username}"
    audit.record(actor=user, action="ledger.export", object_type=f"ledger.{spec.kind}",
                 object_repr=f"{spec.label}台账",
                 scope_path=node.path if node is not None else getattr(user, "scope_path", "") or "",
                 changes=changes, detail=detail)
    return count


def _counting(rows: Iterator[list[Any]], progress: Callable[[int, int], None], total: int,
              every: int) -> Iterator[list[Any]]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % every == 0:
            progress(done, max(total, done))
