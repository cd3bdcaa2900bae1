"""Notifications: one row per message in a user's in-app inbox, and the record of deadline reminders sent.

A notification is its recipient's alone, whatever the role or scope: nobody else's place, department or role
makes another person's inbox theirs (the district admin sees only their own; so does the auditor). Scoping
therefore follows the recipient only (`scope_user_lookup`), through `visible_to` like every model.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pingan.core.scoping import ScopedQuerySet


class NotificationQuerySet(ScopedQuerySet):
    def visible_to(self, user: Any) -> "NotificationQuerySet":
        """Only the user's own notifications (an active, signed-in account); anyone else's answer 404.

        `core.scoping.scope_q` reaches rows by place or assignment for a data kind of the role table; an inbox
        is neither, so the one rule here is ownership: `scope_user_lookup` = the recipient."""
        if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return self.none()
        return self.filter(**{self.model.scope_user_lookup: user.pk})

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)

    def inbox_order(self) -> "NotificationQuerySet":
        """Unread first, then the newest (a digest moves up when it grows)."""
        return self.annotate(unread_first=models.Case(models.When(read_at__isnull=True, then=models.Value(1)),
                                                   default=models.Value(0), output_field=models.IntegerField())
                             ).order_by("-unread_first", "-updated_at", "-id")


class Notification(models.Model):
    """One message in one user's inbox. `count` > 1 is a digest: later messages of the same kind and key
    within the digest window were merged into this row ("等 N 件") instead of adding rows."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "派给我/本单位的案件"
        SUPERVISED = "supervised", "督办"
        SUPERVISION_REPLIED = "supervision_replied", "督办反馈"
        DUE_SOON = "due_soon", "即将到期"
        OVERDUE = "overdue", "已超期"
        SENT_BACK = "sent_back", "被退回"
        EXTENSION_REQUESTED = "extension_requested", "延期申请待审批"
        EXTENSION_DECIDED = "extension_decided", "延期审批结果"
        REPORT_PROGRESS = "report_progress", "我上报的事件有进展"
        SYSTEM = "system", "系统通知"

    class SMS(models.TextChoices):
        NONE = "", "不发短信"
        HELD = "held", "免打扰时段暂缓"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        NO_PHONE = "no_phone", "无手机号"
        SKIPPED = "skipped", "已读，不再发送"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name="接收人")
    kind = models.CharField("类别", max_length=24, choices=Kind.choices, default=Kind.SYSTEM)
    title = models.CharField("标题", max_length=120)
    body = models.CharField("内容", max_length=300, blank=True, default="")
    # A relative link inside the site (the case page); anything else is not stored.
    url = models.CharField("链接", max_length=300, blank=True, default="")
    case_type = models.CharField("案件类型", max_length=60, blank=True, default="")
    case_id = models.BigIntegerField("案件编号", null=True, blank=True)
    key = models.CharField("合并键", max_length=120, blank=True, default="",
                           help_text="同一接收人、同类、同键的未读消息在合并时段内合并为一条")
    count = models.PositiveIntegerField("合并件数", default=1)
    created_at = models.DateTimeField("时间", default=timezone.now)
    updated_at = models.DateTimeField("最近更新", default=timezone.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    sms = models.CharField("短信", max_length=10, choices=SMS.choices, blank=True, default=SMS.NONE)
    sms_at = models.DateTimeField("短信时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()
    scope_user_lookup = "recipient"
    scope_data_kind = "own"  # not a kind of the role table: scope_q gives nothing; visible_to above decides

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-updated_at", "-id"]
        indexes = [
            # The inbox page (newest first) and the API list.
            models.Index(fields=["recipient", "-updated_at"], name="notif_inbox_idx"),
            # The bell's unread count and the digest lookup read only unread rows.
            models.Index(fields=["recipient", "kind", "key"], condition=Q(read_at__isnull=True),
                         name="notif_unread_idx"),
            # SMS held in quiet hours, released by the periodic job.
            models.Index(fields=["created_at"], condition=Q(sms="held"), name="notif_sms_held_idx"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return f"{self.title} 等 {self.count} 件" if self.count > 1 else self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def owner_id(self) -> int:
        """The owner in the terms of the role × route net's "own" kind (pingan/core/tests/test_role_net.py)."""
        return self.recipient_id

    @property
    def audit_scope_path(self) -> str:
        return getattr(self.recipient, "scope_path", "") if self.recipient_id else ""


class Reminder(models.Model):
    """A deadline reminder already sent: one per case, kind (即将到期 / 已超期) and due moment, so the periodic
    job never repeats one; a new due moment (an approved extension, the next step) may be reminded again."""

    case_type = models.CharField("案件类型", max_length=60)
    case_id = models.BigIntegerField("案件编号")
    kind = models.CharField("类别", max_length=24, choices=Notification.Kind.choices)
    due_at = models.DateTimeField("期限")
    sent_at = models.DateTimeField("提醒时间", default=timezone.now)

    class Meta:
        verbose_name = "期限提醒记录"
        verbose_name_plural = "期限提醒记录"
        constraints = [models.UniqueConstraint(fields=["case_type", "case_id", "kind", "due_at"],
                                               name="notifications_reminder_once")]

    def __str__(self) -> str:
        return f"{self.case_type}#{self.case_id} {self.get_kind_display()} {self.due_at:%Y-%m-%d %H:%M}"
