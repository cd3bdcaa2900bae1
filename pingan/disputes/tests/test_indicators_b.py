"""Dispute indicators as indicators.md defines them, with hand-worked expected values: 59 screened and 53
resolved give 0.8983; in progress is 排查登记 + 调处中; mass is 一般/重大群体性; the period is 登记日期's; the
subsidy due is by 办结日期, at the frozen sheet amount or the current rate."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pingan.cases import engine
from pingan.core.indicators import Query, compute
from pingan.disputes import choices as c
from pingan.disputes import subsidy
from pingan.disputes.models import Dispute, SubsidyRate

from .b_helpers import S, dispute, mediator

YEAR = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))


def _bulk(world, count, state, *, side="a", registered=dt.date(2017, 6, 1), scale=c.Scale.INDIVIDUAL, **extra):
    cases = [Dispute(jurisdiction=world.village(side), title="纠纷", occurred_on=registered, registered_on=registered,
                     category="01", summary="情况", state=state, scale=scale, **extra) for _ in range(count)]
    engine.case_register_bulk(actor=None, cases=cases, day_of=lambda d: d.registered_on)


def test_59_screened_53_resolved_gives_0_8983(world):
    closed = dt.date(2017, 7, 1)
    _bulk(world, 40, S.ARCHIVED, closed_on=closed)
    _bulk(world, 13, S.SETTLED, side="b", closed_on=closed)
    _bulk(world, 2, S.REGISTERED, scale=c.Scale.GROUP)
    _bulk(world, 1, S.MEDIATING, scale=c.Scale.MAJOR_GROUP)
    _bulk(world, 2, S.FAILED, closed_on=closed)
    _bulk(world, 1, S.TRANSFERRED, closed_on=closed, scale=c.Scale.GROUP)
    # Outside the period (登记日期 2016-12-31 and 2018-01-01): not counted.
    _bulk(world, 1, S.ARCHIVED, registered=dt.date(2016, 12, 31), closed_on=dt.date(2017, 1, 5))
    _bulk(world, 1, S.REGISTERED, registered=dt.date(2018, 1, 1))
    result = compute(Query(*YEAR, world.county))["disputes"]
    # 40 + 13 + 2 + 1 + 2 + 1 = 59; resolved 40 + 13 = 53; 53 / 59 = 0.89830… → 0.8983
    assert result == {"screened": 59, "resolved": 53, "resolution_rate": 0.8983, "in_progress": 3, "mass": 4}
    # Township B alone: 13 of 13.
    b = compute(Query(*YEAR, world.township("b")))["disputes"]
    assert (b["screened"], b["resolved"], b["resolution_rate"]) == (13, 13, 1.0)


def test_an_empty_period_has_no_rate(world):
    result = compute(Query(*YEAR, world.county))["disputes"]
    assert result["screened"] == 0 and result["resolution_rate"] is None


def test_a_user_sees_only_their_township(world):
    _bulk(world, 3, S.ARCHIVED, closed_on=dt.date(2017, 7, 1))
    _bulk(world, 2, S.ARCHIVED, side="b", closed_on=dt.date(2017, 7, 1))
    result = compute(Query(*YEAR, world.county, user=world.officer("b")))["disputes"]
    assert result["screened"] == 2


def test_subsidy_total_by_closing_date_at_frozen_or_current_amounts(world):
    zhang = mediator(world, "a")
    wang = mediator(world, "b")
    # March, approved sheet in A: 简易 + 重大疑难 = 50 + 200 = 250 (frozen).
    dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 3, 5), grade=c.Grade.SIMPLE, who=zhang)
    dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 3, 9), grade=c.Grade.MAJOR, who=zhang)
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month="2017-03")
    subsidy.sheet_approve(actor=world.users["center_staff"], sheet=sheet)
    # Then the district raises 简易 to 60 and 荫营镇 sets 一般 at 120.
    SubsidyRate.objects.create(jurisdiction=world.county, grade=c.Grade.SIMPLE, amount=Decimal("60"))
    SubsidyRate.objects.create(jurisdiction=world.township("b"), grade=c.Grade.GENERAL, amount=Decimal("120"))
    # Not on a sheet: B 一般 (120) and B 简易 (60), A 一般 (100).
    dispute(world, "b", state=S.SETTLED, closed=dt.date(2017, 5, 2), grade=c.Grade.GENERAL, who=wang)
    dispute(world, "b", state=S.ARCHIVED, closed=dt.date(2017, 6, 2), grade=c.Grade.SIMPLE, who=wang)
    dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 8, 2), grade=c.Grade.GENERAL, who=zhang)
    # Not counted: ungraded, failed, closed in 2018, registered in 2016 but closed in 2017 counts (by 办结日期).
    dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 8, 3), who=zhang)
    dispute(world, "a", state=S.FAILED, closed=dt.date(2017, 8, 4), who=zhang)
    dispute(world, "a", state=S.ARCHIVED, registered=dt.date(2017, 12, 20), closed=dt.date(2018, 1, 3),
            grade=c.Grade.MAJOR, who=zhang)
    dispute(world, "b", state=S.ARCHIVED, registered=dt.date(2016, 12, 20), closed=dt.date(2017, 1, 3),
            grade=c.Grade.MAJOR, who=wang)
    result = compute(Query(*YEAR, world.county))["mediation"]
    # 简易: 50 (frozen) + 60 = 110; 一般: 120 + 100 = 220; 重大疑难: 200 (frozen) + 200 = 400; total 730.
    assert result == {"subsidy_total": 730, "subsidy_by_grade": {"简易": 110, "一般": 220, "重大疑难": 400}}
    a = compute(Query(*YEAR, world.township("a")))["mediation"]
    # A: 50 + 200 + 100 = 350
    assert a["subsidy_total"] == 350


@pytest.mark.parametrize("key", ["disputes.screened", "disputes.resolved", "disputes.resolution_rate",
                                 "disputes.in_progress", "disputes.mass", "mediation.subsidy_total"])
def test_every_indicator_of_indicators_md_is_registered(key):
    from pingan.core import indicators

    indicators.autodiscover()
    assert indicators.get(key).label
