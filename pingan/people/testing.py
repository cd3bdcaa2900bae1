"""Leak-test factories and test helpers for the people module."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pingan.core import personal
from pingan.core.testing import leak_factory, marked, new_marker

from . import choices as c
from . import services
from .models import Fund, FundSpending, Household, Person, RentalHouse, SpecialEnrollment, TreatmentEpisode, Visit

REGION = {"a": "140311", "b": "140302"}
_serial = {"n": 0}


def make_id(birth: str = "19800101", side: str = "a", sex: str = "1") -> str:
    """A valid 18-digit ID number (unique per call) for tests."""
    _serial["n"] += 1
    n = _serial["n"]
    digit17 = (n // 100) % 5 * 2 + (1 if sex == "1" else 0)  # odd = male, even = female
    first17 = f"{REGION[side]}{birth}{n % 100:02d}{digit17}"
    return first17 + personal.check_char(first17)


def make_person(world, side: str = "a", name: str | None = None, **data) -> Person:
    id_number = data.pop("id_number", None) or make_id(side=side, sex=data.get("sex", "1"))
    phone = data.pop("phone", "")
    payload = {"name": name or f"测试人员{side.upper()}甲", "person_type": c.PersonType.REGISTERED,
               "current_address": f"{world.village(side).short_name}{side.upper()}号院", **data}
    return services.person_register(actor=None, grid=world.grid(side), data=payload, id_number=id_number, phone=phone)


def make_enrollment(world, side: str = "a", person: Person | None = None, kind: str = c.SpecialKind.MENTAL,
                    risk_level: str = "1", enrolled_on: dt.date | None = None, details: dict | None = None,
                    **extra) -> SpecialEnrollment:
    person = person or make_person(world, side)
    defaults = {
        c.SpecialKind.MENTAL: {"diagnosis": c.MentalDiagnosis.SCHIZOPHRENIA, "guardian_name": "监护人甲"},
        c.SpecialKind.RELEASED: {"crime": "盗窃罪", "sentence": "3年", "release_date": dt.date(2023, 5, 1)},
        c.SpecialKind.CORRECTION: {"category": "缓刑", "starts_on": dt.date(2024, 1, 1), "ends_on": dt.date.today() + dt.timedelta(days=300)},
        c.SpecialKind.DRUG: {"control_status": c.DrugControl.CONTROLLED},
        c.SpecialKind.AIDS: {"route": c.AidsRoute.UNKNOWN, "attention": c.AidsAttention.INFECTED},
        c.SpecialKind.YOUTH: {"youth_type": c.YouthType.IDLE},
    }[kind]
    if kind != c.SpecialKind.MENTAL and risk_level in c.MentalRisk.values:
        risk_level = "medium"
    return services.special_person_enroll(actor=None, person=person, kind=kind,
                                          enrolled_on=enrolled_on or dt.date.today() - dt.timedelta(days=30),
                                          risk_level=risk_level, details=details or defaults, **extra)


@leak_factory(Person)
def _person(world, side):
    marker = new_marker()
    return marked(make_person(world, side, name=f"泄露{marker}", current_address=f"{world.village(side).short_name}{marker}号"),
                  marker)


@leak_factory(Household)
def _household(world, side):
    marker = new_marker()
    return marked(services.household_create(actor=None, grid=world.grid(side), number=marker,
                                            address=f"{world.village(side).short_name}{marker}户"), marker)


@leak_factory(RentalHouse)
def _rental(world, side):
    marker = new_marker()
    return marked(services.rental_house_register(actor=None, grid=world.grid(side),
                                                 data={"address": f"{world.village(side).short_name}{marker}出租屋",
                                                       "owner_name": f"房主{side.upper()}某"}), marker)


def _marked_enrollment(world, side, kind):
    """An enrolment whose own fields (责任人, 措施) carry the marker, not its person's name: the person is a
    person row that a mediator may see even when the enrolment is a health row that it may not."""
    marker = new_marker()
    enrollment = make_enrollment(world, side, person=make_person(world, side), kind=kind,
                                 responsible_name=f"责任人{marker}", measures=f"{marker}帮扶措施")
    return marked(enrollment, marker)


@leak_factory(SpecialEnrollment)
def _enrollment(world, side):
    return _marked_enrollment(world, side, c.SpecialKind.MENTAL)  # health


@leak_factory(SpecialEnrollment, variant="other")
def _enrollment_other(world, side):
    return _marked_enrollment(world, side, c.SpecialKind.RELEASED)  # not health


def _marked_visit(world, side, kind):
    marker = new_marker()
    enrollment = make_enrollment(world, side, person=make_person(world, side), kind=kind)
    visit = services.visit_record(actor=None, enrollment=enrollment, visited_on=dt.date.today(), form=c.VisitForm.HOME,
                                  findings=f"{marker}走访情况正常", visitor_name=f"走访人{marker}")
    return marked(visit, marker)


@leak_factory(Visit)
def _visit(world, side):
    return _marked_visit(world, side, c.SpecialKind.MENTAL)  # health


@leak_factory(Visit, variant="other")
def _visit_other(world, side):
    return _marked_visit(world, side, c.SpecialKind.RELEASED)  # not health


@leak_factory(TreatmentEpisode)
def _episode(world, side):
    marker = new_marker()
    enrollment = make_enrollment(world, side, person=make_person(world, side))
    return marked(services.treatment_episode_record(actor=None, enrollment=enrollment, hospital=f"{marker}医院",
                                                    started_on=dt.date.today() - dt.timedelta(days=5)), marker)


@leak_factory(Fund)
def _fund(world, side):
    marker = new_marker()
    return marked(services.fund_create(actor=None, jurisdiction=world.township(side), name=f"{marker}救助资金",
                                       year=dt.date.today().year, amount=Decimal("10000")), marker)


def _marked_spending(world, side, kind):
    marker = new_marker()
    fund = services.fund_create(actor=None, jurisdiction=world.township(side), name=f"{side.upper()}镇救助资金",
                                year=dt.date.today().year, amount=Decimal("10000"))
    enrollment = make_enrollment(world, side, person=make_person(world, side), kind=kind)
    return marked(services.fund_spend(actor=None, fund=fund, enrollment=enrollment, spent_on=dt.date.today(),
                                      amount=Decimal("100"), purpose=f"{marker}补助"), marker)


@leak_factory(FundSpending)
def _spending(world, side):
    return _marked_spending(world, side, c.SpecialKind.MENTAL)  # health


@leak_factory(FundSpending, variant="other")
def _spending_other(world, side):
    return _marked_spending(world, side, c.SpecialKind.RELEASED)  # not health
