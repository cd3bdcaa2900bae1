"""Reference data loaded by migrations survives a transactional test's flush (conftest.py reloads it)."""
import pytest

from pingan.core.models import CalendarDay
from pingan.people.models import VisitRule


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_flushes_the_tables(world):
    assert CalendarDay.objects.exists()


@pytest.mark.django_db
def test_the_holidays_and_visit_rules_are_back_after_the_flush():
    assert CalendarDay.objects.filter(name__contains="春节").exists()
    assert VisitRule.objects.filter(kind="mental", risk_level="0", interval_days=90).exists()
