"""The ledger jobs the worker runs with the owner's rights (registered with pingan.jobs from LedgersConfig.ready):

- ledger_check: the upload's dry run (the preview): counts, the first problems, the errors workbook.
- ledger_import: writes the checked upload (re-validated: the data may have changed since), then deletes
  the upload, which holds personal data.
- ledger_export: writes the ledger file (masked, or full values as approved) for the owner to download.
- list_export: writes the rows of one list page (its filters, the owner's scope and data kinds, checked
  again here) for the owner to download (pingan.ledgers.lists).
"""
from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from pingan.geo.models import Node
from pingan.jobs import handlers
from pingan.jobs.handlers import Outcome
from pingan.jobs.models import Job
from pingan.jobs.services import Progress, job_dir, job_path, relative_path

from . import lists, registry
from .engine import import_ledger
from .export import export_ledger
from .writers import write_errors

SHOWN_PROBLEMS = 200


def _import_outcome(job: Job, result: Any, filename: str) -> Outcome:
    data = {
        "ok": result.ok, "written": result.written, "dry_run": result.dry_run, "file_error": result.file_error,
        "total": result.total, "created": result.created, "updated": result.updated,
        "unchanged": result.unchanged, "invalid": result.invalid, "problem_count": len(result.problems),
        "problems": [{"row": p.row, "header": p.header, "value": p.value, "reason": p.reason}
                     for p in result.problems[:SHOWN_PROBLEMS]],
        "warnings": list(result.warnings), "summary": result.summary(),
    }
    files: dict[str, str] = {}
    if result.problems and result.bad_rows:
        reasons: dict[int, list[str]] = {}
        for problem in result.problems:
            reasons.setdefault(problem.row, []).append(f"{problem.header}：{problem.reason}")
        target = job_dir(job) / "errors.xlsx"
        write_errors(str(target), result.headers, result.bad_rows, reasons)
        files = {"errors_file": relative_path(target),
                 "errors_name": f"{os.path.splitext(filename)[0] or '台账'}.errors.xlsx"}
    status = Job.Status.FAILED if result.file_error else Job.Status.SUCCEEDED
    return Outcome(status, result.summary(), data, files)


def ledger_check(job: Job, progress: Progress) -> Outcome:
    spec = registry.get(job.parameters["ledger"])
    progress.stage = "检查"
    result = import_ledger(spec, str(job_path(job, job.input_file)), user=job.owner,
                                   filename=job.input_name, dry_run=True, progress=progress)
    return _import_outcome(job, result, job.input_name)


def ledger_import(job: Job, progress: Progress) -> Outcome:
    spec = registry.get(job.parameters["ledger"])
    source = Job.objects.filter(pk=job.parameters["source_job"], owner=job.owner, kind=Job.Kind.LEDGER_CHECK).first()
    if source is None or not source.input_file or not job_path(source, source.input_file).exists():
        raise PermissionDenied("待导入的文件已失效（已导入或已过期清理），请重新上传。")
    progress.stage = "导入"
    path = job_path(source, source.input_file)
    result = import_ledger(spec, str(path), user=job.owner, filename=source.input_name,
                                   skip_invalid=bool(job.parameters.get("skip_invalid")), progress=progress)
    if result.written:
        path.unlink(missing_ok=True)
        Job.objects.filter(pk=source.pk).update(input_file="")
    return _import_outcome(job, result, source.input_name)


def ledger_export(job: Job, progress: Progress) -> Outcome:
    params = job.parameters
    spec = registry.get(params["ledger"])
    fmt = params.get("format", "xlsx")
    node = None
    if params.get("jurisdiction"):
        node = Node.objects.visible_to(job.owner).filter(code=params["jurisdiction"]).first()
        if node is None:
            raise PermissionDenied("区划代码不存在，或不在您的管辖范围内。")
    full = bool(params.get("full"))
    progress.stage = "导出"
    target = job_dir(job) / f"export.{fmt}"
    count = export_ledger(spec, str(target), user=job.owner, node=node, fmt=fmt, full=full,
                                  reason=params.get("reason", ""), approved_by=job.approver if full else None,
                                  progress=progress)
    stamp = timezone.localdate().strftime("%Y%m%d")
    where = node.name if node else (job.owner.scope.name if job.owner.scope_id else "")
    suffix = "_完整" if full else ""
    masked = "身份号码和电话为完整值。" if full else ("身份号码和电话已脱敏。" if spec.personal_data else "")
    return Outcome(Job.Status.SUCCEEDED, f"已导出{spec.label}台账 {count} 行。{masked}",
                   {"rows": count, "format": fmt, "full": full, "ledger": spec.kind},
                   {"result_file": relative_path(target), "result_name": f"{spec.label}台账_{where}_{stamp}{suffix}.{fmt}"})


LIST_EXPORT = "list_export"


def list_export(job: Job, progress: Progress) -> Outcome:
    """The export of a list page, with the owner's rights, scope and data kinds as they are now; the filters
    are validated again (a place or a record named in them may have left the owner's scope meanwhile)."""
    params = job.parameters
    entry = lists.get_list(params.get("list", ""))
    if entry is None:
        raise PermissionDenied("该列表已不能导出。")
    query = lists.parse_query(params.get("_query", ""))
    fmt = params.get("format", "xlsx")
    full = bool(params.get("full"))
    progress.stage = "导出"
    target = job_dir(job) / f"export.{fmt}"
    try:
        count = lists.export_list(entry, str(target), user=job.owner, params=query, fmt=fmt, full=full,
                                  reason=params.get("reason", ""), approved_by=job.approver if full else None,
                                  progress=progress)
    finally:
        # The raw query (a search may hold a personal number) is not kept once the file is written.
        kept = {k: v for k, v in params.items() if k != "_query"}
        Job.objects.filter(pk=job.pk).update(parameters=kept)
    spec = entry.spec()
    stamp = timezone.localdate().strftime("%Y%m%d")
    where = job.owner.scope.name if job.owner.scope_id else ""
    suffix = "_完整" if full else ""
    masked = "身份号码和电话为完整值。" if full else ("身份号码和电话已脱敏。" if spec.personal_data else "")
    return Outcome(Job.Status.SUCCEEDED, f"已导出{entry.label}列表 {count} 行。{masked}",
                   {"rows": count, "format": fmt, "full": full, "list": entry.route, "ledger": entry.ledger},
                   {"result_file": relative_path(target),
                    "result_name": f"{entry.label}_{where}_{stamp}{suffix}.{fmt}"})


def register_handlers() -> None:
    page = {"result_template": "ledgers/_job_result.html", "home": ("台账导入导出", "ledgers:index")}
    handlers.register(Job.Kind.LEDGER_CHECK, ledger_check, **page)
    handlers.register(Job.Kind.LEDGER_IMPORT, ledger_import, **page)
    handlers.register(Job.Kind.LEDGER_EXPORT, ledger_export, **page)
    handlers.register(LIST_EXPORT, list_export, result_template="ledgers/_list_export_result.html",
                      label="列表导出")
