"""Warnings from all modules in one centre: every module with deadlines registers its rules; the shared
overdue scan (pingan.cases.overdue) on the hazards register; the security module's faulty-camera rule; the
anomaly warning states its expected value and its test. Expectations worked out by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from pingan.alerts.models import Alert
from pingan.alerts.registry import rules
from pingan.alerts.services import rule_setting_save, run_scan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()


def test_every_module_with_deadlines_or_risks_registers_rules():
    modules = {r.module for r in rules()}
    assert {"events", "hazards", "disputes", "petitions", "people", "security", "hall"} <= modules
    keys = {r.key for r in rules()}
    assert {"hazards.overdue", "events.overdue", "disputes.overdue", "petitions.assigned_overdue",
            "people.overdue_visit", "hall.unrouted", "security.cameras_faulty"} <= keys


def test_an_overdue_hazard_is_warned_yellow_then_orange_and_closed_once_rectified(world):
    from pingan.hazards.testing import make_hazard

    hazard = make_hazard(world)
    due = hazard.due_at
    assert run_scan(now=due - dt.timedelta(hours=1), keys=["hazards.overdue"])["hazards.overdue"]["raised"] == 0
    run_scan(now=due + dt.timedelta(days=3, hours=1), keys=["hazards.overdue"])
    alert = Alert.objects.get(rule="hazards.overdue")
    assert alert.level == "yellow" and alert.module == "hazards"
    assert alert.title == f"{hazard.number} 火灾隐患整治超期"
    assert "已超期 3 天仍未办结（超期 0 天即预警，15 天及以上为橙色）" in alert.reason
    assert alert.jurisdiction == world.village("a") and alert.department == world.departments["police_a"]
    assert alert.source_id == str(hazard.pk)
    # The same overdue hazard is one warning however often the scan runs.
    run_scan(now=due + dt.timedelta(days=20), keys=["hazards.overdue"])
    assert Alert.objects.filter(rule="hazards.overdue").count() == 1
    # No longer overdue at an earlier moment (as after a 延期): the scan closes it, 原因已消除.
    totals = run_scan(now=due - dt.timedelta(hours=1), keys=["hazards.overdue"])
    assert totals["hazards.overdue"] == {"raised": 0, "resolved": 1}
    alert.refresh_from_db()
    assert alert.status == "handled" and alert.handled_note == "原因已消除"


def test_a_hazard_overdue_by_fifteen_days_is_orange_and_the_window_leaves_old_ones_out(world):
    from pingan.hazards.testing import make_hazard

    hazard = make_hazard(world)
    run_scan(now=hazard.due_at + dt.timedelta(days=15, hours=1), keys=["hazards.overdue"])
    assert Alert.objects.get(rule="hazards.overdue").level == "orange"
    Alert.objects.all().delete()
    # Screened 3 days before today; a window of 2 days leaves it out.
    rule_setting_save(actor=world.users["center_staff"], node=world.county, rule="hazards.overdue", enabled=True,
                      params={"window": 2})
    run_scan(now=hazard.due_at + dt.timedelta(days=1), keys=["hazards.overdue"])
    assert not Alert.objects.filter(rule="hazards.overdue").exists()


def test_a_village_with_six_faulty_cameras_is_warned(world):
    from pingan.security.models import Camera
    from pingan.security.testing import make_camera

    for _ in range(6):
        make_camera(world, "a")
    for _ in range(5):
        make_camera(world, "b")
    Camera.objects.update(status="faulty")
    run_scan(keys=["security.cameras_faulty"])
    alert = Alert.objects.get(rule="security.cameras_faulty")
    assert alert.jurisdiction == world.village("a")  # 5 in village b: below the 6 of the default
    assert alert.title == "固庄村委会有 6 个视频探头故障" and alert.level == "yellow"
    assert "达到 6 个即预警" in alert.reason
    rule_setting_save(actor=world.users["center_staff"], node=world.county, rule="security.cameras_faulty",
                      enabled=True, params={"cameras": 7})
    assert run_scan(keys=["security.cameras_faulty"])["security.cameras_faulty"] == {"raised": 0, "resolved": 1}
