"""The report as a background job (pingan.jobs; registered from ReportsConfig.ready). The worker computes it
with the owner's rights: the place is found again through `visible_to(owner)` (the owner may have lost it
since), the file is written into the job's folder and only the owner downloads it (`jobs:download`, audited
job.download)."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from pingan.jobs import handlers
from pingan.jobs.handlers import Outcome
from pingan.jobs.models import Job
from pingan.jobs.services import job_dir, relative_path

from . import periods, services

NOT_FOUND = "辖区不存在，或不在您的管辖范围内。"


def report_job(job: Job, progress: Any) -> Outcome:
    from pingan.geo.params import BadRequest
    from pingan.geo.models import Node

    owner = job.owner
    params = job.parameters
    node = Node.objects.visible_to(owner).filter(pk=params.get("node")).first() \
        if isinstance(params.get("node"), int) else None
    if node is None or not services.may_generate(owner):
        raise PermissionDenied(NOT_FOUND)
    try:
        period = periods.parse(params.get("kind"), params.get("period"))
        fmt = services.check_format(params.get("format"))
    except BadRequest as exc:
        raise PermissionDenied(exc.message) from None
    progress.stage = "计算指标、生成图表"
    content, name = services.report_generate(actor=owner, period=period, node=node, fmt=fmt, progress=progress,
                                             job_id=job.pk)
    target = job_dir(job) / f"report.{fmt}"
    target.write_bytes(content)
    return Outcome(Job.Status.SUCCEEDED, f"已生成{name}。",
                   {"kind": period.kind, "period": period.text, "jurisdiction": node.name, "format": fmt,
                    "bytes": len(content)},
                   {"result_file": relative_path(target), "result_name": name})


def register_handlers() -> None:
    handlers.register(services.JOB_KIND, report_job, result_template="reports/_job_result.html",
                      home=("平安建设报告", "reports:index"), label="平安建设报告")
