"""The grid-events ledger (网格事件台账): an EXPORT of the events the user may see, in the shape a district
office keeps (docs/ledgers.md, “events”). Codes are shown as labels; a citizen reporter's name and phone are
shown only to those who may see them on the event page (受理立案 roles), and the phone masked even then.

Export only: an event's state, deadlines and handling unit come from its workflow (上报, 立案, 派遣, 处置,
核查), not from a spreadsheet, so the ledger cannot be imported — the import command and the web upload
answer that in Chinese and write nothing.
"""
from __future__ import annotations

from typing import Any

from django.utils import timezone

from pingan.cases.deadlines import describe
from pingan.ledgers import (
    BooleanColumn, ChoiceColumn, DateColumn, LedgerSpec, PlaceColumn, TextColumn, register,
)

from .choices import Channel, EventState, Satisfaction, Source, Urgency
from .deadlines import handling_time
from .models import Event

S = EventState
EXPORT_ONLY_MESSAGE = ("网格事件台账只能导出，不能导入：事件的状态、期限和承办单位由上报、立案、派遣、处置、核查的流程产生，"
                       "请在“网格事件”中登记和办理。")


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def _moment(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


def _source(event: Event) -> str:
    label = Source(event.source).label if event.source in Source.values else event.source
    if event.channel in Channel.values:
        return f"{label}（{Channel(event.channel).label}）"
    return label


def _unit(event: Event) -> str:
    if event.assigned_department_id:
        return event.assigned_department.name
    if event.assigned_township_id:
        return f"{event.assigned_township.name}综治办"
    return ""


def _overdue(event: Event) -> bool:
    """Open and overdue (the case layer's one definition, annotated by the export's query), or closed with the
    last feedback after the handling due moment then in force."""
    if event.is_overdue:
        return True
    if event.state == S.CLOSED and event.handled_at and event.handled_due_at:
        return event.handled_at > event.handled_due_at
    return False


def _handling_due(event: Event):
    """办理期限: the handling due moment — the one in force at the feedback once fed back, else the current one
    while with the unit."""
    if event.handled_due_at is not None:
        return event.handled_due_at
    return event.due_at if event.state in (S.DISPATCHED, S.HANDLING) else None


# 处置时限 of one export, by what decides it (a few grids × categories, not one rule lookup per row).
_handling_times: dict[tuple, str] = {}


def _handling_time(event: Event) -> str:
    """处置时限 (e.g. “4 工作小时”): the rule's or the category's (deadlines.handling_time), once dispatched."""
    if not event.dispatched_at:
        return ""
    key = (event.category_id, event.jurisdiction_id, event.assigned_department_id, event.assigned_township_id,
           event.urgency)
    if key not in _handling_times:
        _handling_times[key] = describe(*handling_time(event))
    return _handling_times[key]


def str_category(event: Event) -> str:
    return str(event.category)


def _closed_on(event: Event):
    return _local_date(event.closed_at) if event.state in (S.CLOSED, S.REJECTED, S.DUPLICATE) else None


class _ReporterColumn(TextColumn):
    """报告人: the staff member who reported it; a citizen's name only for those who may see it."""

    def display(self, value: Any, ctx) -> Any:
        event = value
        if event.source in (Source.GRID, Source.CENTRE):
            user = event.reporter
            return (user.full_name or user.username) if user else None
        if not event.reporter_name:
            return "群众（匿名）"
        if _may_see_reporter(ctx):
            return event.reporter_name
        return "群众（信息不公开）"


class _PhoneColumn(TextColumn):
    def display(self, value: Any, ctx) -> Any:
        event = value
        # The masked companion: the ledger never decrypts the citizen's phone.
        if event.source in (Source.GRID, Source.CENTRE) or not event.reporter_phone_masked or not _may_see_reporter(ctx):
            return None
        return event.reporter_phone_masked


def _may_see_reporter(ctx) -> bool:
    user = ctx.user
    return user is None or bool(getattr(user, "can", None) and user.can("events.register"))


@register
class EventLedger(LedgerSpec):
    kind = "events"
    label = "网格事件"
    model = Event
    audit_action = "event.import"
    description = "网格事件台账（只导出）：一行一件事件，含办理期限、是否超期、是否返工和满意度。"
    export_ordering = ("reported_at", "id")
    export_select_related = ("category", "category__parent", "assigned_department", "assigned_township",
                             "reporter")

    columns = [
        TextColumn("编号", "number", key=True, max_length=32, width=26),
        DateColumn("上报日期", "reported_at", getter=lambda e: _local_date(e.reported_at)),
        PlaceColumn("所属网格/村(社区)", "jurisdiction_id", levels=("grid", "village", "community"), width=30),
        TextColumn("事件类别", "category_id", getter=str_category, width=22),
        ChoiceColumn("紧急程度", "urgency", choices=Urgency, width=8),
        TextColumn("事件描述", "description", width=40),
        TextColumn("来源渠道", "source", getter=_source, width=18),
        _ReporterColumn("报告人", None, getter=lambda e: e, width=10),
        _PhoneColumn("报告人电话", None, getter=lambda e: e, width=14),
        TextColumn("承办单位", "assigned_department_id", getter=_unit, width=18),
        TextColumn("处置时限", None, getter=_handling_time, width=10),
        TextColumn("办理期限", None, getter=lambda e: _moment(_handling_due(e)), width=17),
        ChoiceColumn("状态", "state", choices=EventState, width=12),
        DateColumn("办结日期", "closed_at", getter=_closed_on),
        BooleanColumn("是否超期", None, getter=_overdue, width=8),
        BooleanColumn("是否返工", None, getter=lambda e: e.sent_back_count > 0, width=8),
        ChoiceColumn("满意度", "satisfaction", choices=Satisfaction, width=8),
        TextColumn("评价意见", "evaluation_note", width=20),
    ]

    export_only = EXPORT_ONLY_MESSAGE

    def export_queryset(self, user: Any, node: Any):
        _handling_times.clear()
        # is_overdue from the case layer's one overdue definition, in SQL.
        return super().export_queryset(user, node).with_overdue()
