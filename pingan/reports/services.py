"""Making a report: the figures (pingan.reports.data), then the .docx through pingan.documents (the district's
template when it uploaded one) or the .xlsx; audited as report.generate. `report_start` is the request's side:
a background job (pingan.jobs) the worker runs with the owner's rights (pingan.reports.jobs)."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from pingan.core import audit

from . import data, periods

CAPABILITY = "reports.generate"
FORMATS = {"docx": "Word", "xlsx": "Excel"}
JOB_KIND = "report"


def may_generate(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.can(CAPABILITY)
                and user.may_see_data_kind("case"))


def check_format(value: Any) -> str:
    from pingan.geo.params import BadRequest

    fmt = str(value or "").strip().lower()
    if fmt not in FORMATS:
        raise BadRequest(f"报告格式“{str(value or '')[:20]}”无效：请选择 docx（Word）或 xlsx（Excel）。")
    return fmt


def render(report: data.Report, fmt: str, user: Any = None) -> bytes:
    if fmt == "docx":
        from pingan.documents.registry import document_type
        from pingan.documents.render import render_docx

        from .documents import KEY

        return render_docx(document_type(KEY), report, user)
    from .xlsx import workbook_bytes

    return workbook_bytes(report)


def report_generate(*, actor: Any, period: periods.Period, node: Any, fmt: str, progress=None,
                    job_id: int | None = None) -> tuple[bytes, str]:
    """The report file and its name. `actor` None: the system (manage.py report without --user), which sees the
    whole tree; else the actor's scope and data kinds apply to every figure. Audited as report.generate."""
    if actor is not None and not may_generate(actor):
        audit.record(actor=actor, action="report.generate", outcome="failure", scope_path=node.path,
                     detail="无权生成平安建设报告")
        raise PermissionDenied("您的角色不能生成平安建设报告。")
    report = data.build(period, node, actor, progress=progress)
    content = render(report, fmt, actor)
    name = f"{report.filename_stem}.{fmt}"
    audit.record(actor=actor, action="report.generate", object_type="reports.report", object_repr=report.title,
                 scope_path=node.path,
                 changes={"kind": period.kind, "period": period.text, "jurisdiction": node.code, "format": fmt,
                          "job": job_id, "bytes": len(content)},
                 detail=f"生成{report.title}（{FORMATS[fmt]}）")
    return content, name


def report_start(*, actor: Any, period: periods.Period, node: Any, fmt: str):
    """Enqueue the report as a background job of `actor` (who may generate and sees `node`); audited job.create."""
    from pingan.geo.models import Node
    from pingan.jobs.services import job_create

    if not may_generate(actor):
        raise PermissionDenied("您的角色不能生成平安建设报告。")
    if not Node.objects.visible_to(actor).filter(pk=node.pk).exists():
        raise PermissionDenied("辖区不在您的管辖范围内。")
    title = f"{node.name}{period.label}平安建设{period.kind_label}报告（{FORMATS[fmt]}）"
    return job_create(actor=actor, kind=JOB_KIND, title=title, scope_path=node.path,
                      parameters={"kind": period.kind, "period": period.text, "node": node.pk, "format": fmt})
