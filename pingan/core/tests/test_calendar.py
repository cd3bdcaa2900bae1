"""The working-day calendar: official holidays and 调休 loaded, working-day arithmetic, the district's page."""
import datetime as dt

import pytest
from django.urls import reverse

from pingan.core.calendar import add_working_days, is_workday, working_days_between
from pingan.core.calendar.loader import load_holidays
from pingan.core.models import AuditEntry, CalendarDay

D = dt.date


@pytest.fixture
def holidays(db):
    load_holidays()


@pytest.mark.parametrize("day,workday", [
    (D(2017, 10, 4), False),   # 国庆节、中秋节 on a Wednesday
    (D(2017, 9, 30), True),    # Saturday 调休上班
    (D(2020, 1, 31), False),   # 2020 Spring Festival extended to 2 February
    (D(2020, 2, 1), False),    # the working Saturday cancelled by the extension
    (D(2024, 2, 18), True),    # Sunday 调休上班
    (D(2025, 1, 28), False),   # 除夕 is a holiday since 2025
    (D(2026, 1, 4), True),     # Sunday 调休 after 元旦 2026
    (D(2026, 2, 23), False),   # 春节 2026, 9 days
    (D(2027, 2, 8), False),    # 2027 statutory 春节 (初三, Monday)
    (D(2023, 3, 15), True),    # an ordinary Wednesday
    (D(2023, 3, 18), False),   # an ordinary Saturday
])
def test_it_knows_holidays_and_adjusted_working_days(holidays, day, workday):
    assert is_workday(day) is workday


def test_it_counts_working_days_over_the_national_day_week(holidays):
    # 2024-09-27 (Fri) + 1 working day: 09-28 Sat rest, 09-29 Sun 调休上班.
    assert add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)
    # From 09-30 (Mon) the next working day after the 10-01..10-07 holiday is 10-08.
    assert add_working_days(D(2024, 9, 30), 1) == D(2024, 10, 8)
    assert add_working_days(D(2024, 10, 8), -1) == D(2024, 9, 30)
    assert add_working_days(D(2024, 9, 30), 0) == D(2024, 9, 30)


def test_working_days_between_agrees_with_adding_them(holidays):
    start = D(2023, 12, 20)
    for n in (1, 5, 17, 40, 130, 260):
        end = add_working_days(start, n)
        assert working_days_between(start, end) == n
        assert working_days_between(end, start) == -n


def test_a_year_has_the_official_number_of_working_days(holidays):
    # 2024: 366 days, 104 weekend days, 11 holiday weekdays… gives 251 working days after 调休 (6 extra).
    assert working_days_between(D(2023, 12, 31), D(2024, 12, 31)) == 251
    # 2025: two more statutory days (除夕, 5月2日) leave 248.
    assert working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 248


def test_loading_twice_adds_nothing_and_keeps_the_districts_edits(holidays):
    row = CalendarDay.objects.get(date=D(2025, 10, 8))
    row.name = "本区调整"
    row.save()
    assert load_holidays() == (0, 0)
    assert CalendarDay.objects.get(date=D(2025, 10, 8)).name == "本区调整"


def test_the_calendar_is_cached_per_year(holidays, django_assert_max_num_queries):
    is_workday(D(2026, 5, 6))
    with django_assert_max_num_queries(0):
        for i in range(300):
            add_working_days(D(2026, 1, 1) + dt.timedelta(days=i), 10)


def test_the_district_admin_adds_a_holiday_and_it_changes_deadlines_at_once(world, holidays, client):
    assert is_workday(D(2026, 3, 10))
    client.force_login(world.users["district_admin"])
    response = client.post(reverse("cases:calendar"), {"date": "２０２６／３／１０", "is_workday": "0", "name": "本区防汛停工"})
    assert response.status_code == 302
    assert not is_workday(D(2026, 3, 10))
    entry = AuditEntry.objects.get(action="calendar_day.create")
    assert entry.changes["after"]["name"] == "本区防汛停工" and entry.actor == world.users["district_admin"]
    assert client.post(reverse("cases:calendar_delete"), {"date": "2026-03-10"}).status_code == 302
    assert is_workday(D(2026, 3, 10))
    assert AuditEntry.objects.filter(action="calendar_day.delete").exists()


@pytest.mark.parametrize("data,message", [
    ({"date": "2026-02-30", "is_workday": "0", "name": "x"}, "日期格式不正确"),
    ({"date": "", "is_workday": "0", "name": "x"}, "请填写日期"),
    ({"date": "2026-03-10", "is_workday": "maybe", "name": "x"}, "请选择放假或上班"),
    ({"date": "2026-03-10", "is_workday": "0", "name": ""}, "请填写名称"),
    ({"date": "1899-03-10", "is_workday": "0", "name": "x"}, "2000 年至 2100 年"),
])
def test_the_calendar_page_rejects_bad_input(world, holidays, client, data, message):
    client.force_login(world.users["district_admin"])
    before = CalendarDay.objects.count()
    response = client.post(reverse("cases:calendar"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert CalendarDay.objects.count() == before


def test_only_the_district_admin_edits_the_calendar(world, holidays, client):
    client.force_login(world.officer("a"))
    assert client.get(reverse("cases:calendar")).status_code == 200
    assert client.post(reverse("cases:calendar"), {"date": "2026-03-10", "is_workday": "0", "name": "x"}).status_code == 403
    assert client.post(reverse("cases:calendar_delete"), {"date": "2025-10-08"}).status_code == 403
    assert CalendarDay.objects.filter(date=D(2025, 10, 8)).exists()
    assert not CalendarDay.objects.filter(date=D(2026, 3, 10)).exists()
