"""Template helpers of the generic case pages."""
from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def attr_path(obj, dotted: str):
    """`case|attr_path:"category.name"`: a dotted attribute of a row; an empty value shows as "—"."""
    value = obj
    for part in str(dotted).split("."):
        if value is None:
            break
        display = getattr(value, f"get_{part}_display", None)
        value = display() if callable(display) else getattr(value, part, None)
        if callable(value):
            value = value()
    return "—" if value in (None, "") else value


@register.filter
def state_label(kind, state: str) -> str:
    return kind.state_label(state) if state else ""


@register.filter
def due_moment(value) -> str:
    """A due moment as people say it: the end of a day (local midnight) is "that day 24:00", not the next
    day's 00:00 (整治期限 2026-12-28 is due "2026-12-28 24:00"); any other moment to the minute."""
    import datetime as dt

    from django.utils import timezone

    if not value:
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if local.time() == dt.time(0, 0):
        return f"{local.date() - dt.timedelta(days=1):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"
