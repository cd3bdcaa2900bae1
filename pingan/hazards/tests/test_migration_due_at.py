"""Migration 0002: an existing hazard's date `deadline` becomes `due_at`, the end of that date (Beijing), and
back. Runs the real migration on this test database (SQLite and PostgreSQL)."""
import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pingan.core.testing import migrate_to

BJ = zoneinfo.ZoneInfo("Asia/Shanghai")
BEFORE = [("hazards", "0001_initial")]

pytestmark = pytest.mark.django_db(transaction=True)


def test_deadline_becomes_the_end_of_that_day_and_back():
    # Every app's last migration: going back unapplies the apps that depend on this one (security's patrols
    # point at events), so the way forward must bring them all back, not this app alone.
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate_to(BEFORE)
    Node = old.get_model("geo", "Node")
    Hazard = old.get_model("hazards", "Hazard")
    village = Node.objects.create(code="140311101299", name="测试村", level="village",
                                  path="140311/140311101/140311101299/", depth=2)
    common = dict(screened_on=dt.date(2026, 11, 1), hazard_type="01", risk_level="02", description="x",
                  rectify_deadline=dt.date(2026, 12, 10), jurisdiction=village)
    Hazard.objects.create(number="M-1", state="pending", deadline=dt.date(2026, 12, 10), **common)
    Hazard.objects.create(number="M-2", state="rectified", deadline=None, **common)
    try:
        new = migrate_to(latest)
        rows = dict(new.get_model("hazards", "Hazard").objects.values_list("number", "due_at"))
        # 2026-12-10 → due at the midnight starting 12-11, Beijing time; no deadline → no due moment.
        assert rows == {"M-1": dt.datetime(2026, 12, 11, 0, 0, tzinfo=BJ), "M-2": None}
        back = migrate_to(BEFORE)
        dates = dict(back.get_model("hazards", "Hazard").objects.values_list("number", "deadline"))
        assert dates == {"M-1": dt.date(2026, 12, 10), "M-2": None}
    finally:
        migrate_to(latest)
