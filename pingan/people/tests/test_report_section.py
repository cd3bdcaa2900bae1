"""The special populations' part of the report (people/reports.py): the 救治救助 funds of the period's years and
the patients sent for compulsory treatment in the period, told only to those who may read them."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pingan.core.indicators import Query
from pingan.people.models import Fund, TreatmentEpisode
from pingan.people.reports import treatment_sentence
from pingan.people.testing import make_enrollment

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def treatments(world):
    # 2017's fund of 200,000 元 in the district; patients of village A sent 2017-03-01 and 2017-08-15 (one of them
    # twice, counted once), one of village B sent 2017-05-01, one of A sent 2016-12-30 (another year); a voluntary
    # stay in 2017 (not compulsory) does not count. 2016's fund of 150,000 元.
    Fund.objects.create(jurisdiction=world.county, name="严重精神障碍患者救治救助资金", year=2017, amount=Decimal("200000"))
    Fund.objects.create(jurisdiction=world.county, name="严重精神障碍患者救治救助资金", year=2016, amount=Decimal("150000"))

    def send(side, started, compulsory=True, enrollment=None):
        enrollment = enrollment or make_enrollment(world, side, enrolled_on=d(2015, 1, 1))
        TreatmentEpisode.objects.create(enrollment=enrollment, jurisdiction_id=enrollment.jurisdiction_id,
                                        compulsory=compulsory, hospital="阳泉市第三人民医院", started_on=started)
        return enrollment
    first = send("a", d(2017, 3, 1))
    send("a", d(2017, 8, 15), enrollment=first)
    send("a", d(2017, 8, 20))
    send("b", d(2017, 5, 1))
    send("a", d(2016, 12, 30))
    send("a", d(2017, 6, 1), compulsory=False)


def test_the_system_report_states_the_fund_and_the_three_sent_in_2017(world, treatments):
    q = Query(d(2017, 1, 1), d(2017, 12, 31), world.county, None)
    assert treatment_sentence(q) == "落实严重精神障碍患者救治救助资金20万元；将3名严重精神障碍患者强制送医治疗。"
    both = Query(d(2016, 1, 1), d(2017, 12, 31), world.county, None)
    assert treatment_sentence(both) == "落实严重精神障碍患者救治救助资金35万元；将4名严重精神障碍患者强制送医治疗。"


def test_a_township_officer_counts_its_own_and_a_leader_without_health_data_sees_no_treatments(world, treatments):
    officer_a = world.officer("a")
    # The district's fund is not the township's; its patients sent in 2017: the two of village A.
    assert treatment_sentence(Query(d(2017, 1, 1), d(2017, 12, 31), world.township("a"), officer_a)) == \
        "将2名严重精神障碍患者强制送医治疗。"
    leader = world.users["leader"]
    assert treatment_sentence(Query(d(2017, 1, 1), d(2017, 12, 31), world.county, leader)) == \
        "落实严重精神障碍患者救治救助资金20万元。"
