"""Demo people (pingan/people/seed.py): the register has a past — residents registered mostly before 2016, some
deregistered; enrolments under management today and ended ones, every kind managed through 2016 and 2017;
visits of 2016–2017 and of the last twelve months; the 2017 fund of 200,000 元 and its 4 compulsory treatments,
this year's fund; deterministic per seed; idempotent; nothing for a structure-only seed.

The test world has one grid in 河底镇 (the small scale's fuller township): 400 residents there make the six
kinds' small-scale minimums (14 精神障碍, 8 刑满释放, 4 社区矫正, 5 吸毒, 2 艾滋病, 5 重点青少年) and their pasts."""
import datetime as dt
from decimal import Decimal

import pytest

from pingan.core.seed import SeedContext
from pingan.people import seed as people_seed
from pingan.people.models import Fund, FundSpending, Person, SpecialEnrollment, TreatmentEpisode, Visit

KINDS = ("released", "correction", "mental", "drug", "aids", "youth")


def ctx(structure_only=False, seed=2017):
    return SeedContext(seed=seed, scale="small", structure_only=structure_only, password="x", password_hash="x")


@pytest.fixture
def seeded(world, monkeypatch):
    monkeypatch.setattr(people_seed, "SMALL_FOCUS_PER_GRID", (400, 400))
    people_seed.seed_people(ctx())
    return world


def active_kinds(day):
    return set(SpecialEnrollment.objects.active_on(day).values_list("kind", flat=True))


def test_residents_registered_mostly_before_2016(seeded):
    today = dt.date.today()
    people = list(Person.objects.values_list("registered_on", "deregistered_on", "birth_date"))
    assert len(people) >= 400
    before = sum(1 for registered, _d, _b in people if registered < dt.date(2016, 1, 1))
    assert 0.7 <= before / len(people) <= 0.9  # 80% drawn before 2016 (later for children born since)
    assert all(registered <= today - dt.timedelta(days=30) or registered == born for registered, _d, born in people)
    assert all(born is None or registered >= born for registered, _d, born in people)
    gone = [(registered, deregistered) for registered, deregistered, _b in people if deregistered]
    assert gone and all(registered < deregistered < today for registered, deregistered in gone)
    assert Person.objects.on(dt.date(2016, 12, 31)).count() < Person.objects.on(dt.date(2017, 12, 31)).count()


def test_every_kind_under_management_in_2016_2017_and_today(seeded):
    for day in (dt.date(2016, 12, 31), dt.date(2017, 12, 31), dt.date.today()):
        assert active_kinds(day) == set(KINDS), day
    ended = SpecialEnrollment.objects.exclude(pk__in=SpecialEnrollment.objects.active().values("pk"))
    # The past: more ended than under management today for the kinds with a fixed term.
    for kind in ("released", "correction", "youth"):
        assert ended.filter(kind=kind).count() > SpecialEnrollment.objects.active().filter(kind=kind).count()
    assert not ended.filter(next_visit_on__isnull=False).exclude(kind__in=["released", "correction"]).exists()
    assert all(e.released_on is None or e.enrolled_on < e.released_on
               for e in SpecialEnrollment.objects.all())


def test_visits_of_2016_2017_and_the_last_twelve_months(seeded):
    today = dt.date.today()
    visits = list(Visit.objects.select_related("enrollment").order_by("pk"))
    assert all(v.on_time == (v.visited_on <= v.due_on) for v in visits)
    assert all(v.enrollment.enrolled_on <= v.visited_on <= today for v in visits)
    assert all(v.enrollment.released_on is None or v.visited_on < v.enrollment.released_on for v in visits)
    years = {v.visited_on.year for v in visits}
    assert {2016, 2017, today.year} <= years
    # No visits between 2018 and a year ago except the one before a management ended.
    middle = [v for v in visits if dt.date(2018, 2, 1) <= v.visited_on < today - dt.timedelta(days=366)]
    assert all(v.enrollment.released_on or v.enrollment.planned_end_on for v in middle)
    # The plan of those under management today follows their last visit, as a visit would set it.
    for e in SpecialEnrollment.objects.active().exclude(last_visit_on=None):
        assert Visit.objects.filter(enrollment=e, visited_on=e.last_visit_on).exists()
        assert e.next_visit_on > e.last_visit_on
    assert SpecialEnrollment.objects.active().filter(next_visit_on__lt=today).exists()  # some overdue now


def test_the_2017_fund_and_the_four_sent_for_treatment(seeded):
    today = dt.date.today()
    assert list(Fund.objects.order_by("year").values_list("year", "amount")) == \
        [(2017, Decimal("200000")), (today.year, Decimal("200000"))]
    episodes = TreatmentEpisode.objects.filter(compulsory=True, started_on__year=2017).select_related("enrollment")
    assert len(episodes) == 4 and len({e.enrollment_id for e in episodes}) == 4
    assert all(e.enrollment.kind == "mental" and e.enrollment.enrolled_on < dt.date(2017, 1, 1)
               and e.ended_on.year == 2017 for e in episodes)
    spent = FundSpending.objects.filter(fund__year=2017)
    assert sorted(s.episode_id for s in spent) == sorted(e.pk for e in episodes)
    assert all(s.spent_on == s.episode.ended_on and Decimal(8000) <= s.amount < Decimal(20000) for s in spent)
    recent = TreatmentEpisode.objects.filter(started_on__gte=today - dt.timedelta(days=200))
    assert {e.enrollment_id for e in recent} == {e.enrollment_id for e in episodes}  # the same four again
    assert all(e.ended_on is None or e.ended_on <= today for e in recent)


def test_idempotent_and_structure_only_adds_nothing(seeded):
    counts = (Person.objects.count(), SpecialEnrollment.objects.count(), Visit.objects.count(), Fund.objects.count())
    people_seed.seed_people(ctx())
    people_seed.seed_people(ctx(structure_only=True))
    assert (Person.objects.count(), SpecialEnrollment.objects.count(), Visit.objects.count(),
            Fund.objects.count()) == counts


def test_structure_only_on_an_empty_district(world):
    people_seed.seed_people(ctx(structure_only=True))
    assert Person.objects.count() == 0
