"""Migration 0004 (one due moment): an event already fed back keeps the handling due moment it was measured
against (`handling_due_at` → `handled_due_at`, for 按期结案); `due_at` keeps its column and values; and back.
Runs the real migration on this test database (SQLite and PostgreSQL)."""
import datetime as dt
import zoneinfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pingan.core.testing import migrate_to

BJ = zoneinfo.ZoneInfo("Asia/Shanghai")
BEFORE = [("events", "0003_reporter_contact_encrypted_public_display")]
AFTER = [("events", "0004_one_due_moment")]

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_handling_due_moment_of_a_fed_back_event_is_kept_and_restored():
    # Every app's last migration: going back unapplies the apps that depend on this one (security's patrols
    # point at events), so the way forward must bring them all back, not this app alone.
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate_to(BEFORE)
    Node = old.get_model("geo", "Node")
    Category = old.get_model("events", "Category")
    Event = old.get_model("events", "Event")
    grid = Node.objects.create(code="140311101299001", name="测试网格", level="grid",
                               path="140311/140311101/140311101299/140311101299001/", depth=3)
    parent = Category.objects.create(jurisdiction=grid, code="97", name="测试大类")
    category = Category.objects.create(jurisdiction=grid, code="9701", name="测试小类", parent=parent)
    common = dict(jurisdiction=grid, category=category, description="x",
                  reported_at=dt.datetime(2026, 11, 27, 9, tzinfo=BJ))
    handling = dt.datetime(2026, 11, 30, 11, 30, tzinfo=BJ)
    day = dt.date(2026, 11, 30)
    Event.objects.create(number="M-1", state="closed", public_token="t1",
                         handled_at=dt.datetime(2026, 11, 30, 10, tzinfo=BJ), handling_due_at=handling,
                         handling_deadline=day, deadline_text="4 工作小时", **common)
    Event.objects.create(number="M-2", state="handling", public_token="t2", due_at=handling,
                         handling_due_at=handling, handling_deadline=day, deadline=day, deadline_text="4 工作小时",
                         **common)
    try:
        new = migrate_to(AFTER)
        rows = {n: (h, d) for n, h, d in new.get_model("events", "Event").objects.values_list(
            "number", "handled_due_at", "due_at")}
        assert rows == {"M-1": (dt.datetime(2026, 11, 30, 11, 30, tzinfo=BJ), None),
                        "M-2": (None, dt.datetime(2026, 11, 30, 11, 30, tzinfo=BJ))}
        back = migrate_to(BEFORE)
        rows = {r[0]: r[1:] for r in back.get_model("events", "Event").objects.values_list(
            "number", "handling_due_at", "handling_deadline", "deadline")}
        assert rows == {"M-1": (dt.datetime(2026, 11, 30, 11, 30, tzinfo=BJ), None, None),
                        "M-2": (dt.datetime(2026, 11, 30, 11, 30, tzinfo=BJ), dt.date(2026, 11, 30),
                                dt.date(2026, 11, 30))}
    finally:
        migrate_to(latest)
