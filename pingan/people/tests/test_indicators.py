"""People indicators: counts per type on a date, active special people, visits due/done/rate."""
import datetime as dt

import pytest

from pingan.core.indicators import Query, compute
from pingan.people import choices as c
from pingan.people import services
from pingan.people.testing import make_enrollment, make_person

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_people_and_special_people_indicators(world):
    make_person(world, "a", name="户籍甲")
    make_person(world, "a", name="流动乙", person_type=c.PersonType.FLOATING, inflow_reason="01")
    gone = make_person(world, "a", name="迁出丙", registered_on=TODAY - dt.timedelta(days=40))
    services.person_deregister(actor=None, person=gone, on=TODAY - dt.timedelta(days=1), reason="迁出")
    make_person(world, "b", name="荫营丁")
    on_time = make_enrollment(world, "a", risk_level="1", enrolled_on=TODAY - dt.timedelta(days=10))  # due in 4 days
    services.visit_record(actor=None, enrollment=on_time, visited_on=TODAY, form="home", findings="正常")
    make_enrollment(world, "a", person=make_person(world, "a", name="逾期戊"), risk_level="2",
                    enrolled_on=TODAY - dt.timedelta(days=20))  # due 6 days ago, not visited
    make_enrollment(world, "a", person=make_person(world, "a", name="吸毒己"), kind=c.SpecialKind.DRUG, risk_level="low")

    q = Query(TODAY - dt.timedelta(days=30), TODAY + dt.timedelta(days=7), world.township("a"))
    result = compute(q, ["people", "special_people"])
    assert result["people"]["total"] == 5
    assert result["people"]["by_type"]["流动人口"] == 1 and result["people"]["by_type"]["户籍人口"] == 4
    assert result["special_people"]["active"] == 3
    assert result["special_people"]["by_type"]["严重精神障碍患者"] == 2
    assert result["special_people"]["visits_due"] == 2
    assert result["special_people"]["visits_done"] == 1
    assert result["special_people"]["visit_rate"] == 0.5
    other = compute(Query(TODAY - dt.timedelta(days=30), TODAY, world.township("b")), ["people"])
    assert other["people"]["total"] == 1


def test_a_role_without_health_permission_gets_no_health_counts(world):
    make_enrollment(world, "a", risk_level="1")
    q = Query(TODAY - dt.timedelta(days=30), TODAY, world.township("a"), user=world.users["mediator_a"])
    result = compute(q, ["special_people"])
    assert "严重精神障碍患者" not in result["special_people"]["by_type"]
    assert result["special_people"]["active"] == 0
