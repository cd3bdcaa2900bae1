"""Due moments, pinned with worked examples: every expected value below is worked out by hand from the 2026
notice (国办发明电〔2025〕7号, in pingan/core/calendar/data.py) and written out, never computed by the code
under test. Office hours are the default 08:30–17:30; all times are Beijing time.

2026 days that matter here:
    春节   off 02-15 (Sun) … 02-23 (Mon); 调休上班 02-14 (Sat) and 02-28 (Sat)
    国庆节 off 10-01 (Thu) … 10-07 (Wed); 调休上班 09-20 (Sun) and 10-10 (Sat)
"""
import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pingan.cases import engine
from pingan.cases.deadlines import DeadlinePolicy, due, due_date, due_for, end_of_date
from pingan.cases.definitions import get_kind
from pingan.core.calendar import add_working_hours, end_of_day, end_of_working_day
from pingan.hazards.models import Hazard
from pingan.hazards.testing import make_hazard

BJ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=0, mm=0, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=BJ)


# --- working hours --------------------------------------------------------------------------------------
def test_friday_1630_plus_4_working_hours_is_monday_1130(db):
    # Friday 2026-11-27 16:30 → 17:30 is 1 hour; Saturday and Sunday rest; Monday 11-30 08:30 + 3 h = 11:30.
    assert add_working_hours(at(2026, 11, 27, 16, 30), 4) == at(2026, 11, 30, 11, 30)
    assert due(at(2026, 11, 27, 16, 30), 4, "working_hours") == at(2026, 11, 30, 11, 30)


def test_working_hours_before_a_holiday_resume_after_it(db):
    # Wednesday 2026-09-30 16:30: 1 hour that day; 10-01…10-07 off; Thursday 10-08 08:30 + 3 h = 11:30.
    assert add_working_hours(at(2026, 9, 30, 16, 30), 4) == at(2026, 10, 8, 11, 30)


@pytest.mark.parametrize("start,hours,expected", [
    # Before opening: counted from 08:30. Monday 11-30 07:00 + 2 h = 10:30.
    (at(2026, 11, 30, 7, 0), 2, at(2026, 11, 30, 10, 30)),
    # Exactly the rest of the day: ends at closing time, not the next morning. 13:30 + 4 h = 17:30.
    (at(2026, 11, 30, 13, 30), 4, at(2026, 11, 30, 17, 30)),
    # After closing: from the next working day's opening. Monday 18:00 + 1 h = Tuesday 12-01 09:30.
    (at(2026, 11, 30, 18, 0), 1, at(2026, 12, 1, 9, 30)),
    # On a Saturday that is a 调休 working day: 2026-10-10 09:00 + 2 h = 11:00 the same day.
    (at(2026, 10, 10, 9, 0), 2, at(2026, 10, 10, 11, 0)),
    # 18 hours = two full days (9 h each): Thursday 10-08 08:30 → Thursday 17:30, Friday 10-09 17:30.
    (at(2026, 10, 8, 8, 30), 18, at(2026, 10, 9, 17, 30)),
])
def test_working_hours_worked_examples(db, start, hours, expected):
    assert add_working_hours(start, hours) == expected


def test_other_office_hours_come_from_settings(db, settings):
    settings.PINGAN_WORKDAY_HOURS = ("09:00", "17:00")
    # Friday 11-27 16:30 → 17:00 is 0.5 h; Monday 11-30 09:00 + 3.5 h = 12:30.
    assert add_working_hours(at(2026, 11, 27, 16, 30), 4) == at(2026, 11, 30, 12, 30)
    assert end_of_working_day(dt.date(2026, 11, 30)) == at(2026, 11, 30, 17, 0)


# --- working days ---------------------------------------------------------------------------------------
def test_registered_the_day_before_the_national_day_with_a_tiaoxiu_saturday_after_it(db):
    # Registered Wednesday 2026-09-30, the last day before 国庆. 3 working days: 10-01…10-07 are off, so
    # 10-08 (Thu) is the 1st, 10-09 (Fri) the 2nd and Saturday 10-10 (调休上班) the 3rd → due 10-10 17:30.
    assert due(at(2026, 9, 30, 10, 0), 3, "working_days") == at(2026, 10, 10, 17, 30)
    # 1 working day: 10-08 17:30.
    assert due(at(2026, 9, 30, 10, 0), 1, "working_days") == at(2026, 10, 8, 17, 30)


def test_registered_on_the_tiaoxiu_saturday_before_the_spring_festival(db):
    # Registered Saturday 2026-02-14 (调休上班, the day before 春节). 02-15…02-23 off; 02-24 (Tue) 1st,
    # 02-25 2nd, 02-26 3rd, 02-27 (Fri) 4th, Saturday 02-28 (调休上班) 5th → due 02-28 17:30.
    assert due(at(2026, 2, 14, 11, 0), 5, "working_days") == at(2026, 2, 28, 17, 30)


def test_five_working_days_across_the_national_day(db):
    # From Tuesday 2026-09-29: 09-30 (Wed) 1st; 10-01…10-07 off; 10-08 (Thu) 2nd; 10-09 (Fri) 3rd;
    # 10-10 (Sat, 调休上班) 4th; 10-11 (Sun) rest; 10-12 (Mon) 5th → due 10-12 17:30.
    assert due(at(2026, 9, 29, 15, 0), 5, "working_days") == at(2026, 10, 12, 17, 30)


# --- natural days ---------------------------------------------------------------------------------------
def test_natural_days_end_at_midnight_of_the_last_day(db):
    # 5 natural days from Tuesday 2026-09-29 (holidays count): the end of 10-04 = midnight starting 10-05.
    assert due(at(2026, 9, 29, 15, 0), 5, "days") == at(2026, 10, 5, 0, 0)
    # Started just before midnight: still counted from that date. 2026-11-30 23:59 + 1 day → end of 12-01.
    assert due(at(2026, 11, 30, 23, 59), 1, "days") == at(2026, 12, 2, 0, 0)
    assert end_of_day(dt.date(2026, 12, 31)) == at(2027, 1, 1, 0, 0)


def test_the_day_a_due_moment_falls_in(db):
    # The end of a day (next midnight) belongs to that day; a close of office hours to its own day.
    assert due_date(at(2026, 12, 11, 0, 0)) == dt.date(2026, 12, 10)
    assert due_date(at(2026, 10, 12, 17, 30)) == dt.date(2026, 10, 12)
    assert due_date(None) is None
    assert end_of_date(dt.date(2026, 12, 10)) == at(2026, 12, 11, 0, 0)
    # One microsecond after midnight is already the next day.
    assert due_date(at(2026, 12, 11, 0, 0) + dt.timedelta(microseconds=1)) == dt.date(2026, 12, 11)


def test_days_are_counted_from_the_local_date_of_the_start(db):
    # 2026-12-01 17:00 UTC is Wednesday 12-02 01:00 in Beijing: 1 working day → Thursday 12-03's close
    # (counted from the UTC date it would wrongly be Wednesday's close).
    start = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.timezone.utc)
    assert due(start, 1, "working_days") == at(2026, 12, 3, 17, 30)
    # A naive moment is read as the local time it names.
    assert due(dt.datetime(2026, 12, 2, 1, 0), 1, "days") == at(2026, 12, 4, 0, 0)


def test_an_unknown_unit_is_refused_naming_it():
    with pytest.raises(ValueError, match="期限单位 'weeks' 无效"):
        due(at(2026, 12, 1, 9, 0), 1, "weeks")


def test_a_policy_is_checked_and_resolved():
    with pytest.raises(ValueError, match="期限单位"):
        DeadlinePolicy(3, "weeks")
    with pytest.raises(ValueError, match="只能给一个"):
        DeadlinePolicy(3, by=lambda case: (1, "days"))
    assert DeadlinePolicy(lambda case: case, "days").resolve(7) == (7, "days")
    assert DeadlinePolicy(by=lambda case: (4, "working_hours")).resolve(None) == (4, "working_hours")
    assert DeadlinePolicy(by=lambda case: None).resolve(None) is None


# --- on a case: the date field (整治期限), the policy's own days, extensions, overdue -----------------
def test_a_date_field_makes_the_case_due_at_the_end_of_that_date(world):
    hazard = make_hazard(world, "a", screened_on=dt.date(2026, 11, 20), rectify_deadline=dt.date(2026, 12, 10))
    # 整治期限 2026-12-10 → due at the midnight starting 12-11.
    assert hazard.due_at == at(2026, 12, 11, 0, 0)
    assert Hazard.objects.get().due_at == at(2026, 12, 11, 0, 0)


def test_an_empty_date_field_is_filled_from_the_policy(world):
    # Medium risk: 20 working days from screening. From Friday 2026-11-06: 11-09…11-13 (5), 11-16…11-20 (10),
    # 11-23…11-27 (15), 11-30…12-04 (20) → 整治期限 2026-12-04, due at the midnight starting 12-05.
    hazard = make_hazard(world, "a", screened_on=dt.date(2026, 11, 6))
    assert hazard.rectify_deadline == dt.date(2026, 12, 4)
    assert hazard.due_at == at(2026, 12, 5, 0, 0)


def test_a_per_case_override_picks_amount_and_unit(world, monkeypatch):
    kind = get_kind("hazards.hazard")
    policy = DeadlinePolicy(by=lambda case: (4, "working_hours") if case.risk_level == "01" else (2, "days"))
    monkeypatch.setitem(kind.deadlines, "awaiting_acceptance", policy)
    hazard = Hazard(risk_level="01")
    assert due_for(hazard, "awaiting_acceptance", at(2026, 11, 27, 16, 30)) == at(2026, 11, 30, 11, 30)
    hazard.risk_level = "03"
    # 2 natural days from Friday 11-27: the end of Sunday 11-29.
    assert due_for(hazard, "awaiting_acceptance", at(2026, 11, 27, 16, 30)) == at(2026, 11, 30, 0, 0)
    assert due_for(hazard, "rectified", at(2026, 11, 27, 16, 30)) is None  # closed: no due moment


def test_an_approved_extension_moves_due_at_and_the_date_field(world):
    hazard = make_hazard(world, "a", screened_on=dt.date(2026, 11, 20), rectify_deadline=dt.date(2026, 12, 10))
    extension = engine.extension_request(actor=world.users["handler_a"], case=hazard,
                                         new_deadline=dt.date(2026, 12, 20), reason="等待材料")
    assert extension.old_deadline == dt.date(2026, 12, 10)
    engine.extension_decide(actor=world.officer("a"), case=hazard, extension=extension, approve=True)
    hazard.refresh_from_db()
    # The end of 2026-12-20: the midnight starting 12-21.
    assert hazard.due_at == at(2026, 12, 21, 0, 0)
    assert hazard.rectify_deadline == dt.date(2026, 12, 20)
    assert engine.current_deadline(hazard) == dt.date(2026, 12, 20)
    # The next request must be later than the new day.
    with pytest.raises(ValidationError) as exc:
        engine.extension_request(actor=world.users["handler_a"], case=hazard, new_deadline=dt.date(2026, 12, 20),
                                 reason="再延")
    assert "须晚于当前期限（2026-12-20）" in exc.value.message_dict["new_deadline"][0]


def test_overdue_on_both_sides_of_the_due_moment(world):
    hazard = make_hazard(world, "a", screened_on=dt.date(2026, 11, 20), rectify_deadline=dt.date(2026, 12, 10))
    # due_at = 2026-12-11 00:00 Beijing.
    before, exactly, after = at(2026, 12, 10, 23, 59, 59), at(2026, 12, 11, 0, 0, 0), at(2026, 12, 11, 0, 0, 1)
    assert not Hazard.objects.overdue(before).exists()
    assert not Hazard.objects.overdue(exactly).exists()
    assert list(Hazard.objects.overdue(after)) == [hazard]
    assert list(Hazard.objects.not_overdue(before)) == [hazard]
    assert Hazard.objects.with_overdue(after).get().is_overdue is True
    assert Hazard.objects.with_overdue(before).get().is_overdue is False
    assert Hazard.objects.is_overdue(hazard, after) and not Hazard.objects.is_overdue(hazard, before)
    # A date means the end of that day: as 12-10 ends the hazard is exactly due, as 12-11 ends overdue.
    assert not Hazard.objects.overdue(dt.date(2026, 12, 10)).exists()
    assert Hazard.objects.overdue(dt.date(2026, 12, 11)).exists()
    # Closed: never overdue, whatever its dates.
    engine.transition(actor=world.users["handler_a"], case=hazard, action="complete",
                      data={"rectified_on": timezone.localdate(), "measures": "已清理"})
    engine.transition(actor=world.officer("a"), case=hazard, action="accept")
    hazard.refresh_from_db()
    assert hazard.due_at is None and not Hazard.objects.overdue(at(2030, 1, 1)).exists()
