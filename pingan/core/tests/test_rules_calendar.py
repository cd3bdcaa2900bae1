"""Working-day arithmetic pinned by dates counted by hand on the printed calendar (2024 国庆: 10-01..10-07 off,
Sunday 09-29 and Saturday 10-12 worked; March 2023 has no holiday). Written to kill the mutants that
`make mutants GROUPS=calendar` found alive: each test names the rule a planted fault would break."""
import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied

from pingan.core import calendar
from pingan.core.calendar import (
    add_working_days, add_working_hours, end_of_day, end_of_working_day, is_workday, working_days_between,
)
from pingan.core.calendar.loader import load_holidays
from pingan.core.calendar.services import calendar_day_save
from pingan.core.models import AuditEntry, CalendarDay

D = dt.date
BJ = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def holidays(db):
    load_holidays()


def test_a_day_has_no_working_days_between_itself_and_itself(holidays):
    assert working_days_between(D(2024, 10, 8), D(2024, 10, 8)) == 0
    assert working_days_between(D(2024, 10, 1), D(2024, 10, 1)) == 0


def test_a_holiday_at_either_end_of_a_span_is_counted_only_at_the_end(holidays):
    # (09-30, 10-01]: only 10-01, a holiday on a Tuesday.
    assert working_days_between(D(2024, 9, 30), D(2024, 10, 1)) == 0
    # (10-01, 10-08]: 10-02..10-07 off, 10-08 (Tuesday) worked; 10-01 itself is the start and not counted.
    assert working_days_between(D(2024, 10, 1), D(2024, 10, 8)) == 1
    # (09-27, 09-29]: Saturday off, Sunday 09-29 worked (调休).
    assert working_days_between(D(2024, 9, 27), D(2024, 9, 29)) == 1
    assert working_days_between(D(2024, 9, 29), D(2024, 9, 27)) == -1


def test_a_span_of_whole_weeks_and_a_rest_counts_each_weekday_once(holidays):
    # (2023-03-15 Wed, 2023-03-27 Mon]: 16 17 20 21 22 23 24 27 = 8.
    assert working_days_between(D(2023, 3, 15), D(2023, 3, 27)) == 8
    # (2023-03-17 Fri, 2023-03-19 Sun]: a weekend only.
    assert working_days_between(D(2023, 3, 17), D(2023, 3, 19)) == 0


def test_a_table_row_that_repeats_the_weekday_rule_changes_nothing(holidays):
    CalendarDay.objects.create(date=D(2023, 3, 22), is_workday=True, name="照常上班", source="test")
    CalendarDay.objects.create(date=D(2023, 3, 25), is_workday=False, name="照常休息", source="test")
    calendar.forget(2023)
    assert working_days_between(D(2023, 3, 15), D(2023, 3, 27)) == 8


def test_counting_backwards_steps_one_day_at_a_time(holidays):
    assert add_working_days(D(2023, 3, 15), -1) == D(2023, 3, 14)  # Wednesday back to Tuesday
    assert add_working_days(D(2023, 3, 20), -1) == D(2023, 3, 17)  # Monday back to Friday
    assert add_working_days(D(2024, 10, 8), -2) == D(2024, 9, 29)  # over the holiday to the 调休 Sunday
    assert add_working_days(D(2023, 3, 15), 2) == D(2023, 3, 17)


def test_natural_and_working_day_deadlines_differ_over_the_national_day(holidays):
    # Natural days: 2024-09-30 + 5 = 10-05, and its end is the midnight starting 10-06.
    assert end_of_day(D(2024, 10, 5)) == dt.datetime(2024, 10, 6, 0, 0, tzinfo=BJ)
    # Working days: 10-08, 10-09, 10-10, 10-11, then Saturday 10-12 (调休上班), closing at 17:30.
    assert add_working_days(D(2024, 9, 30), 5) == D(2024, 10, 12)
    assert end_of_working_day(D(2024, 10, 12)) == dt.datetime(2024, 10, 12, 17, 30, tzinfo=BJ)
    assert add_working_days(D(2024, 9, 30), 0) == D(2024, 9, 30)


def test_working_hours_skip_the_national_day_week(holidays):
    # Monday 2024-09-30 15:30: 2 h that day; 10-01…10-07 off; Tuesday 10-08 08:30 + 3 h = 11:30.
    expected = dt.datetime(2024, 10, 8, 11, 30, tzinfo=BJ)
    assert add_working_hours(dt.datetime(2024, 9, 30, 15, 30, tzinfo=BJ), 5) == expected
    # A naive moment is read as Beijing time.
    assert add_working_hours(dt.datetime(2024, 9, 30, 15, 30), 5) == expected


def test_a_moment_is_read_as_the_date_in_beijing(holidays, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    utc = dt.timezone.utc
    # 2024-09-30 17:00 UTC is 10-01 01:00 in Beijing: a holiday.
    assert is_workday(dt.datetime(2024, 9, 30, 17, 0, tzinfo=utc)) is False
    # 2024-09-30 15:00 UTC is 09-30 23:00 in Beijing: a Monday.
    assert is_workday(dt.datetime(2024, 9, 30, 15, 0, tzinfo=utc)) is True
    # A naive moment is taken as written.
    assert is_workday(dt.datetime(2024, 9, 30, 23, 0)) is True
    assert add_working_days(dt.datetime(2024, 9, 30, 17, 0, tzinfo=utc), 1) == D(2024, 10, 8)


def test_a_value_that_is_not_a_date_is_refused_in_chinese(holidays):
    with pytest.raises(TypeError, match="^日期类型不正确。$"):
        is_workday("2024-10-01")


def _rest_days(start, days):
    CalendarDay.objects.bulk_create([
        CalendarDay(date=start + dt.timedelta(days=i), is_workday=False, name="停工", source="test")
        for i in range(1, days + 1) if (start + dt.timedelta(days=i)).weekday() < 5])


def test_a_working_day_407_days_away_is_still_found(db):
    # One working day: the search gives up after 1 * 7 + 400 = 407 days, so day 407 is the last one looked at.
    start = D(2090, 1, 1)
    _rest_days(start, 406)
    day_407 = start + dt.timedelta(days=407)  # 2091-02-12
    assert day_407 == D(2091, 2, 12)
    CalendarDay.objects.create(date=day_407, is_workday=True, name="上班", source="test")
    assert add_working_days(start, 1) == D(2091, 2, 12)


def test_a_calendar_without_a_working_day_for_407_days_is_an_error_in_chinese(db):
    start = D(2090, 1, 1)
    _rest_days(start, 407)
    CalendarDay.objects.create(date=start + dt.timedelta(days=408), is_workday=True, name="上班", source="test")
    with pytest.raises(ValueError, match="^日历中找不到足够的工作日，请检查节假日设置。$"):
        add_working_days(start, 1)


def test_a_year_read_from_the_table_is_cached_for_ten_minutes(holidays, monkeypatch):
    stored = {}

    class Recorder:
        def get(self, key):
            return None

        def set(self, key, value, timeout):
            stored[key] = timeout

    monkeypatch.setattr(calendar, "cache", Recorder())
    is_workday(D(2024, 10, 1))
    assert stored == {"pingan:calendar:2024": 600}


def test_a_refused_calendar_edit_is_refused_in_chinese_and_writes_nothing(world, holidays):
    with pytest.raises(PermissionDenied, match="^只有区综治中心管理员可以修改节假日日历。$"):
        calendar_day_save(actor=world.officer("a"), date=D(2026, 3, 10), is_workday=False, name="自定假日")
    assert not CalendarDay.objects.filter(date=D(2026, 3, 10)).exists()


def test_a_refused_calendar_edit_is_audited_as_a_failure(world, holidays):
    officer = world.officer("a")
    with pytest.raises(PermissionDenied):
        calendar_day_save(actor=officer, date=D(2026, 3, 10), is_workday=False, name="自定假日")
    entry = AuditEntry.objects.get(action="calendar_day.save")
    assert (entry.actor, entry.outcome, entry.detail) == (officer, "failure", "无权修改节假日日历")
