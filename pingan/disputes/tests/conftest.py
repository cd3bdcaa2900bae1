import pytest

from pingan.disputes.testing import make_mediator, make_org


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()


@pytest.fixture
def committee(world):
    """固庄村委会人民调解委员会 (township a's village committee, no department) with 王调解, the account
    mediator_a's register entry."""
    org = make_org(world, "a")
    return org, make_mediator(world, org, "王调解", user=world.users["mediator_a"])


@pytest.fixture
def committee_b(world):
    org = make_org(world, "b")
    return org, make_mediator(world, org, "赵调解", user=world.users["mediator_b"])
