import pytest


@pytest.fixture(autouse=True)
def categories(db):
    from pingan.crimes.testing import ensure_categories

    ensure_categories()
