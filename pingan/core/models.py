"""Core models: the audit trail and the abstract base of scoped records."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from . import personal
from .personal import CipherTextField, LookupHashField
from .scoping import ScopedQuerySet


class ScopedModel(models.Model):
    """A record that belongs to one jurisdiction node (the lowest it belongs to) and is seen through scope."""

    jurisdiction = models.ForeignKey(
        "geo.Node", on_delete=models.PROTECT, related_name="+", verbose_name="所属辖区"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_path_lookup = "jurisdiction__path"
    scope_data_kind = "case"

    class Meta:
        abstract = True


class NumbersOnFile(models.Model):
    """The ID number and phone of someone a record names (a dispute's party, a petitioner, a hall visitor):
    encrypted, with a keyed hash for exact lookup and the one mask for display, the way the people register
    keeps them (pingan.core.personal). Services fill them with `put_id_number`, `put_phone` or `copy_numbers`."""

    id_cipher = CipherTextField("公民身份号码（密文）", blank=True)
    id_hash = LookupHashField("公民身份号码查询散列", max_length=64, blank=True, db_index=True)
    id_masked = models.CharField("公民身份号码", max_length=40, blank=True)
    phone_cipher = CipherTextField("联系电话（密文）", blank=True)
    phone_hash = LookupHashField("联系电话查询散列", max_length=64, blank=True, db_index=True)
    phone_masked = models.CharField("联系电话", max_length=20, blank=True)

    class Meta:
        abstract = True

    def put_id_number(self, parsed: personal.IdNumber) -> None:
        """Keep a checked 公民身份号码 (from `personal.parse_id_number`)."""
        self.id_cipher = personal.encrypt(parsed.value)
        self.id_hash = personal.lookup_hash(parsed.value)
        self.id_masked = parsed.masked

    def put_phone(self, phone: str) -> None:
        """Keep a checked phone (from `personal.parse_phone`)."""
        self.phone_cipher = personal.encrypt(phone)
        self.phone_hash = personal.lookup_hash(phone, namespace="phone")
        self.phone_masked = personal.mask_phone(phone)

    def copy_numbers(self, source: models.Model, *, id_number: bool = True, phone: bool = True) -> None:
        """Take the numbers another record keeps (a Person of the register, an earlier party) as they are."""
        if id_number:
            self.id_cipher, self.id_hash, self.id_masked = source.id_cipher, source.id_hash or "", source.id_masked
        if phone:
            self.phone_cipher, self.phone_hash = source.phone_cipher, source.phone_hash or ""
            self.phone_masked = source.phone_masked


class AuditQuerySet(ScopedQuerySet):
    """Append-only at the queryset level too: bulk update and delete are refused."""

    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除。")


class AuditEntry(models.Model):
    """One audited event: a write, a reveal of personal data, a login, a denial or an export.

    Append-only: the application never updates or deletes an entry (save() refuses updates, delete()
    refuses), and on PostgreSQL a trigger refuses UPDATE and DELETE at the database too.
    """

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        # PROTECT: accounts are deactivated, never deleted, so the trail keeps who acted.
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    address = models.CharField("来源地址", max_length=45, blank=True)
    request_id = models.CharField("请求编号", max_length=64)
    channel = models.CharField("渠道", max_length=40, blank=True)
    action = models.CharField("操作", max_length=60)
    object_type = models.CharField("对象类型", max_length=80, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    scope_path = models.CharField("辖区路径", max_length=255, blank=True)
    changes = models.JSONField("变更内容", default=dict, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.TextField("说明", blank=True)

    objects = AuditQuerySet.as_manager()
    scope_path_lookup = "scope_path"
    scope_data_kind = "audit"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        # Few indexes on purpose: every write in the platform inserts here, and bulk imports insert one row per
        # record. Object history (type, id, time), scope prefix (LIKE 'path%' on PostgreSQL), request id, time.
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx"),
            models.Index(fields=["scope_path"], opclasses=["varchar_pattern_ops"], name="audit_scope_idx"),
            models.Index(fields=["request_id"], name="audit_request_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除。")

# Workflow engine, calendar and case numbers (pingan/core/workflow, pingan/core/calendar.py).
# Shared protective counters (pingan/core/limits.py).
from .limits import LimitCounter  # noqa: E402,F401


class CalendarDay(models.Model):
    """A day that is not what its weekday says: a public holiday on a weekday (is_workday False) or an
    adjusted working weekend, 调休 (is_workday True). Days without a row follow the week (Mon–Fri work)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("名称", max_length=40, help_text="如 春节、国庆节调休上班")
    source = models.CharField("依据", max_length=120, blank=True, help_text="如 国办发明电〔2024〕12号")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日与调休"
        verbose_name_plural = "节假日与调休"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{'上班' if self.is_workday else '放假'}）"

    @property
    def audit_scope_path(self) -> str:
        return ""
