"""The period of a report: a kind (monthly, quarterly, annual) and a period written as 2017-03, 2017-Q1 or 2017;
or a custom period (kind custom, "2017-01-01~2017-06-30": a campaign's months, at most 10 years).

`parse(kind, text)` gives a `Period` (first and last day, the Chinese label "2017年3月", the same period a
year before for 同比) or raises analytics' `BadRequest` with a Chinese message: an unknown kind, a period that
does not fit the kind (--kind monthly --period 2017), an impossible month or quarter. The days are checked by
analytics' `parse_period` too (one rule for reversed and over-long periods, shared with the statistics page).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pingan.geo.params import BadRequest, parse_period

MONTHLY, QUARTERLY, ANNUAL, CUSTOM = "monthly", "quarterly", "annual", "custom"
KINDS = {MONTHLY: "月度", QUARTERLY: "季度", ANNUAL: "年度", CUSTOM: "自定义期间"}
EXAMPLES = {MONTHLY: "2017-03", QUARTERLY: "2017-Q1", ANNUAL: "2017", CUSTOM: "2017-01-01~2017-06-30"}
QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
PATTERNS = {
    MONTHLY: re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})$"),
    QUARTERLY: re.compile(r"^(?P<year>\d{4})-?Q(?P<quarter>\d)$", re.IGNORECASE),
    ANNUAL: re.compile(r"^(?P<year>\d{4})$"),
    CUSTOM: re.compile(r"^(?P<year>\d{4})-\d{1,2}-\d{1,2}\s*(~|至|到|\.\.)\s*\d{4}-\d{1,2}-\d{1,2}$"),
}
MIN_YEAR, MAX_YEAR = 1990, 2999


@dataclass(frozen=True)
class Period:
    kind: str
    text: str  # canonical: 2017, 2017-03, 2017-Q1
    start: dt.date
    end: dt.date
    label: str  # 2017年, 2017年3月, 2017年第一季度

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def previous(self) -> "Period":
        """The same period a year before (同比)."""
        if self.kind == CUSTOM:
            start, end = _minus_year(self.start), _minus_year(self.end)
            return Period(CUSTOM, f"{start:%Y-%m-%d}~{end:%Y-%m-%d}", start, end, _days_label(start, end))
        return parse(self.kind, str(int(self.text[:4]) - 1) + self.text[4:])


def kind_of(value: Any) -> str:
    kind = unicodedata.normalize("NFKC", str(value or "")).strip().lower()
    if kind not in KINDS:
        raise BadRequest(f"报告类型“{str(value or '')[:20]}”无效：请选择月度（monthly）、季度（quarterly）、年度（annual）"
                         f"或自定义期间（custom）。")
    return kind


def parse(kind: Any, text: Any) -> Period:
    kind = kind_of(kind)
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()  # full-width digits and letters as typed
    if not raw:
        raise BadRequest(f"请填写报告期，{KINDS[kind]}报告的格式如 {EXAMPLES[kind]}。")
    match = PATTERNS[kind].match(raw)
    if match is None:
        fits = [k for k, pattern in PATTERNS.items() if pattern.match(raw)]
        hint = f"（“{raw[:20]}”是{KINDS[fits[0]]}报告期）" if fits else ""
        raise BadRequest(f"报告期“{raw[:20]}”与{KINDS[kind]}报告不符{hint}：{KINDS[kind]}报告的报告期格式如 "
                         f"{EXAMPLES[kind]}。")
    if kind == CUSTOM:
        first, last = re.split(r"\s*(?:~|至|到|\.\.)\s*", raw)
        start, end = parse_period(first, last)  # reversed, impossible, longer than 10 years: its messages
        return Period(kind, f"{start:%Y-%m-%d}~{end:%Y-%m-%d}", start, end, _days_label(start, end))
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadRequest(f"报告期“{raw[:20]}”的年份超出合理范围（{MIN_YEAR}—{MAX_YEAR}）。")
    if kind == MONTHLY:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise BadRequest(f"报告期“{raw[:20]}”的月份无效：月份应为 1 至 12。")
        start = dt.date(year, month, 1)
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        canonical, label = f"{year}-{month:02d}", f"{year}年{month}月"
    elif kind == QUARTERLY:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise BadRequest(f"报告期“{raw[:20]}”的季度无效：季度应为 Q1 至 Q4。")
        start = dt.date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
        end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
        canonical, label = f"{year}-Q{quarter}", f"{year}年{QUARTER_NAMES[quarter]}"
    else:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        canonical, label = f"{year}", f"{year}年"
    start, end = parse_period(start.isoformat(), end.isoformat())
    return Period(kind, canonical, start, end, label)


def _days_label(start: dt.date, end: dt.date) -> str:
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
