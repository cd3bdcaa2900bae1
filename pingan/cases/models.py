"""The case layer's models: the abstract case every kind extends, and the rows one table serves for every kind.

One transition log, one supervision table, one extension table and one attachment table serve every case
kind (events, disputes, petitions, hazards): a row names its case by (case_type, case_id), where case_type
is the model's label ("hazards.hazard"). Each row also copies the case's jurisdiction and department so
it is scoped by `visible_to(user)` on its own (queues, attachment downloads).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.core.scoping import ScopedQuerySet

from .definitions import get_kind, kinds


def _moment(at: dt.datetime | dt.date | None) -> dt.datetime:
    """`at` as a moment: now by default; a date means the end of that day (the next midnight, local)."""
    if at is None:
        return timezone.now()
    if isinstance(at, dt.datetime):
        return at
    return timezone.make_aware(dt.datetime.combine(at + dt.timedelta(days=1), dt.time.min))


class WorkflowQuerySet(ScopedQuerySet):
    """Queries every case kind shares. A model using it declares `workflow_kind = "<app>.<model>"`.

    `overdue_q(at)` is THE definition of overdue for every case kind, list, queue, indicator, ledger and
    API: an open state and a due moment before `at` (now by default; a date means the end of that day)."""

    def _kind(self):
        return get_kind(self.model._meta.label_lower)

    def open(self):
        return self.filter(state__in=self._kind().open_states)

    def closed(self):
        return self.filter(state__in=self._kind().closed_states)

    def overdue_q(self, at: dt.datetime | dt.date | None = None) -> Q:
        return Q(state__in=self._kind().open_states, due_at__lt=_moment(at))

    def overdue(self, at: dt.datetime | dt.date | None = None):
        """Open cases whose due moment passed before `at`: no cron, no flag column."""
        return self.filter(self.overdue_q(at))

    def not_overdue(self, at: dt.datetime | dt.date | None = None):
        return self.exclude(self.overdue_q(at))

    def with_overdue(self, at: dt.datetime | dt.date | None = None):
        """Annotate `is_overdue` (for lists and the API) in SQL."""
        return self.annotate(is_overdue=Case(When(self.overdue_q(at), then=Value(True)), default=Value(False),
                                             output_field=BooleanField()))

    def is_overdue(self, case: models.Model, at: dt.datetime | dt.date | None = None) -> bool:
        """overdue_q() of one case in memory, without a query."""
        return case.state in self._kind().open_states and case.due_at is not None and case.due_at < _moment(at)

    def mine(self, user: Any):
        """The cases this user's duty handles, within what they may see: a department handler's are those
        assigned to their department (the model's `scope_department_lookup`); a township officer's those in
        their township; everyone else's (the centre, the district) what `visible_to` gives them."""
        qs = self.visible_to(user)
        role = getattr(user, "role", None)
        if role == Role.DEPT_HANDLER:
            lookup = getattr(self.model, "scope_department_lookup", None)
            if not lookup or not getattr(user, "department_id", None):
                return qs.none()
            return qs.filter(**{lookup: user.department_id})
        if role == Role.TOWNSHIP_OFFICER:
            path = getattr(user, "scope_path", "")
            if not path:
                return qs.none()
            return qs.filter(**{f"{getattr(self.model, 'scope_path_lookup', 'jurisdiction__path')}__startswith": path})
        return qs


class WorkflowCase(models.Model):
    """Fields the engine keeps on every case: the state, when it was entered, the one due moment (overdue
    is computed from it and nothing else), how often it was sent back (返工), when it closed. Concrete
    models add `number` and their own fields. Nothing outside pingan/cases writes these fields."""

    state = models.CharField("状态", max_length=30, db_index=True)
    state_changed_at = models.DateTimeField("进入当前状态时间", default=timezone.now)
    due_at = models.DateTimeField("办理期限", null=True, blank=True, db_index=True)
    sent_back_count = models.PositiveSmallIntegerField("退回次数", default=0)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        abstract = True


class CaseCounter(models.Model):
    """The last sequence number handed out per (prefix, township, day); the row is locked while a case
    is created so two registrations never share a number."""

    prefix = models.CharField("前缀", max_length=8)
    township_code = models.CharField("乡镇代码", max_length=15)
    day = models.DateField("日期")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "案件编号计数"
        verbose_name_plural = "案件编号计数"
        constraints = [models.UniqueConstraint(fields=["prefix", "township_code", "day"], name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.township_code}{self.day:%Y%m%d}:{self.last}"


class CaseRowQuerySet(ScopedQuerySet):
    def for_case(self, case: models.Model) -> "CaseRowQuerySet":
        return self.filter(case_type=case._meta.label_lower, case_id=case.pk)


class _RowsOfOtherDataKinds:
    """`scope_sensitive_rows` of the rows about cases: the rows about the cases of a kind whose model declares
    another data kind than "case" (campaign clues are "clue") are of that kind, so a user without it does not
    see a clue's log, photos, 督办 or 延期 through these tables either. Read from the registered kinds on each
    query (a handful), so a kind that declares its own data kind needs nothing here."""

    def __get__(self, instance: Any, owner: type) -> dict[str, Q]:
        from django.apps import apps

        labels: dict[str, list[str]] = {}
        for kind in kinds():
            try:
                model = apps.get_model(kind.label)
            except (LookupError, ValueError):
                continue
            data_kind = getattr(model, "scope_data_kind", "case")
            if data_kind != "case":
                labels.setdefault(data_kind, []).append(kind.label)
        return {data_kind: Q(case_type__in=sorted(found)) for data_kind, found in labels.items()}


class CaseRow(models.Model):
    """Abstract: a row about one case of any kind, scoped like the case itself (its place and department, and
    its data kind: the rows about a clue are "clue" rows, `_RowsOfOtherDataKinds`)."""

    case_type = models.CharField("案件类型", max_length=60)
    case_id = models.BigIntegerField("案件编号")
    jurisdiction = models.ForeignKey("geo.Node", on_delete=models.PROTECT, related_name="+", verbose_name="所属辖区")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="责任部门")

    objects = CaseRowQuerySet.as_manager()
    scope_path_lookup = "jurisdiction__path"
    scope_department_lookup = "department"
    scope_data_kind = "case"
    scope_sensitive_rows = _RowsOfOtherDataKinds()

    class Meta:
        abstract = True


class TransitionLog(CaseRow):
    """One step of a case: who moved it from which state to which, with a note and attachments.

    Registration is logged too (from_state empty), and so are 督办, 延期 requests and decisions (the same
    state on both sides), so the log reads as the case's whole story."""

    class Kind(models.TextChoices):
        CREATE = "create", "登记"
        TRANSITION = "transition", "流转"
        SEND_BACK = "send_back", "退回"
        SUPERVISE = "supervise", "督办"
        SUPERVISION_REPLY = "supervision_reply", "督办反馈"
        EXTENSION_REQUEST = "extension_request", "申请延期"
        EXTENSION_DECISION = "extension_decision", "延期审批"
        IMPORT = "import", "台账导入"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.TRANSITION)
    action = models.CharField("动作", max_length=40, blank=True)
    action_label = models.CharField("动作名称", max_length=40, blank=True)
    from_state = models.CharField("原状态", max_length=30, blank=True)
    to_state = models.CharField("新状态", max_length=30, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name="操作人")
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("填写内容", default=dict, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        indexes = [models.Index(fields=["case_type", "case_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action_label or self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


def attachment_path(instance: "WorkflowAttachment", filename: str) -> str:
    return f"workflow/{instance.case_type.replace('.', '/')}/{instance.case_id}/{filename}"


class WorkflowAttachment(CaseRow):
    """A file (a photo) attached to one log row of a case; served only through scope."""

    log = models.ForeignKey(TransitionLog, on_delete=models.CASCADE, related_name="attachments",
                            verbose_name="流转记录")
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=60)
    size = models.PositiveIntegerField("大小（字节）")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "附件"
        verbose_name_plural = "附件"
        indexes = [models.Index(fields=["case_type", "case_id"])]

    def __str__(self) -> str:
        return self.name


class Supervision(CaseRow):
    """督办: a note from a higher level to the unit handling a case, with its own deadline, open until the
    unit replies."""

    class Status(models.TextChoices):
        OPEN = "open", "督办中"
        ANSWERED = "answered", "已反馈"

    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name="督办人")
    by_name = models.CharField("督办人姓名", max_length=150, blank=True)
    note = models.TextField("督办意见")
    due_on = models.DateField("反馈期限")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    reply = models.TextField("反馈内容", blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="反馈人")
    replied_at = models.DateTimeField("反馈时间", null=True, blank=True)
    created_at = models.DateTimeField("督办时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "督办"
        verbose_name_plural = "督办"
        indexes = [models.Index(fields=["case_type", "case_id"]), models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"督办（{self.get_status_display()}，{self.due_on:%Y-%m-%d}前反馈）"


class Extension(CaseRow):
    """延期: a request to move a case's deadline, approved or refused by the level above."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "未批准"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name="申请人")
    requested_by_name = models.CharField("申请人姓名", max_length=150, blank=True)
    requested_by_path = models.CharField("申请人辖区路径", max_length=255, blank=True)
    reason = models.TextField("延期理由")
    old_deadline = models.DateField("原期限", null=True, blank=True)
    new_deadline = models.DateField("申请延至")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name="审批人")
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        indexes = [models.Index(fields=["case_type", "case_id"])]

    def __str__(self) -> str:
        return f"延期申请（{self.get_status_display()}，延至{self.new_deadline:%Y-%m-%d}）"


class WorkflowRule(models.Model):
    """A district-configured rule on one transition of one case kind: e.g. a photo is required to mark a
    hazard rectified. Without a row the kind's own declaration applies (photos optional: 减负)."""

    case_type = models.CharField("案件类型", max_length=60)
    action = models.CharField("动作", max_length=40)
    photo_required = models.BooleanField("必须上传照片", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "流程规则"
        verbose_name_plural = "流程规则"
        constraints = [models.UniqueConstraint(fields=["case_type", "action"], name="workflow_rule_unique")]

    def __str__(self) -> str:
        return f"{self.case_type}:{self.action}"

    @property
    def audit_scope_path(self) -> str:
        return ""
