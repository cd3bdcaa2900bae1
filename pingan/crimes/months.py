"""Months as the crime statistics use them: a month is its first day; text is `YYYY-MM` (also `YYYY年M月`,
`YYYY/M`, `YYYY.M`, full-width digits)."""
from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from pingan.core.personal import clean_text

MONTH_RE = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*月?$")


def parse_month(value) -> dt.date:
    """The first day of the month written in `value`; ValueError with a Chinese message otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = clean_text(value)
    match = MONTH_RE.match(text)
    if not match:
        raise ValueError(f"月份“{text[:20]}”格式不正确，应为 YYYY-MM（如 2017-03）")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"月份“{text[:20]}”不存在（月应为 1–12）")
    if year < 1900:
        raise ValueError(f"月份“{text[:20]}”的年份不正确")
    return dt.date(year, month, 1)


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + (month.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)


def months_between(first: dt.date, last: dt.date) -> int:
    """How many months [first, last] holds (both first days; 0 when last is before first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def month_label(month: dt.date) -> str:
    return f"{month:%Y-%m}"
