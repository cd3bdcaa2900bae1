"""The working-day calendar: weekdays work, weekends rest, except the days in the `CalendarDay` table
(public holidays on weekdays, adjusted working weekends 调休). The district edits the table on the
calendar page; China's notices for 2017–2027 are loaded by migration (`data.py` names the sources).

    is_workday(day) -> bool
    add_working_days(start, n) -> date        the n-th working day after `start` (n=0: start itself)
    working_days_between(start, end) -> int   working days d with start < d <= end (negative if end < start)
    workday_hours() -> (time, time)           office hours, settings.PINGAN_WORKDAY_HOURS (default 08:30–17:30)
    end_of_working_day(day) -> datetime       the close of office hours on `day`
    end_of_day(day) -> datetime               the end of the calendar day: the next midnight, local time
    add_working_hours(start, hours) -> datetime   exact office time on working days (16:30 Fri + 4 h = Mon 11:30)

Each year's non-default days are read once and cached (shared cache, 10 minutes; an edit clears its year).
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

CACHE_SECONDS = 600
_KEY = "pingan:calendar:{year}"


def _year(year: int) -> dict[dt.date, bool]:
    key = _KEY.format(year=year)
    days = cache.get(key)
    if days is None:
        from pingan.core.models import CalendarDay

        days = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday"))
        cache.set(key, days, CACHE_SECONDS)
    return days


def forget(year: int) -> None:
    """Drop a year from the cache (after an edit)."""
    cache.delete(_KEY.format(year=year))


class _Lookup:
    """A per-call view of the calendar that loads each year it touches once."""

    def __init__(self) -> None:
        self.years: dict[int, dict[dt.date, bool]] = {}

    def is_workday(self, day: dt.date) -> bool:
        year = self.years.get(day.year)
        if year is None:
            year = self.years[day.year] = _year(day.year)
        special = year.get(day)
        return special if special is not None else day.weekday() < 5


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError("日期类型不正确。")


def is_workday(day: dt.date) -> bool:
    return _Lookup().is_workday(_as_date(day))


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The n-th working day after `start` (start itself not counted); n=0 gives start; negative n counts
    backwards."""
    day = _as_date(start)
    if n == 0:
        return day
    lookup = _Lookup()
    step = dt.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    guard = 0
    while remaining:
        day += step
        guard += 1
        if guard > abs(n) * 7 + 400:  # a calendar with no working day at all
            raise ValueError("日历中找不到足够的工作日，请检查节假日设置。")
        if lookup.is_workday(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days d with start < d <= end; negative when end is before start."""
    a, b = _as_date(start), _as_date(end)
    if a == b:
        return 0
    if b < a:
        return -working_days_between(b, a)
    # Whole weeks first (5 working days each by default), then correct by the table's special days.
    total_days = (b - a).days
    weeks, rest = divmod(total_days, 7)
    count = weeks * 5
    day = a + dt.timedelta(days=weeks * 7)
    for _ in range(rest):
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    for year in range(a.year, b.year + 1):
        for special, workday in _year(year).items():
            if a < special <= b:
                default = special.weekday() < 5
                if workday != default:
                    count += 1 if workday else -1
    return count


# --- working hours -------------------------------------------------------------------------------------
def workday_hours() -> tuple[dt.time, dt.time]:
    """Office hours of a working day: settings.PINGAN_WORKDAY_HOURS = ("08:30", "17:30") by default."""
    start, end = getattr(settings, "PINGAN_WORKDAY_HOURS", ("08:30", "17:30"))
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def end_of_working_day(day: dt.date) -> dt.datetime:
    """The close of office hours on `day` (local time)."""
    return _at(_as_date(day), workday_hours()[1])


def end_of_day(day: dt.date) -> dt.datetime:
    """The end of the calendar day `day`: the next midnight, local time (a date typed by a person, such as
    整治期限 or an extension's new date, is due then)."""
    return _at(_as_date(day) + dt.timedelta(days=1), dt.time.min)


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """`hours` of office time after `start`, counted only within office hours on working days. A start
    outside office hours counts from the next opening; a span ending exactly at closing time ends then.
    (08:30–17:30: Friday 16:30 + 4 h = 1 h on Friday, 3 h on Monday → Monday 11:30.)"""
    begin, end = workday_hours()
    if end <= begin:
        raise ValueError("办公时间设置不正确：下班时间须晚于上班时间。")
    moment = timezone.localtime(start) if timezone.is_aware(start) else timezone.make_aware(start)
    remaining = dt.timedelta(hours=hours)
    day = moment.date()
    lookup = _Lookup()
    if not lookup.is_workday(day) or moment.time() >= end:
        moment = _at(add_working_days(day, 1), begin)
    elif moment.time() < begin:
        moment = _at(day, begin)
    while True:
        left_today = _at(moment.date(), end) - moment
        if remaining <= left_today:
            return moment + remaining
        remaining -= left_today
        moment = _at(add_working_days(moment.date(), 1), begin)
