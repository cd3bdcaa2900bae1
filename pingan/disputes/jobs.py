"""The subsidy sheet's .xlsx as a background job (pingan.jobs; registered from DisputesConfig.ready).

`export_start` is the request's side: it records the job (job.create) for a sheet the user may read and
enqueues it. `subsidy_export` is the worker's side, run with the owner's rights: it finds the sheet again
through `visible_to(owner)` (the owner may have lost the place or the role since), writes the workbook into
the job's folder (`subsidy.sheet_xlsx`, audited subsidysheet.export) and leaves it for the owner to download
from the job's page (`jobs:download`, audited job.download).
"""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from pingan.jobs import handlers
from pingan.jobs.handlers import Outcome
from pingan.jobs.models import Job
from pingan.jobs.services import job_create, job_dir, relative_path

from . import subsidy
from .models import SubsidySheet

# The job kind (a Job.Kind value once the jobs app lists it; the registry is keyed by the string).
SUBSIDY_EXPORT = "subsidy_export"
NOT_FOUND = "发放表不存在，或不在您的管辖范围内。"


def export_title(sheet: SubsidySheet) -> str:
    return f"误工补贴发放表导出（{sheet.jurisdiction.name}{sheet.month:%Y年%m月}）"


def export_start(*, actor: Any, sheet: SubsidySheet) -> Job:
    """Enqueue the .xlsx of a sheet `actor` reads (the caller has fetched it through visible_to); audited as
    job.create. The sheet is checked again when the job runs."""
    if not subsidy.may_read_sheets(actor) or not SubsidySheet.objects.visible_to(actor).filter(pk=sheet.pk).exists():
        raise PermissionDenied(NOT_FOUND)
    return job_create(actor=actor, kind=SUBSIDY_EXPORT, title=export_title(sheet),
                      parameters={"sheet": sheet.pk}, scope_path=sheet.jurisdiction.path)


def subsidy_export(job: Job, progress: Any) -> Outcome:
    owner = job.owner
    sheet_id = job.parameters.get("sheet")
    sheet = None
    if subsidy.may_read_sheets(owner) and isinstance(sheet_id, int):
        sheet = (SubsidySheet.objects.visible_to(owner).select_related("jurisdiction")
                 .filter(pk=sheet_id).first())
    if sheet is None:
        raise PermissionDenied(NOT_FOUND)
    progress.stage = "生成发放表"
    target = job_dir(job) / "subsidy.xlsx"
    count = subsidy.sheet_xlsx(actor=owner, sheet=sheet, target=str(target), progress=progress, job_id=job.pk)
    sheet.refresh_from_db(fields=["total", "status"])
    return Outcome(Job.Status.SUCCEEDED, f"已生成误工补贴发放表：{count} 件，合计 {sheet.total} 元。",
                   {"rows": count, "total": str(sheet.total), "sheet": sheet.pk, "status": sheet.status},
                   {"result_file": relative_path(target),
                    "result_name": f"误工补贴发放表-{sheet.jurisdiction.name}-{sheet.month:%Y%m}.xlsx"})


def register_handlers() -> None:
    handlers.register(SUBSIDY_EXPORT, subsidy_export, result_template="disputes/_subsidy_job_result.html",
                      home=("误工补贴发放表", "disputes:subsidy_list"), label="误工补贴发放表导出")
