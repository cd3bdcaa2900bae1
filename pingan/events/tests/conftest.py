import pytest

from pingan.events.testing import make_categories


@pytest.fixture
def cats(world):
    return make_categories(world)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
