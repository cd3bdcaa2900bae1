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
