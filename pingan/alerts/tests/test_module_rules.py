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
    assert {"events", "hazards", "disputes", "petitions", "people", "security", "hall", "crimes",
            "campaigns"} <= modules
    keys = {r.key for r in rules()}
    assert {"hazards.overdue", "events.overdue", "disputes.overdue", "petitions.assigned_overdue",
            "people.overdue_visit", "hall.unrouted", "security.cameras_faulty", "crimes.rise",
            "campaigns.overdue"} <= keys


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


def test_a_township_whose_crimes_rose_is_warned_orange(world):
    from pingan.crimes.models import CrimeCategory, CrimeCount
    from pingan.crimes.testing import ensure_categories

    ensure_categories()
    theft = CrimeCategory.objects.get(code="theft")

    def put(side, month, count):
        CrimeCount.objects.create(month=month, jurisdiction=world.township(side), category=theft, count=count)
    # Scanned on 2017-04-10: the last complete month is March 2017, set against March 2016.
    put("a", dt.date(2017, 3, 1), 13)  # 13 against 10: +30% and at least 10 → warned
    put("a", dt.date(2016, 3, 1), 10)
    put("b", dt.date(2017, 3, 1), 12)  # 12 against 10: +20%, under 30% → not warned
    put("b", dt.date(2016, 3, 1), 10)
    put("a", dt.date(2017, 2, 1), 50)  # another month: not looked at
    now = dt.datetime(2017, 4, 10, 9, tzinfo=dt.timezone.utc)
    assert run_scan(now=now, keys=["crimes.rise"])["crimes.rise"] == {"raised": 1, "resolved": 0}
    alert = Alert.objects.get(rule="crimes.rise")
    assert alert.jurisdiction == world.township("a") and alert.level == "orange" and alert.module == "crimes"
    assert alert.title == "河底镇2017年03月刑事案件立案数同比上升"
    assert "立案 13 起，去年同月 10 起，上升 30.0%" in alert.reason
    # In May the March figures are no longer the last month's: the scan closes it.
    assert run_scan(now=dt.datetime(2017, 5, 10, 9, tzinfo=dt.timezone.utc),
                    keys=["crimes.rise"])["crimes.rise"] == {"raised": 0, "resolved": 1}


def test_an_overdue_clue_is_warned_as_clue_data(world):
    from pingan.accounts.testing import add_role_net_personas
    from pingan.campaigns.testing import make_clue

    add_role_net_personas(world)
    clue = make_clue(world)
    run_scan(now=clue.due_at + dt.timedelta(days=2), keys=["campaigns.overdue"])
    alert = Alert.objects.get(rule="campaigns.overdue")
    assert alert.data_kind == "clue" and alert.module == "campaigns"
    # The township's office and the centre see it; the village officer, the grid worker and the mediator, who
    # may not read clues, do not.
    assert Alert.objects.visible_to(world.users["center_staff"]).filter(pk=alert.pk).exists()
    assert Alert.objects.visible_to(world.officer("a")).filter(pk=alert.pk).exists()
    for name in ("village_a", "grid_a", "mediator_a"):
        assert not Alert.objects.visible_to(world.users[name]).filter(pk=alert.pk).exists(), name
