import datetime as dt
import zoneinfo

import pytest

BJ = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clock(monkeypatch):
    """Set the clock to a Beijing day (10:00): `clock(dt.date(2026, 3, 2))`. Every `timezone.now()` and
    `timezone.localdate()` of the engine and the services reads it."""
    from django.utils import timezone

    def set_day(day: dt.date, hour: int = 10):
        moment = dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BJ)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return set_day


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")


def png(name="来信.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="image/png")
