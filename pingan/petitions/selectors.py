"""Reads of the petition register, always from `Petition.objects.visible_to(user)`; the deadline panel."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from pingan.accounts.models import Department
from pingan.cases.models import Extension

from . import choices as c
from .models import AssignedList, Petition, Petitioner

S = c.PetitionState


def petition_list(user: Any):
    return (Petition.objects.visible_to(user).with_overdue()
            .select_related("jurisdiction", "jurisdiction__parent", "assigned_department", "assigned_township", "topic")
            .order_by("-registered_on", "-id"))


def petition_detail_qs():
    return Petition.objects.select_related("jurisdiction", "jurisdiction__parent", "assigned_department",
                                           "assigned_township", "topic", "assigned_list", "reported_by",
                                           "accepted_by", "repeat_of", "lead_leader_user")


def petitioners(user: Any, petition: Petition):
    return Petitioner.objects.visible_to(user).filter(petition=petition).select_related("person")


def department_choices(user: Any):
    return Department.objects.visible_to(user).filter(is_active=True).order_by("jurisdiction__path", "name")


def assigned_list_choices(user: Any):
    return AssignedList.objects.visible_to(user).order_by("-received_on", "-id")


@dataclass
class DeadlineRow:
    label: str        # 转送/交办/受理期限
    basis: str        # 《信访工作条例》第二十二条
    due: dt.date | None
    done: dt.date | None = None
    note: str = ""

    def overdue_on(self, today: dt.date) -> bool:
        """Passed: not done by its date (done late also shows)."""
        if self.due is None:
            return False
        return (self.done or today) > self.due

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if self.due is None:
            return self.note or "—"
        if self.done:
            return f"已于 {self.done:%Y-%m-%d} 完成" + ("（已超期）" if self.done > self.due else "")
        return "已超期" if today > self.due else (self.note or "未到期")

    @property
    def is_overdue(self) -> bool:
        return self.overdue_on(timezone.localdate())


def _first(*dates):
    return next((d for d in dates if d), None)


def deadline_panel(petition: Petition) -> list[DeadlineRow]:
    """The 条例's dates of one petition, each with its article, due date, completion and 已超期 when passed."""
    rows = [DeadlineRow("登记日期", "第二十一条", None, note=f"{petition.registered_on:%Y-%m-%d}")]
    decided = _first(petition.accepted_on, petition.assigned_on, petition.forwarded_on, petition.rejected_on)
    rows.append(DeadlineRow("转送、交办或受理", "第二十二条（15日内）", petition.forward_due_on, decided))
    if petition.state not in (S.FORWARDED,):
        rows.append(DeadlineRow("受理告知", "第二十三条（15日内书面告知）", petition.acknowledge_due_on,
                                petition.acknowledged_on))
    if petition.handling_due_on or petition.accepted_on:
        extended = petition.pk and Extension.objects.for_case(petition).filter(
            status=Extension.Status.APPROVED).exists()
        rows.append(DeadlineRow("办结期限" + ("（已延期一次）" if extended else ""),
                                "第三十四条（受理之日起60日，可延长一次不超过30日）", petition.handling_due_on,
                                petition.closed_on))
    if petition.reply_on:
        rows.append(DeadlineRow("书面答复", "第三十二条", None, note=f"{petition.reply_on:%Y-%m-%d}"))
        window = petition.reply_on + dt.timedelta(days=c.REVIEW_REQUEST_DAYS)
        row = DeadlineRow("复查申请", "第三十五条（收到答复之日起30日内）", window, petition.review_requested_on,
                          note=f"可于 {window:%Y-%m-%d} 前申请复查")
        if not petition.review_requested_on and timezone.localdate() > window:
            row.note = "复查申请期限已过"
            row.due = None
        rows.append(row)
    if petition.review_requested_on:
        rows.append(DeadlineRow("复查答复", "第三十五条（30日内）", petition.review_due_on, petition.review_reply_on))
    if petition.review_reply_on:
        window = petition.review_reply_on + dt.timedelta(days=c.RECHECK_REQUEST_DAYS)
        row = DeadlineRow("复核申请", "第三十六条（收到复查意见之日起30日内）", window, petition.recheck_requested_on,
                          note=f"可于 {window:%Y-%m-%d} 前申请复核")
        if not petition.recheck_requested_on and timezone.localdate() > window:
            row.note = "复核申请期限已过"
            row.due = None
        rows.append(row)
    if petition.recheck_requested_on:
        rows.append(DeadlineRow("复核答复", "第三十六条（30日内）", petition.recheck_due_on, petition.recheck_reply_on))
    if petition.state == S.RECHECKED:
        rows.append(DeadlineRow("复核意见为最终意见", "第三十六条", None, note="同一事实和理由不再受理"))
    return rows
