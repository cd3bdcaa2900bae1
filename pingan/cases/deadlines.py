"""Due moments of cases: the one engine-owned `due_at` every overdue check reads.

A kind declares a `DeadlinePolicy` per open state (definitions.py); this module turns it into a moment:

    due(start, amount, unit) -> datetime
        "days"           natural days: the end of the calendar day `amount` days after start's date
                         (the next midnight, local time)
        "working_days"   the close of office hours of the `amount`-th working day after start's date
        "working_hours"  exact: `amount` hours of office time on working days after `start`
    due_for(case, state, start) -> datetime | None     the kind's policy for `state`, applied to `case`
    due_date(due_at) -> date | None                    the calendar day a due moment falls in (for people:
                                                       an extension is asked as a date)
    end_of_date(day) -> datetime                       a date typed by a person is due at its end

Working days, holidays and 调休 come from `pingan.core.calendar`; office hours from
settings.PINGAN_WORKDAY_HOURS (default 08:30–17:30).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pingan.core.calendar import add_working_days, add_working_hours, end_of_day, end_of_working_day

from .definitions import DEADLINE_UNITS, DeadlinePolicy, get_kind

__all__ = ["DEADLINE_UNITS", "DeadlinePolicy", "due", "due_for", "due_date", "end_of_date", "describe",
           "policy_for"]


def end_of_date(day: dt.date) -> dt.datetime:
    """A date typed by a person (整治期限, an extension's new date) is due at the end of that day."""
    return end_of_day(day)


def due(start: dt.datetime, amount: int, unit: str) -> dt.datetime:
    """The due moment `amount` `unit`s after `start` (see the module docstring)."""
    if unit == "working_hours":
        return add_working_hours(start, amount)
    day = timezone.localtime(start).date() if timezone.is_aware(start) else start.date()
    if unit == "working_days":
        return end_of_working_day(add_working_days(day, amount))
    if unit == "days":
        return end_of_day(day + dt.timedelta(days=amount))
    raise ValueError(f"期限单位 {unit!r} 无效")


def due_date(due_at: dt.datetime | None) -> dt.date | None:
    """The calendar day (local) in which `due_at` falls; the end of a day (next midnight) belongs to that day."""
    if due_at is None:
        return None
    return timezone.localtime(due_at - dt.timedelta(microseconds=1)).date()


def describe(amount: int, unit: str) -> str:
    """“3 工作日”, “4 工作小时”, “10 自然日”."""
    return f"{amount} {DEADLINE_UNITS[unit]}"


def policy_for(case: Any, state: str) -> DeadlinePolicy | None:
    kind = get_kind(case)
    if state not in kind.open_states:
        return None
    return kind.deadlines.get(state)


def due_for(case: Any, state: str, start: dt.datetime) -> dt.datetime | None:
    """The due moment of `case` entering `state` at `start` (None: closed state, or no deadline).

    A policy with a `field` reads the case's own date there (due at its end), filling the field from the
    policy's amount first when it is empty (the date of the computed moment)."""
    policy = policy_for(case, state)
    if policy is None:
        return None
    if policy.field:
        own = getattr(case, policy.field)
        if own:
            return end_of_date(own)
    resolved = policy.resolve(case)
    if resolved is None:
        return None
    moment = due(start, *resolved)
    if policy.field:
        day = due_date(moment)
        setattr(case, policy.field, day)
        return end_of_date(day)
    return moment
