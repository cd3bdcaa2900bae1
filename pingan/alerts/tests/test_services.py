"""The services of early warnings, called directly: raise once per key, settings per place, handling,
closing with the source, who is told."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.alerts import selectors
from pingan.alerts.models import Alert, AlertRuleSetting, Status
from pingan.alerts.registry import rule_params
from pingan.alerts.services import alert_handle, alert_raise, alert_resolve_source, rule_setting_save
from pingan.alerts.testing import TEST_RULE, ensure_test_rule, make_alert
from pingan.core.models import AuditEntry
from pingan.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rule():
    ensure_test_rule()


def _raise(world, side="a", key="k1", **kw):
    kw.setdefault("title", "同一当事人再次纠纷")
    kw.setdefault("reason", "当事人张某在 30 天内第 3 次登记纠纷：JF001、JF002")
    return alert_raise(rule=TEST_RULE, jurisdiction=world.village(side), key=key, **kw)


def test_raising_the_same_key_twice_returns_the_first_alert_and_writes_nothing_more(world):
    first, created = _raise(world)
    again, created_again = _raise(world, title="另一个标题")
    assert created is True and created_again is False
    assert again.pk == first.pk and again.title == "同一当事人再次纠纷"
    assert Alert.objects.count() == 1
    assert AuditEntry.objects.filter(action="alert.raise").count() == 1
    assert first.level == "orange" and first.module == "alerts" and first.status == Status.OPEN


def test_a_rule_switched_off_in_the_district_raises_nothing(world):
    AlertRuleSetting.objects.create(jurisdiction=world.county, rule=TEST_RULE, enabled=False)
    assert _raise(world) == (None, False)
    assert Alert.objects.count() == 0


def test_a_township_may_switch_on_a_rule_the_district_switched_off(world):
    AlertRuleSetting.objects.create(jurisdiction=world.county, rule=TEST_RULE, enabled=False)
    AlertRuleSetting.objects.create(jurisdiction=world.township("a"), rule=TEST_RULE, enabled=True)
    assert _raise(world, "a", key="a")[1] is True
    assert _raise(world, "b", key="b") == (None, False)


def test_params_are_the_defaults_overridden_by_the_district_then_by_the_township(world):
    assert rule_params(TEST_RULE, world.village("a")) == {"days": 30}
    AlertRuleSetting.objects.create(jurisdiction=world.county, rule=TEST_RULE, params={"days": 20})
    assert rule_params(TEST_RULE, world.village("a")) == {"days": 20}
    assert rule_params(TEST_RULE) == {"days": 20}
    AlertRuleSetting.objects.create(jurisdiction=world.township("a"), rule=TEST_RULE, params={"days": 7})
    assert rule_params(TEST_RULE, world.village("a")) == {"days": 7}
    assert rule_params(TEST_RULE, world.village("b")) == {"days": 20}
    assert rule_params(TEST_RULE, world.village("a")).enabled is True


def test_the_level_given_beats_the_rules_default(world):
    alert, _ = _raise(world, level="red")
    assert alert.level == "red"


# ---------------------------------------------------------------------------------------------- who is told
def test_a_new_orange_alert_tells_the_centre_staff_and_the_townships_officer_but_not_the_actor(world):
    alert, _ = _raise(world, actor=world.users["center_staff"])
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"township_a"}  # center_staff acted; township_b, leader, handlers are not told
    notice = Notification.objects.get()
    assert notice.title == "橙色预警：测试预警规则（固庄村委会）"
    assert notice.url == f"/alerts/{alert.pk}/"


def test_a_system_raised_red_alert_tells_the_centre_staff_the_township_officer_and_the_district_leader(world):
    _raise(world, level="red")
    # Red also reaches the district's leader (领导 reads the warnings); orange does not (test above).
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"center_staff", "township_a",
                                                                                        "leader"}


def test_a_yellow_alert_tells_nobody(world):
    _raise(world, level="yellow")
    assert Notification.objects.count() == 0


def test_a_second_alert_of_the_same_rule_is_merged_into_the_unread_notice(world):
    _raise(world, key="k1")
    _raise(world, key="k2")
    notice = Notification.objects.get(recipient=world.users["township_a"])
    assert notice.count == 2
    assert Notification.objects.count() == 2  # one row each for center_staff and township_a


# ---------------------------------------------------------------------------------------------- handling
def test_the_township_officer_puts_an_alert_on_the_agenda_then_marks_it_handled(world):
    alert, _ = _raise(world)
    officer = world.users["township_a"]
    alert = alert_handle(actor=officer, alert=alert, status="agenda", note="列入本周研判", agenda_item="第 12 次例会")
    alert.refresh_from_db()
    assert (alert.status, alert.handled_by, alert.agenda_item) == ("agenda", officer, "第 12 次例会")
    alert = alert_handle(actor=officer, alert=alert, status="handled", note="已调解")
    alert.refresh_from_db()
    assert alert.status == "handled" and alert.handled_note == "已调解"
    entries = AuditEntry.objects.filter(action="alert.handle", object_id=str(alert.pk)).order_by("id")
    assert [e.changes["status"] for e in entries] == [["open", "agenda"], ["agenda", "handled"]]


def test_dismissing_needs_a_note_and_nothing_changes_without_it(world):
    alert, _ = _raise(world)
    with pytest.raises(ValidationError) as exc:
        alert_handle(actor=world.users["township_a"], alert=alert, status="dismissed", note="  ")
    assert exc.value.message_dict == {"note": ["排除预警须填写理由。"]}
    alert.refresh_from_db()
    assert alert.status == "open"


def test_a_handled_alert_cannot_be_handled_again(world):
    alert, _ = _raise(world)
    alert_handle(actor=world.users["township_a"], alert=alert, status="handled", note="")
    with pytest.raises(ValidationError) as exc:
        alert_handle(actor=world.users["township_a"], alert=alert, status="dismissed", note="误报")
    assert exc.value.message_dict == {"status": ["该预警已处置，不能再处置。"]}


def test_an_unknown_status_is_refused_in_chinese(world):
    alert, _ = _raise(world)
    with pytest.raises(ValidationError) as exc:
        alert_handle(actor=world.users["township_a"], alert=alert, status="closed", note="")
    assert exc.value.message_dict == {"status": ["请选择处置方式：签收、列入研判、标记已处置或排除。"]}


@pytest.mark.parametrize("persona", ["leader", "township_b", "handler_a", "grid_a"])
def test_those_who_may_not_handle_are_refused_and_the_refusal_is_audited(world, persona):
    alert, _ = _raise(world)
    with pytest.raises(PermissionDenied):
        alert_handle(actor=world.users[persona], alert=alert, status="handled", note="")
    alert.refresh_from_db()
    assert alert.status == "open"
    assert AuditEntry.objects.filter(action="alert.handle", outcome="failure", actor=world.users[persona]).count() == 1


def test_closing_the_source_closes_its_waiting_alerts_and_only_those(world):
    from pingan.hazards.testing import make_hazard

    hazard, other = make_hazard(world), make_hazard(world)
    first, _ = _raise(world, key="h1", source=hazard)
    second, _ = _raise(world, key="h2", source=hazard)
    alert_handle(actor=world.users["township_a"], alert=second, status="agenda", note="")
    third, _ = _raise(world, key="h3", source=other)
    assert alert_resolve_source(source=hazard) == 2
    statuses = dict(Alert.objects.values_list("key", "status"))
    assert statuses == {"h1": "handled", "h2": "handled", "h3": "open"}
    first.refresh_from_db()
    assert first.handled_note == "原因已消除" and first.handled_by is None
    assert set(selectors.alerts_for(hazard)) == {first, second}


# ---------------------------------------------------------------------------------------------- visibility
def test_a_department_handler_sees_only_the_alerts_of_sources_assigned_to_its_department(world):
    from pingan.hazards.testing import make_hazard

    hazard = make_hazard(world)  # assigned to police_a
    of_police, _ = _raise(world, key="p", source=hazard)
    plain, _ = _raise(world, key="n")
    assert of_police.department == world.departments["police_a"]
    assert list(Alert.objects.visible_to(world.users["handler_a"])) == [of_police]
    assert list(Alert.objects.visible_to(world.users["county_handler"])) == []
    assert set(Alert.objects.visible_to(world.users["township_a"])) == {of_police, plain}
    assert list(Alert.objects.visible_to(world.users["township_b"])) == []
    assert list(Alert.objects.visible_to(world.users["auditor"])) == []


def test_warnings_about_people_follow_the_person_and_health_rules(world):
    person, _ = _raise(world, key="person", data_kind="person")
    health, _ = _raise(world, key="health", data_kind="health")
    assert set(Alert.objects.visible_to(world.users["township_a"])) == {person, health}
    assert set(Alert.objects.visible_to(world.users["mediator_a"])) == {person}
    assert set(Alert.objects.visible_to(world.users["leader"])) == {person}
    assert set(Alert.objects.visible_to(world.users["handler_a"])) == set()


def test_open_alerts_lists_the_most_serious_first_and_filters_by_module(world):
    yellow, _ = _raise(world, key="y", level="yellow")
    red, _ = _raise(world, key="r", level="red")
    orange, _ = _raise(world, key="o")
    done, _ = _raise(world, key="d", level="red")
    alert_handle(actor=world.users["township_a"], alert=done, status="handled", note="")
    assert list(selectors.open_alerts(world.users["township_a"])) == [red, orange, yellow]
    assert list(selectors.open_alerts(world.users["township_a"], module="disputes")) == []


# ---------------------------------------------------------------------------------------------- settings
def test_the_centre_saves_a_townships_setting_and_it_is_audited(world):
    staff = world.users["center_staff"]
    setting = rule_setting_save(actor=staff, node=world.township("a"), rule=TEST_RULE, enabled=True,
                                params={"days": "１４"})
    assert setting.params == {"days": 14}
    assert rule_params(TEST_RULE, world.village("a")) == {"days": 14}
    rule_setting_save(actor=staff, node=world.township("a"), rule=TEST_RULE, enabled=False, params={"days": 14})
    entries = AuditEntry.objects.filter(action="alert_rule.configure").order_by("id")
    assert [e.changes for e in entries] == [{"after": {"enabled": True, "params": {"days": 14}, "note": ""}},
                                             {"enabled": [True, False]}]


@pytest.mark.parametrize("value, message", [
    ("abc", "天数须为 0 至 100000 之间的整数。"),
    ("-1", "天数须为 0 至 100000 之间的整数。"),
    ("3.5", "天数须为 0 至 100000 之间的整数。"),
    ("100001", "天数须为 0 至 100000 之间的整数。"),
    ("1" * 40, "天数须为 0 至 100000 之间的整数。"),
    ("", "请填写天数。"),
    (True, "天数须为 0 至 100000 之间的整数。"),
])
def test_bad_params_are_refused_in_chinese_and_nothing_is_written(world, value, message):
    with pytest.raises(ValidationError) as exc:
        rule_setting_save(actor=world.users["center_staff"], node=world.county, rule=TEST_RULE, enabled=True,
                          params={"days": value})
    assert exc.value.message_dict == {"days": [message]}
    assert AlertRuleSetting.objects.count() == 0


def test_unknown_params_rules_and_places_are_refused(world):
    staff = world.users["center_staff"]
    with pytest.raises(ValidationError) as exc:
        rule_setting_save(actor=staff, node=world.county, rule=TEST_RULE, enabled=True, params={"weeks": 2})
    assert exc.value.message_dict == {"params": ["该规则没有参数：weeks。"]}
    with pytest.raises(ValidationError) as exc:
        rule_setting_save(actor=staff, node=world.county, rule="nope.rule", enabled=True, params={})
    assert exc.value.message_dict == {"rule": ["预警规则不存在。"]}
    with pytest.raises(ValidationError) as exc:
        rule_setting_save(actor=staff, node=world.village("a"), rule=TEST_RULE, enabled=True, params={})
    assert exc.value.message_dict == {"node": ["预警规则只能按区县或乡镇（街道）设置。"]}
    assert AlertRuleSetting.objects.count() == 0


def test_date_params_are_checked_as_dates():
    from pingan.alerts.registry import Rule
    from pingan.alerts.services import clean_params

    rule = Rule(key="alerts.period", label="敏感时期", module="alerts",
                params={"starts": (dt.date(2026, 10, 1), "开始日期")})
    assert clean_params(rule, {"starts": "2026-09-30"}) == {"starts": dt.date(2026, 9, 30)}
    for bad in ("2026-02-30", "明天", "1999-12-31", "2026/10/01"):
        with pytest.raises(ValidationError):
            clean_params(rule, {"starts": bad})


@pytest.mark.parametrize("persona", ["township_a", "leader", "handler_a"])
def test_only_the_centre_may_configure_rules(world, persona):
    with pytest.raises(PermissionDenied):
        rule_setting_save(actor=world.users[persona], node=world.township("a"), rule=TEST_RULE, enabled=False,
                          params={})
    assert AlertRuleSetting.objects.count() == 0
    assert AuditEntry.objects.filter(action="alert_rule.configure", outcome="failure").count() == 1


def test_the_leak_factory_alert_carries_its_marker(world):
    alert = make_alert(world, "b")
    assert alert.leak_marker in alert.title and alert.jurisdiction == world.village("b")
