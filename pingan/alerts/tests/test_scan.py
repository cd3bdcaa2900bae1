"""The periodic scan: a rule's scan yields the current set; new ones are raised, gone ones closed. And the
people module's overdue-visit rule on hand-made enrolments."""
from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from pingan.alerts.models import Alert, AlertRuleSetting
from pingan.alerts.registry import _RULES, AlertSpec, Rule, register_rule
from pingan.alerts.services import run_scan
from pingan.people.models import SpecialEnrollment

pytestmark = pytest.mark.django_db

SCAN_RULE = "alerts.scan_test"


@pytest.fixture
def current():
    """The set the test rule's scan yields: (side, key) pairs, changed by each test."""
    found: list[tuple[object, str]] = []

    def scan(params, now):
        for place, key in found:
            yield AlertSpec(rule=SCAN_RULE, jurisdiction=place, title=f"超期 {key}", reason=f"超期（{params['days']} 天）",
                            source=None, key=key)

    register_rule(Rule(key=SCAN_RULE, label="扫描测试", module="alerts", params={"days": (3, "天数")}, level="yellow",
                       scan=scan))
    yield found
    _RULES.pop(SCAN_RULE, None)


def test_a_scan_raises_what_it_finds_and_closes_what_it_no_longer_finds(world, current):
    current += [(world.village("a"), "x1"), (world.village("b"), "x2")]
    assert run_scan(keys=[SCAN_RULE]) == {SCAN_RULE: {"raised": 2, "resolved": 0}}
    assert run_scan(keys=[SCAN_RULE]) == {SCAN_RULE: {"raised": 0, "resolved": 0}}
    assert Alert.objects.get(key="x1").reason == "超期（3 天）"
    current.pop(0)
    assert run_scan(keys=[SCAN_RULE]) == {SCAN_RULE: {"raised": 0, "resolved": 1}}
    gone = Alert.objects.get(key="x1")
    assert (gone.status, gone.handled_note) == ("handled", "原因已消除")
    assert Alert.objects.get(key="x2").status == "open"


def test_a_scan_raises_nothing_where_the_rule_is_switched_off(world, current):
    AlertRuleSetting.objects.create(jurisdiction=world.township("b"), rule=SCAN_RULE, enabled=False)
    current += [(world.village("a"), "x1"), (world.village("b"), "x2")]
    assert run_scan(keys=[SCAN_RULE]) == {SCAN_RULE: {"raised": 1, "resolved": 0}}
    assert list(Alert.objects.values_list("key", flat=True)) == ["x1"]


def test_a_scan_reads_the_districts_params(world, current):
    AlertRuleSetting.objects.create(jurisdiction=world.county, rule=SCAN_RULE, params={"days": 9})
    current.append((world.village("a"), "x1"))
    run_scan(keys=[SCAN_RULE])
    assert Alert.objects.get().reason == "超期（9 天）"


def test_a_failing_scan_is_reported_and_leaves_its_alerts_alone(world, current):
    current.append((world.village("a"), "x1"))
    run_scan(keys=[SCAN_RULE])
    current.append(("not a node", "x2"))
    assert run_scan(keys=[SCAN_RULE]) == {SCAN_RULE: {"raised": 0, "resolved": 0, "failed": 1}}
    assert Alert.objects.get().status == "open"


# ------------------------------------------------------------------------------------------------ people
def _enrollment(world, kind, next_visit_on):
    from pingan.people.testing import make_enrollment

    enrollment = make_enrollment(world, "a", kind=kind)
    SpecialEnrollment.objects.filter(pk=enrollment.pk).update(next_visit_on=next_visit_on, last_visit_on=None)
    enrollment.refresh_from_db()
    return enrollment


def test_the_overdue_visit_rule_fires_for_an_overdue_visit_and_not_for_one_on_time(world):
    today = timezone.localdate()
    late = _enrollment(world, "released", today - dt.timedelta(days=5))
    _on_time = _enrollment(world, "drug", today)
    totals = run_scan(keys=["people.overdue_visit"])
    assert totals == {"people.overdue_visit": {"raised": 1, "resolved": 0}}
    alert = Alert.objects.get()
    assert alert.key == f"people.overdue_visit:{late.pk}:{(today - dt.timedelta(days=5)).isoformat()}"
    assert alert.title == f"刑满释放人员{late.person.name}走访逾期 5 天"
    assert alert.reason == (f"刑满释放人员{late.person.name}计划于 {today - dt.timedelta(days=5):%Y-%m-%d} 走访，"
                            f"至 {today:%Y-%m-%d} 已逾期 5 天（逾期超过 0 天即预警）；最近一次走访：无走访记录。")
    assert (alert.level, alert.module, alert.data_kind, alert.jurisdiction) == ("yellow", "people", "person", late.jurisdiction)
    # A visit moves the plan: the next scan closes the warning.
    SpecialEnrollment.objects.filter(pk=late.pk).update(next_visit_on=today + dt.timedelta(days=30))
    assert run_scan(keys=["people.overdue_visit"]) == {"people.overdue_visit": {"raised": 0, "resolved": 1}}


def test_the_overdue_visit_rule_waits_for_the_grace_days_the_district_set(world):
    AlertRuleSetting.objects.create(jurisdiction=world.county, rule="people.overdue_visit", params={"grace_days": 5})
    today = timezone.localdate()
    _enrollment(world, "released", today - dt.timedelta(days=5))
    six = _enrollment(world, "drug", today - dt.timedelta(days=6))
    run_scan(keys=["people.overdue_visit"])
    assert list(Alert.objects.values_list("source_id", flat=True)) == [str(six.pk)]


def test_an_overdue_visit_of_a_health_kind_is_health_data(world):
    _enrollment(world, "mental", timezone.localdate() - dt.timedelta(days=1))
    run_scan(keys=["people.overdue_visit"])
    alert = Alert.objects.get()
    assert alert.data_kind == "health"
    assert not Alert.objects.visible_to(world.users["mediator_a"]).exists()
    assert Alert.objects.visible_to(world.users["township_a"]).get() == alert


def test_the_command_scans_once_and_schedules_once(world):
    out = StringIO()
    _enrollment(world, "released", timezone.localdate() - dt.timedelta(days=2))
    call_command("scan_alerts", stdout=out)
    assert "特殊人群走访逾期：新增预警 1 条，自动关闭 0 条" in out.getvalue()
    out = StringIO()
    call_command("scan_alerts", "--schedule", stdout=out)
    call_command("scan_alerts", "--schedule", stdout=out)
    assert out.getvalue().splitlines() == ["已安排预警扫描任务：每 60 分钟运行一次。", "预警扫描任务已在排队，无需重复安排。"]
