"""crimes.* as indicators.md defines them, with the seed report's numbers worked by hand:
(358 − 490) / 490 = −132 / 490 = −0.269387… → −0.2694; (21 − 67) / 67 = −46 / 67 = −0.686567… → −0.6866."""
from __future__ import annotations

import datetime as dt

from pingan.core.indicators import Query, compute
from pingan.crimes.models import CrimeCategory, CrimeCount


def put(world, side, year, month, code, count):
    CrimeCount.objects.create(month=dt.date(year, month, 1), jurisdiction=world.township(side),
                              category=CrimeCategory.objects.get(code=code), count=count)


def report_year(world):
    # 2016: 490 in all, 67 of them 八类 (police list): 40 伤害 + 27 抢劫 in township a, 423 盗窃 split a/b.
    put(world, "a", 2016, 3, "injury", 40)
    put(world, "a", 2016, 7, "robbery", 27)
    put(world, "a", 2016, 5, "theft", 300)
    put(world, "b", 2016, 12, "theft", 123)
    # 2017: 358 in all, 21 八类: 15 伤害 + 6 杀人; 337 others (盗窃 200, 诈骗 137).
    put(world, "a", 2017, 1, "injury", 15)
    put(world, "b", 2017, 11, "homicide", 6)
    put(world, "a", 2017, 6, "theft", 200)
    put(world, "b", 2017, 12, "fraud", 137)


def query(world, first, last, node=None, user=None):
    return Query(first, last, node or world.county, user)


def test_the_seed_reports_changes_are_worked_out_exactly(world):
    report_year(world)
    result = compute(query(world, dt.date(2017, 1, 1), dt.date(2017, 12, 31)), ["crimes"])["crimes"]
    assert result == {"total": 358, "total_previous": 490, "total_change": -0.2694,
                      "serious": 21, "serious_previous": 67, "serious_change": -0.6866}


def test_a_zero_previous_year_gives_no_change(world):
    put(world, "a", 2017, 4, "theft", 5)
    result = compute(query(world, dt.date(2017, 1, 1), dt.date(2017, 12, 31)), ["crimes"])["crimes"]
    assert (result["total"], result["total_previous"], result["total_change"]) == (5, 0, None)
    assert (result["serious"], result["serious_previous"], result["serious_change"]) == (0, 0, None)


def test_a_month_counts_when_its_first_day_lies_in_the_period(world):
    put(world, "a", 2017, 1, "theft", 1)
    put(world, "a", 2017, 2, "theft", 10)
    put(world, "a", 2017, 3, "theft", 100)
    put(world, "a", 2016, 2, "theft", 8)
    # 15 Jan – 2 Mar: February (1 Feb) and March (1 Mar) count, January (1 Jan) does not: 110.
    q = query(world, dt.date(2017, 1, 15), dt.date(2017, 3, 2))
    assert q["crimes.total"] == 110
    # The previous year's period is 2016-01-15 .. 2016-03-02: February 2016 only: 8; (110 − 8) / 8 = 12.75.
    assert q["crimes.total_previous"] == 8 and q["crimes.total_change"] == 12.75
    # A period inside one month holds no first day but its own if it starts on the 1st.
    assert query(world, dt.date(2017, 2, 2), dt.date(2017, 2, 28))["crimes.total"] == 0
    assert query(world, dt.date(2017, 2, 1), dt.date(2017, 2, 1))["crimes.total"] == 10


def test_a_township_counts_only_its_own_and_a_change_of_the_eight_list_counts_at_once(world):
    report_year(world)
    q = query(world, dt.date(2017, 1, 1), dt.date(2017, 12, 31), world.township("a"))
    assert (q["crimes.total"], q["crimes.total_previous"]) == (215, 367)
    # (215 − 367) / 367 = −152 / 367 = −0.414168… → −0.4142.
    assert q["crimes.total_change"] == -0.4142
    assert (q["crimes.serious"], q["crimes.serious_previous"]) == (15, 67)
    # 八类 is configuration, read at query time: with 抢劫 taken off the list 2016 loses its 27 (67 → 40).
    CrimeCategory.objects.filter(code__in=["kidnapping", "hijacking"]).update(serious=False)
    CrimeCategory.objects.filter(code="robbery").update(serious=False)
    q = query(world, dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    assert (q["crimes.serious"], q["crimes.serious_previous"]) == (21, 40)


def test_a_user_counts_only_what_they_may_read(world):
    report_year(world)
    q = query(world, dt.date(2017, 1, 1), dt.date(2017, 12, 31), user=world.users["township_b"])
    assert q["crimes.total"] == 143  # township b's own: 6 + 137
    assert query(world, dt.date(2017, 1, 1), dt.date(2017, 12, 31),
                 user=world.users["mediator_a"])["crimes.total"] == 0


def test_the_stats_command_prints_the_crime_keys(world):
    import io
    import json

    from django.core.management import call_command

    report_year(world)
    out = io.StringIO()
    call_command("stats", "--from", "2017-01-01", "--to", "2017-12-31", "--jurisdiction", "140311",
                 "--format", "json", stdout=out)
    crimes = json.loads(out.getvalue())["crimes"]
    assert crimes["total_change"] == -0.2694 and crimes["serious_change"] == -0.6866
