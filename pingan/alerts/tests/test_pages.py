"""The 预警中心 pages and the API: scope (another township's alert is 404), filters, handling, the rules
page's bad input, the leader who reads but does not act."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pingan.alerts.models import AlertRuleSetting
from pingan.alerts.services import alert_raise
from pingan.alerts.testing import TEST_RULE, ensure_test_rule, make_alert
from pingan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rule():
    ensure_test_rule()


def _alert(world, side="a", key="k", level=None, at=None, rule=TEST_RULE, **kw):
    alert, _ = alert_raise(rule=rule, jurisdiction=world.village(side), title=f"预警{key}", reason=f"原因{key}",
                           key=key, level=level, at=at, **kw)
    return alert


# ------------------------------------------------------------------------------------------------ list
def test_the_list_shows_counts_by_level_and_the_rows_of_the_users_scope(world, login, django_assert_max_num_queries):
    for i in range(12):
        _alert(world, "a", key=f"a{i}", level=("red", "orange", "yellow")[i % 3])
    _alert(world, "b", key="b0", level="red")
    client = login(world.users["township_a"])
    with django_assert_max_num_queries(14):
        response = client.get("/alerts/")
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["counts"] == {
        "total": 12, "level": {"red": 4, "orange": 4, "yellow": 4},
        "status": {"open": 12, "acknowledged": 0, "agenda": 0, "handled": 0, "dismissed": 0}}
    assert "预警a0" in body and "预警b0" not in body
    assert 'class="alert-level alert-level-red"' in body and "style=" not in body


def test_the_list_query_count_does_not_grow_with_the_rows(world, login, django_assert_max_num_queries):
    for i in range(40):
        _alert(world, "a", key=f"a{i}")
    client = login(world.users["center_staff"])
    with django_assert_max_num_queries(14):
        assert client.get("/alerts/").status_code == 200


def test_the_list_filters_by_level_module_and_period(world, login):
    now = timezone.now()
    _alert(world, key="old", level="red", at=now - dt.timedelta(days=40))
    _alert(world, key="new", level="red", at=now)
    _alert(world, key="orange", at=now)
    client = login(world.users["center_staff"])
    keys = lambda r: sorted(a.key for a in r.context["page"])  # noqa: E731
    assert keys(client.get("/alerts/?level=red")) == ["new", "old"]
    assert keys(client.get("/alerts/?level=orange")) == ["orange"]
    assert keys(client.get("/alerts/?module=alerts")) == ["new", "old", "orange"]
    assert keys(client.get("/alerts/?module=people")) == []
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    assert keys(client.get(f"/alerts/?raised_from={since}")) == ["new", "orange"]
    old_day = (timezone.localdate(now - dt.timedelta(days=40))).isoformat()
    assert keys(client.get(f"/alerts/?raised_to={old_day}")) == ["old"]
    assert keys(client.get(f"/alerts/?place={world.township('b').code}")) == []
    assert keys(client.get(f"/alerts/?place={world.village('a').code}&level=red")) == ["new", "old"]


def test_a_bad_filter_answers_400_in_chinese(world, login):
    client = login(world.users["center_staff"])
    response = client.get("/alerts/?raised_from=2026-13-40&level=purple")
    assert response.status_code == 400
    assert "查询条件有误" in response.content.decode()


def test_the_auditor_gets_no_alert_page(world, login):
    assert login(world.users["auditor"]).get("/alerts/").status_code == 403


# ------------------------------------------------------------------------------------------------ detail
def test_another_townships_alert_is_404_on_the_page_and_in_the_api(world, login, api):
    alert = make_alert(world, "b")
    assert login(world.users["township_a"]).get(f"/alerts/{alert.pk}/").status_code == 404
    assert api(world.users["township_a"]).get(f"/api/v1/alerts/{alert.pk}/").status_code == 404
    assert login(world.users["township_b"]).get(f"/alerts/{alert.pk}/").status_code == 200


def test_the_detail_links_the_source_for_those_who_may_see_it(world, login):
    from pingan.hazards.testing import make_hazard

    hazard = make_hazard(world)
    alert = _alert(world, key="h", source=hazard)
    body = login(world.users["township_a"]).get(f"/alerts/{alert.pk}/").content.decode()
    assert f'href="/hazards/{hazard.pk}/"' in body and "原因h" in body and "列入研判" in body
    leader_body = login(world.users["leader"]).get(f"/alerts/{alert.pk}/").content.decode()
    assert "原因h" in leader_body and "列入研判" not in leader_body


def test_a_department_handler_sees_the_alert_of_its_case_and_not_others(world, login):
    from pingan.hazards.testing import make_hazard

    mine = _alert(world, key="h", source=make_hazard(world))
    other = _alert(world, key="n")
    client = login(world.users["handler_a"])
    assert client.get(f"/alerts/{mine.pk}/").status_code == 200
    assert client.get(f"/alerts/{other.pk}/").status_code == 404
    assert [a.key for a in client.get("/alerts/").context["page"]] == ["h"]


def test_the_township_officer_handles_an_alert_on_its_page(world, login):
    alert = _alert(world)
    client = login(world.users["township_a"])
    response = client.post(f"/alerts/{alert.pk}/handle/", {"status": "agenda", "note": "周五研判"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.handled_note, alert.handled_by) == ("agenda", "周五研判", world.users["township_a"])


def test_dismissing_without_a_note_on_the_page_is_400_and_changes_nothing(world, login):
    alert = _alert(world)
    response = login(world.users["township_a"]).post(f"/alerts/{alert.pk}/handle/", {"status": "dismissed", "note": ""})
    assert response.status_code == 400
    assert "排除预警须填写理由。" in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == "open"


def test_a_leader_reads_but_may_not_handle_on_the_page_or_the_api_and_is_audited(world, login, api):
    alert = _alert(world)
    leader = world.users["leader"]
    assert login(leader).get(f"/alerts/{alert.pk}/").status_code == 200
    assert login(leader).post(f"/alerts/{alert.pk}/handle/", {"status": "handled"}).status_code == 403
    response = api(leader).post(f"/api/v1/alerts/{alert.pk}/handle/", {"status": "handled"}, format="json")
    assert response.status_code == 403
    alert.refresh_from_db()
    assert alert.status == "open"
    assert AuditEntry.objects.filter(actor=leader, action="permission_denied").count() == 2


# ------------------------------------------------------------------------------------------------ API
def test_the_api_lists_with_the_same_filters_and_handles(world, api):
    _alert(world, key="r", level="red")
    orange = _alert(world, key="o")
    client = api(world.users["township_a"])
    data = client.get("/api/v1/alerts/?level=orange").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["title"] for r in rows] == ["预警o"]
    assert rows[0]["level_display"] == "橙色" and rows[0]["status_display"] == "新预警"
    response = client.post(f"/api/v1/alerts/{orange.pk}/handle/", {"status": "dismissed", "note": "重复登记"},
                           format="json")
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    bad = client.post(f"/api/v1/alerts/{orange.pk}/handle/", {"status": "handled"}, format="json")
    assert bad.status_code == 400 and "不能再处置" in bad.json()["detail"]


def test_the_api_refuses_a_bad_status_in_chinese(world, api):
    alert = _alert(world)
    response = api(world.users["township_a"]).post(f"/api/v1/alerts/{alert.pk}/handle/", {"status": 7}, format="json")
    assert response.status_code == 400


# ------------------------------------------------------------------------------------------------ rules page
def test_the_centre_sets_a_townships_rule_on_the_rules_page(world, login):
    client = login(world.users["center_staff"])
    page = client.get(f"/alerts/rules/?node={world.township('a').code}")
    assert page.status_code == 200 and "测试预警规则" in page.content.decode()
    response = client.post("/alerts/rules/", {"node": world.township("a").code, "rule": TEST_RULE, "p_days": "12"})
    assert response.status_code == 302
    setting = AlertRuleSetting.objects.get()
    assert (setting.jurisdiction, setting.enabled, setting.params) == (world.township("a"), False, {"days": 12})


@pytest.mark.parametrize("value", ["十二", "-3", "99999999999999999999", "1e5", "１２.５"])
def test_bad_numbers_on_the_rules_page_are_400_in_chinese_and_nothing_is_written(world, login, value):
    response = login(world.users["center_staff"]).post(
        "/alerts/rules/", {"node": world.county.code, "rule": TEST_RULE, "enabled": "on", "p_days": value})
    assert response.status_code == 400
    assert "天数须为 0 至 100000 之间的整数。" in response.content.decode()
    assert AlertRuleSetting.objects.count() == 0


def test_an_unknown_rule_or_place_on_the_rules_page_is_400(world, login):
    client = login(world.users["center_staff"])
    assert client.post("/alerts/rules/", {"node": "999999", "rule": TEST_RULE}).status_code == 400
    assert client.post("/alerts/rules/", {"node": world.county.code, "rule": "x.y"}).status_code == 400
    assert client.post("/alerts/rules/", {"rule": TEST_RULE}).status_code == 400
    assert AlertRuleSetting.objects.count() == 0


@pytest.mark.parametrize("persona", ["township_a", "leader", "handler_a"])
def test_only_the_centre_opens_the_rules_page(world, login, persona):
    assert login(world.users[persona]).get("/alerts/rules/").status_code == 403


def test_the_home_panel_counts_waiting_alerts_by_level(world, login):
    _alert(world, key="r", level="red")
    _alert(world, key="o1")
    _alert(world, key="o2")
    body = login(world.users["township_a"]).get("/").content.decode()
    assert "预警中心" in body
    assert 'href="/alerts/?active=true&amp;level=orange">2</a>' in body


def test_the_rules_page_keeps_the_note_and_the_history_shows_it(world, login):
    client = login(world.users["district_admin"])
    client.post("/alerts/rules/", {"node": world.county.code, "rule": TEST_RULE, "enabled": "on", "p_days": "20",
                                   "note": "国庆期间加密"})
    setting = AlertRuleSetting.objects.get()
    assert (setting.params, setting.note) == ({"days": 20}, "国庆期间加密")
    assert "国庆期间加密" in client.get(f"/alerts/rules/?node={world.county.code}").content.decode()
    history = client.get(f"/history/alerts.alertrulesetting/{setting.pk}/").content.decode()
    assert "国庆期间加密" in history
