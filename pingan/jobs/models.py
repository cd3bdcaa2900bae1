"""The background job record: what a user asked the worker to do, how far it got, and what came out."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q


# Who may ask for (and approve) a full-value export: the capability of revealing ID numbers.
REVEAL_CAPABILITY = "people.reveal_id"


class JobQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "JobQuerySet":
        """A job is its owner's alone: its files hold exactly what the owner may see, and nobody else's scope
        or role makes that theirs (district admins see only their own; the auditor sees the exports of the
        audit log it asked for, and nobody else's). Anyone else gets 404."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(owner=user)

    def awaiting_approval_for(self, user: Any) -> "JobQuerySet":
        """Full-value exports waiting for a second person: someone else who may reveal ID numbers, whose scope
        covers the place of the export."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.can(REVEAL_CAPABILITY):
            return self.none()
        if not user.scope_path:
            return self.none()
        return (self.filter(status=Job.Status.AWAITING_APPROVAL)
                .filter(Q(scope_path__startswith=user.scope_path))
                .exclude(owner=user))


class Job(models.Model):
    """One background job (a ledger check, import or export) and its outcome.

    Files (the uploaded ledger, the result, the errors workbook) are stored under settings.PINGAN_JOBS_ROOT,
    outside the public media URL, by their path relative to it; only `jobs:download` serves them, to the
    owner, audited.
    """

    class Kind(models.TextChoices):
        LEDGER_CHECK = "ledger_check", "台账导入检查"
        LEDGER_IMPORT = "ledger_import", "台账导入"
        LEDGER_EXPORT = "ledger_export", "台账导出"

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "待审批"
        QUEUED = "queued", "排队中"
        RUNNING = "running", "进行中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "未完成"
        REJECTED = "rejected", "审批未通过"

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.REJECTED)

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs",
                              verbose_name="发起人")
    kind = models.CharField("类型", max_length=32, choices=Kind.choices)
    title = models.CharField("名称", max_length=200)
    parameters = models.JSONField("参数", default=dict, blank=True)
    # The place the job concerns (an export's node, else the owner's scope): approvers are found by it.
    scope_path = models.CharField("范围", max_length=255, blank=True, default="")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveBigIntegerField("已处理", default=0)
    progress_total = models.PositiveBigIntegerField("总数", default=0)
    message = models.TextField("说明", blank=True, default="")
    result = models.JSONField("结果", default=dict, blank=True)
    input_file = models.CharField("上传文件", max_length=255, blank=True, default="")
    input_name = models.CharField("上传文件名", max_length=255, blank=True, default="")
    result_file = models.CharField("结果文件", max_length=255, blank=True, default="")
    result_name = models.CharField("结果文件名", max_length=255, blank=True, default="")
    errors_file = models.CharField("错误行文件", max_length=255, blank=True, default="")
    errors_name = models.CharField("错误行文件名", max_length=255, blank=True, default="")
    task_id = models.CharField("任务编号", max_length=64, blank=True, default="")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="approved_jobs", verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True, default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["owner", "-created_at"], name="jobs_owner_created"),
                   models.Index(fields=["status", "scope_path"], name="jobs_status_scope")]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_status_display()}）"

    @property
    def kind_label(self) -> str:
        """The kind's Chinese name: the one its handler registered, else Job.Kind's."""
        from .handlers import page_for

        return page_for(self.kind).label or self.get_kind_display()

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, int(self.progress_done * 100 / self.progress_total))
