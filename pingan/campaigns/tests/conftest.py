import pytest


@pytest.fixture(autouse=True)
def holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()
