"""Writes on background jobs: create (and enqueue), approve, reject, run (the worker's side), download.

A request only creates the job and enqueues it (`job_create`); the worker (`manage.py db_worker`, started by
`make run`) calls `job_run`, which hands the job to the handler of its kind (`pingan.jobs.handlers`) with a
progress callback. Progress is written to a small file beside the job's files as well as to the row: an
import writes inside one long transaction that the page's poll cannot see into (and on SQLite holds the
write lock), so the poll reads the file while the job runs.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from pingan.core import audit, context

from .handlers import handler_for
from .models import Job

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------------------------ files
def jobs_root() -> Path:
    root = Path(settings.PINGAN_JOBS_ROOT)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def job_dir(job: Job) -> Path:
    path = jobs_root() / f"{job.pk}-{job.parameters.get('key', '')}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def job_path(job: Job, relative: str) -> Path:
    """The absolute path of one of a job's files; never outside the jobs root."""
    root = jobs_root().resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise PermissionDenied("文件路径无效。")
    return path


def relative_path(path: Path) -> str:
    return str(Path(path).resolve().relative_to(jobs_root().resolve()))


def _progress_file(job: Job) -> Path:
    return job_dir(job) / "progress.json"


# ------------------------------------------------------------------------------------------------ create
def job_create(*, actor: Any, kind: str, title: str, parameters: dict[str, Any], scope_path: str = "",
               upload: Any = None, needs_approval: bool = False) -> Job:
    """Record a job for `actor` and enqueue it (or leave it waiting for approval); audited as job.create.

    `upload` (an UploadedFile) is copied into the job's own folder under PINGAN_JOBS_ROOT, chunk by chunk.
    The request context (request id, address) goes with the job, so the worker's audit entries link back to
    the request that asked for it.
    """
    ctx = context.current()
    parameters = {**parameters, "key": secrets.token_hex(8), "request_id": ctx.request_id, "address": ctx.address}
    with transaction.atomic():
        job = Job.objects.create(
            owner=actor, kind=kind, title=title[:200], parameters=parameters,
            scope_path=scope_path or getattr(actor, "scope_path", "") or "",
            status=Job.Status.AWAITING_APPROVAL if needs_approval else Job.Status.QUEUED,
            message="等待另一名有权查看身份号码的人员审批。" if needs_approval else "已排队，等待后台处理。")
        if upload is not None:
            ext = os.path.splitext(upload.name or "")[1].lower()
            target = job_dir(job) / f"upload{ext}"
            with open(target, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            job.input_file = relative_path(target)
            job.input_name = os.path.basename(upload.name or "")[:255]
            job.save(update_fields=["input_file", "input_name"])
        audit.record(actor=actor, action="job.create", obj=job, scope_path=job.scope_path,
                     changes={"kind": kind, "title": job.title, "status": job.status,
                              "parameters": _public_parameters(parameters)},
                     detail=f"提交后台任务：{job.title}")
        if not needs_approval:
            _enqueue(job)
    job.refresh_from_db()
    return job


def _public_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """What the job.create entry keeps: not the folder key, not the request's, and not a parameter whose name
    begins with "_" (the worker's own copy of something the audit keeps masked, e.g. a list's raw query)."""
    return {k: v for k, v in parameters.items()
            if k not in ("key", "request_id", "address") and not k.startswith("_")}


def _enqueue(job: Job) -> None:
    """Hand the job to the task library inside the caller's transaction: with the database backend the queued
    task row commits together with the job row (a worker never sees one without the other)."""
    from .tasks import run_job

    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def job_approve(*, actor: Any, job: Job) -> Job:
    """A second person who may reveal ID numbers approves a full-value export; it is queued. Audited."""
    _check_approver(actor, job)
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status != Job.Status.AWAITING_APPROVAL:
            raise ValidationError("该任务已审批或已撤回，无需再审批。")
        locked.status = Job.Status.QUEUED
        locked.approver = actor
        locked.decided_at = timezone.now()
        locked.message = f"已由 {actor.full_name or actor.username} 审批，已排队。"
        locked.save(update_fields=["status", "approver", "decided_at", "message"])
        audit.record(actor=actor, action="job.approve", obj=locked, scope_path=locked.scope_path,
                     changes={"owner": locked.owner.username, "title": locked.title,
                              "reason": locked.parameters.get("reason", "")},
                     detail=f"审批同意：{locked.owner.username} 的{locked.title}")
        _enqueue(locked)
    locked.refresh_from_db()
    return locked


def job_reject(*, actor: Any, job: Job, note: str) -> Job:
    """A second person refuses a full-value export; nothing is exported. Audited."""
    _check_approver(actor, job)
    note = " ".join((note or "").split())
    if len(note) < 2:
        raise ValidationError("请写明不同意的理由。")
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status != Job.Status.AWAITING_APPROVAL:
            raise ValidationError("该任务已审批或已撤回，无需再审批。")
        now = timezone.now()
        locked.status = Job.Status.REJECTED
        locked.approver = actor
        locked.decided_at = now
        locked.finished_at = now
        locked.decision_note = note[:500]
        locked.message = f"审批未通过：{note[:200]}"
        locked.save(update_fields=["status", "approver", "decided_at", "finished_at", "decision_note", "message"])
        audit.record(actor=actor, action="job.reject", obj=locked, scope_path=locked.scope_path,
                     changes={"owner": locked.owner.username, "title": locked.title, "note": note},
                     detail=f"审批不同意：{locked.owner.username} 的{locked.title}")
    return locked


def _check_approver(actor: Any, job: Job) -> None:
    if not Job.objects.awaiting_approval_for(actor).filter(pk=job.pk).exists():
        audit.record(actor=actor, action="job.approve", obj=job, outcome="failure", scope_path=job.scope_path,
                     detail="无权审批该导出任务")
        raise PermissionDenied("只有另一名有权查看身份号码、且管辖范围包含该导出范围的人员可以审批。")


# ------------------------------------------------------------------------------------------------ run
class Progress:
    """progress(done, total) for a handler: the sidecar file always, the row when not inside a transaction;
    at most about once a second."""

    def __init__(self, job: Job):
        self.job = job
        self.path = _progress_file(job)
        self.last = 0.0
        self.stage = ""

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 1.0 and done < total:
            return
        self.last = now
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"done": done, "total": total, "stage": self.stage}))
        os.replace(tmp, self.path)
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(progress_done=done, progress_total=total)
        self.job.progress_done, self.job.progress_total = done, total


def job_run(*, job_id: int) -> None:
    """The worker's side: run one queued job with its owner's rights, record the outcome. A job that is not
    queued (already run, waiting for approval, rejected) is left alone, so running it twice does nothing."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), message="正在处理…")
    if not claimed:
        return
    job = Job.objects.select_related("owner", "owner__scope").get(pk=job_id)
    request_context = context.RequestContext(request_id=job.parameters.get("request_id") or f"job-{job.pk}",
                                             address=job.parameters.get("address", ""), channel="job")
    progress = Progress(job)
    with context.bind(request_context):
        try:
            if not job.owner.is_active:
                raise PermissionDenied("发起人的账号已停用，任务未执行。")
            outcome = handler_for(job.kind)(job, progress)
        except (PermissionDenied, ValidationError) as exc:
            message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            _finish(job, Job.Status.FAILED, message or "没有权限执行该任务。", {})
        except Exception:  # the worker must record the failure and go on with the next job
            logger.exception("job %s failed", job.pk)
            _finish(job, Job.Status.FAILED, "任务执行出错，请稍后重试；如仍出错请联系系统管理员。", {})
        else:
            _finish(job, outcome.status, outcome.message, outcome.result, outcome.files)


def _finish(job: Job, status: str, message: str, result: dict[str, Any], files: dict[str, Any] | None = None) -> None:
    files = files or {}
    Job.objects.filter(pk=job.pk).update(
        status=status, message=message[:4000], result=result, finished_at=timezone.now(),
        progress_done=job.progress_done, progress_total=max(job.progress_total, job.progress_done),
        **files)
    _progress_file(job).unlink(missing_ok=True)


def job_progress(job: Job) -> dict[str, Any]:
    """What the page's poll shows: the row, and while it runs the sidecar file's fresher counts."""
    done, total, stage = job.progress_done, job.progress_total, ""
    if job.status == Job.Status.RUNNING:
        try:
            data = json.loads(_progress_file(job).read_text())
            done, total, stage = int(data.get("done", done)), int(data.get("total", total)), data.get("stage", "")
        except (OSError, ValueError):
            pass
    return {"status": job.status, "status_label": job.get_status_display(), "done": done, "total": total,
            "stage": stage, "finished": job.finished, "message": job.message}


# ------------------------------------------------------------------------------------------------ download
FILE_FIELDS = {"result": ("result_file", "result_name"), "errors": ("errors_file", "errors_name")}


def job_file_open(*, actor: Any, job: Job, which: str) -> tuple[Any, str]:
    """Open a job's result or errors file for its owner; audited as job.download (with the ledger, the row
    count and whether personal numbers were full), since a download is the disclosure."""
    if job.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied("只有任务发起人可以下载。")
    if which not in FILE_FIELDS:
        raise ValidationError("没有这种文件。")
    file_field, name_field = FILE_FIELDS[which]
    relative = getattr(job, file_field)
    if not relative:
        raise ValidationError("该任务没有可下载的文件。")
    path = job_path(job, relative)
    if not path.exists():
        raise ValidationError(f"文件已过期清理（保留 {settings.PINGAN_JOBS_KEEP_DAYS} 天），请重新运行。")
    handle = open(path, "rb")
    audit.record(actor=actor, action="job.download", obj=job, scope_path=job.scope_path,
                 changes={"file": which, "name": getattr(job, name_field), "kind": job.kind,
                          "ledger": job.parameters.get("ledger", ""), "rows": job.result.get("rows"),
                          "full": bool(job.parameters.get("full"))},
                 detail=f"下载{job.title}的{'错误行文件' if which == 'errors' else '结果文件'}")
    return handle, getattr(job, name_field) or path.name


def jobs_purge(*, older_than_days: int | None = None, actor: Any = None) -> int:
    """Delete the files of jobs finished more than PINGAN_JOBS_KEEP_DAYS ago (the rows stay, for the record).
    Files are overwritten before they are unlinked (等保 8.1.4.10: storage of personal data cleared before
    reuse). One audit entry (job.purge) with the count."""
    days = older_than_days if older_than_days is not None else settings.PINGAN_JOBS_KEEP_DAYS
    cutoff = timezone.now() - timezone.timedelta(days=days)
    count = 0
    for job in Job.objects.filter(finished_at__lt=cutoff).exclude(input_file="", result_file="", errors_file=""):
        folder = jobs_root() / f"{job.pk}-{job.parameters.get('key', '')}"
        if folder.is_dir():
            for item in folder.iterdir():
                _overwrite(item)
        shutil.rmtree(folder, ignore_errors=True)
        Job.objects.filter(pk=job.pk).update(input_file="", result_file="", errors_file="")
        count += 1
    if count:
        audit.record(actor=actor, action="job.purge", object_type="jobs.job", object_repr="后台任务文件",
                     changes={"jobs": count, "older_than_days": days}, detail=f"清理 {count} 个后台任务的文件")
    return count


def _overwrite(path: Path) -> None:
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            zeros = b"\0" * (1 << 20)
            written = 0
            while written < size:
                handle.write(zeros[: min(len(zeros), size - written)])
                written += len(zeros)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        logger.warning("could not overwrite %s before deleting it", path)
