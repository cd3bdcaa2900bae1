"""How a change reads on the crime pages: 下降26.9%, 上升5.0%, 持平, or — when there is nothing to compare."""
from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


def trend_text(value) -> str:
    if value is None:
        return "—"
    shown = (abs(Decimal(str(value))) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if shown == 0:
        return "持平"
    return f"{'下降' if value < 0 else '上升'}{shown}%"


@register.filter
def trend(value) -> str:
    return trend_text(value)
