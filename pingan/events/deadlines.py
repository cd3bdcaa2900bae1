"""Event deadlines in working hours or working days, on the core working-day calendar.

Working hours run from PINGAN_WORKDAY_START to PINGAN_WORKDAY_END (default 08:30–17:30) on the calendar's
working days. A deadline of N working days ends at the close of the N-th working day after dispatch; one of
N working hours ends N hours of office time after dispatch (a report at 16:30 with 4 hours is due at 11:30
the next working day)."""
from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.utils import timezone

from pingan.core.calendar import add_working_days, is_workday

from .choices import DeadlineUnit, EventState


def _hours() -> tuple[dt.time, dt.time]:
    start, end = getattr(settings, "PINGAN_WORKDAY_HOURS", ("08:30", "17:30"))
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def day_length() -> dt.timedelta:
    start, end = _hours()
    return dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)


def end_of_working_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, _hours()[1]))


def add_working_hours(start: dt.datetime, hours: int) -> dt.datetime:
    begin, end = _hours()
    moment = timezone.localtime(start)
    remaining = dt.timedelta(hours=hours)
    day = moment.date()
    # Move to the next office moment.
    if not is_workday(day) or moment.time() >= end:
        day = add_working_days(day, 1)
        moment = timezone.make_aware(dt.datetime.combine(day, begin))
    elif moment.time() < begin:
        moment = timezone.make_aware(dt.datetime.combine(day, begin))
    while True:
        close = timezone.make_aware(dt.datetime.combine(moment.date(), end))
        left_today = close - moment
        if remaining <= left_today:
            return moment + remaining
        remaining -= left_today
        day = add_working_days(moment.date(), 1)
        moment = timezone.make_aware(dt.datetime.combine(day, begin))


def due(start: dt.datetime, amount: int, unit: str) -> dt.datetime:
    if unit == DeadlineUnit.WORKING_HOURS:
        return add_working_hours(start, amount)
    return end_of_working_day(add_working_days(timezone.localtime(start).date(), amount))


def describe(amount: int, unit: str) -> str:
    return f"{amount} {DeadlineUnit(unit).label}"


def handling_rule(event: Any, rule: Any = None) -> tuple[int, str]:
    """(amount, unit) for handling the event: the dispatch rule's own deadline, else the category's (the
    urgent one for 紧急/特急 events)."""
    if rule is not None and rule.deadline_amount and rule.deadline_unit:
        return rule.deadline_amount, rule.deadline_unit
    return event.category.deadline_for(event.urgency)


def rule_days(event: Any) -> int:
    """The handling deadline in whole working days (the engine's date deadline when no exact one is set)."""
    amount, unit = handling_rule(event)
    if unit == DeadlineUnit.WORKING_HOURS:
        return max(1, math.ceil(amount / (day_length().total_seconds() / 3600)))
    return amount


def sync_due(event: Any) -> None:
    """Set `due_at` for the state the event is in: the exact handling deadline while with the handler, else
    the close of the engine's deadline day (None when closed)."""
    if event.state in (EventState.DISPATCHED, EventState.HANDLING) and event.handling_due_at:
        event.due_at = event.handling_due_at
    elif event.deadline:
        event.due_at = end_of_working_day(event.deadline)
    else:
        event.due_at = None


def validate_transition(event: Any, transition: Any, data: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    if transition.name == "dispatch":
        department, township = data.get("assigned_department"), data.get("assigned_township")
        if not department and not township:
            errors["assigned_department"] = "请选择承办部门或承办乡镇。"
        elif department and township:
            errors["assigned_township"] = "承办部门和承办乡镇只能选一个。"
        elif township is not None and getattr(township, "level", "") != "township":
            errors["assigned_township"] = "承办乡镇必须是乡镇（街道）。"
        elif township is not None and not event.jurisdiction.path.startswith(township.path):
            errors["assigned_township"] = "只能派给事件所在的乡镇（街道）。"
        elif department is not None and not department.is_active:
            errors["assigned_department"] = f"“{department.name}”已停用。"
    if transition.name == "duplicate":
        original = data.get("duplicate_of")
        if original is not None:
            if original.pk == event.pk:
                errors["duplicate_of"] = "不能标记为自己的重复件。"
            elif original.state == EventState.DUPLICATE:
                errors["duplicate_of"] = f"{original.number} 本身是重复件，请关联到原件 " \
                                         f"{original.duplicate_of.number if original.duplicate_of_id else ''}。"
    return errors
