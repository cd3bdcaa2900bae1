"""Writes of the calendar: the district edits a day (holiday or adjusted working day), audited."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pingan.core import audit
from pingan.core.services import model_create, model_update

from . import forget


def _check(actor: Any) -> None:
    if not actor.can("calendar.edit"):
        audit.record(actor=actor, action="calendar_day.save", outcome="failure", detail="无权修改节假日日历")
        raise PermissionDenied("只有区综治中心管理员可以修改节假日日历。")


def calendar_day_save(*, actor: Any, date: dt.date, is_workday: bool, name: str):
    """Set one day as a holiday or a working day. A day set back to what its weekday says is removed.

    The permission check runs before the write's transaction, so the audit entry of a refusal stays."""
    _check(actor)
    return _calendar_day_save(actor=actor, date=date, is_workday=is_workday, name=name)


@transaction.atomic
def _calendar_day_save(*, actor: Any, date: dt.date, is_workday: bool, name: str):
    from pingan.core.models import CalendarDay

    name = (name or "").strip()
    if not isinstance(date, dt.date):
        raise ValidationError({"date": "日期格式不正确，应为 YYYY-MM-DD。"})
    if not 2000 <= date.year <= 2100:
        raise ValidationError({"date": "日期须在 2000 年至 2100 年之间。"})
    if not name:
        raise ValidationError({"name": "请填写名称，如“春节”或“国庆节调休上班”。"})
    if len(name) > 40:
        raise ValidationError({"name": "名称不能超过 40 个字。"})
    existing = CalendarDay.objects.select_for_update().filter(date=date).first()
    if existing is None:
        day = model_create(actor=actor, model=CalendarDay, action="calendar_day.create",
                           data={"date": date, "is_workday": bool(is_workday), "name": name, "source": "区综治中心设置"})
    else:
        day, _ = model_update(actor=actor, instance=existing, action="calendar_day.update",
                              data={"is_workday": bool(is_workday), "name": name, "source": "区综治中心设置"})
    transaction.on_commit(lambda: forget(date.year))
    forget(date.year)
    return day


def calendar_day_delete(*, actor: Any, date: dt.date) -> bool:
    """Remove a day's entry: it follows its weekday again (refusals audited outside the transaction)."""
    _check(actor)
    return _calendar_day_delete(actor=actor, date=date)


@transaction.atomic
def _calendar_day_delete(*, actor: Any, date: dt.date) -> bool:
    from pingan.core.models import CalendarDay

    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        raise ValidationError({"date": f"{date:%Y-%m-%d} 没有节假日或调休设置。"})
    audit.record(actor=actor, action="calendar_day.delete", obj=day, changes={"before": audit.snapshot(day)})
    day.delete()
    transaction.on_commit(lambda: forget(date.year))
    forget(date.year)
    return True
