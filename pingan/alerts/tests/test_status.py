"""A warning's statuses: 新预警 → 已签收 → 已列入研判 → 已处置 / 已排除 (with a reason). For each transition: who
may, the audit entry, the notification row; the page and the API; scope (another township's warning is 404);
bad input (no reason to dismiss → 400 in Chinese, unknown status, a step backwards). The centre page's counts
per status and level, each a link to its filtered list. Expectations worked out by hand."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pingan.alerts.models import Alert, Status
from pingan.alerts.services import alert_acknowledge, alert_handle, alert_raise
from pingan.alerts.testing import TEST_RULE, ensure_test_rule
from pingan.core.models import AuditEntry
from pingan.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rule():
    ensure_test_rule()


def _alert(world, side="a", key="k1", level="yellow", **kw):
    # Yellow: no notice when raised, so the notices below are the status changes' own.
    alert, _ = alert_raise(rule=TEST_RULE, jurisdiction=world.village(side), title="同一当事人再次纠纷",
                           reason="当事人在 30 天内第 3 次登记纠纷", key=key, level=level, **kw)
    return alert


def _notices(status_word):
    return {n.recipient.username: n for n in Notification.objects.select_related("recipient")
            if n.title.startswith(f"预警{status_word}")}


# ------------------------------------------------------------------------------------------------ services
def test_acknowledging_a_new_warning_keeps_who_and_when_audits_and_tells_the_others(world):
    alert = _alert(world)
    assert alert.status == "open" and alert.get_status_display() == "新预警"
    done = alert_acknowledge(actor=world.users["township_a"], alert=alert)
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.get_status_display() == "已签收"
    assert alert.acknowledged_by == world.users["township_a"] and alert.acknowledged_at is not None
    assert alert.handled_by is None and alert.handled_at is None  # 签收 is not 处置
    assert done.pk == alert.pk
    entry = AuditEntry.objects.get(action="alert.acknowledge")
    assert entry.actor_id == world.users["township_a"].pk and entry.object_id == str(alert.pk)
    assert entry.changes["status"] == ["open", "acknowledged"]
    # The district's centre staff is told; the actor (township_a) is not; township_b, the leader (yellow) not.
    told = _notices("已签收")
    assert set(told) == {"center_staff"}
    assert told["center_staff"].title == "预警已签收：测试预警规则（固庄村委会）"
    assert told["center_staff"].body == "新预警 → 已签收（township_a）"
    assert told["center_staff"].url == f"/alerts/{alert.pk}/"


def test_from_acknowledged_to_agenda_then_handled_each_audited_and_told(world):
    alert = _alert(world)
    alert_acknowledge(actor=world.users["township_a"], alert=alert)
    alert_handle(actor=world.users["center_staff"], alert=alert, status="agenda", note="提交本周研判会",
                 agenda_item="第12次研判会")
    alert.refresh_from_db()
    assert (alert.status, alert.agenda_item, alert.handled_by) == ("agenda", "第12次研判会", world.users["center_staff"])
    assert set(_notices("已列入研判")) == {"township_a"}
    alert_handle(actor=world.users["township_a"], alert=alert, status="handled", note="已组织调解，双方达成协议")
    alert.refresh_from_db()
    assert alert.status == "handled" and alert.handled_note == "已组织调解，双方达成协议"
    assert set(_notices("已处置")) == {"center_staff"}
    assert _notices("已处置")["center_staff"].body == "已列入研判 → 已处置（township_a）：已组织调解，双方达成协议"
    statuses = [e.changes["status"] for e in AuditEntry.objects.filter(action__in=["alert.acknowledge", "alert.handle"])
                .order_by("pk")]
    assert statuses == [["open", "acknowledged"], ["acknowledged", "agenda"], ["agenda", "handled"]]


def test_dismissing_needs_a_reason_and_keeps_it(world):
    alert = _alert(world)
    with pytest.raises(ValidationError) as exc:
        alert_handle(actor=world.users["township_a"], alert=alert, status="dismissed", note="   ")
    assert exc.value.message_dict == {"note": ["排除预警须填写理由。"]}
    assert Alert.objects.get(pk=alert.pk).status == "open"
    alert_handle(actor=world.users["township_a"], alert=alert, status="dismissed", note="同一纠纷重复登记")
    alert.refresh_from_db()
    assert (alert.status, alert.handled_note) == ("dismissed", "同一纠纷重复登记")
    assert _notices("已排除")["center_staff"].body == "新预警 → 已排除（township_a）：同一纠纷重复登记"


def test_no_step_backwards_and_nothing_after_the_end(world):
    alert = _alert(world)
    alert_handle(actor=world.users["township_a"], alert=alert, status="agenda", note="")
    with pytest.raises(ValidationError) as exc:
        alert_acknowledge(actor=world.users["township_a"], alert=alert)
    assert exc.value.message_dict == {"status": ["该预警已是“已列入研判”，不能再签收。"]}
    alert_handle(actor=world.users["township_a"], alert=alert, status="handled", note="")
    with pytest.raises(ValidationError) as exc:
        alert_handle(actor=world.users["township_a"], alert=alert, status="dismissed", note="误报")
    assert exc.value.message_dict == {"status": ["该预警已处置，不能再处置。"]}
    second = _alert(world, key="k2")
    alert_acknowledge(actor=world.users["township_a"], alert=second)
    with pytest.raises(ValidationError) as exc:
        alert_acknowledge(actor=world.users["center_staff"], alert=second)
    assert exc.value.message_dict == {"status": ["该预警已是“已签收”。"]}


@pytest.mark.parametrize("who", ["leader", "grid_a", "auditor", "township_b"])
def test_who_may_not_acknowledge_is_refused_and_audited(world, who):
    alert = _alert(world)
    with pytest.raises(PermissionDenied):
        alert_acknowledge(actor=world.users[who], alert=alert)
    assert Alert.objects.get(pk=alert.pk).status == "open"
    assert AuditEntry.objects.filter(action="alert.handle", outcome="failure", actor=world.users[who]).count() == 1
    assert not Notification.objects.exists()


def test_a_new_red_warning_tells_the_department_it_concerns_and_the_leader(world):
    alert_raise(rule=TEST_RULE, jurisdiction=world.village("a"), title="t", reason="r", key="red1", level="red",
                department=world.departments["police_a"])
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    # centre staff and the township's officer as before; the 派出所's handler (its list shows the warning);
    # the district's leader for red. Not township_b, not handler_b, not the county police handler.
    assert told == {"center_staff", "township_a", "handler_a", "leader"}


# ------------------------------------------------------------------------------------------------ pages
def test_the_page_acknowledges_and_then_offers_the_next_steps(world, login):
    alert = _alert(world)
    client = login(world.users["township_a"])
    body = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert 'value="acknowledged"' in body and ">签收<" in body
    response = client.post(f"/alerts/{alert.pk}/handle/", {"status": "acknowledged"})
    assert response.status_code == 302
    body = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert "已签收" in body and 'value="acknowledged"' not in body
    assert 'value="agenda"' in body and 'value="handled"' in body and 'value="dismissed"' in body


def test_the_page_refuses_a_dismissal_without_a_reason_400(world, login):
    alert = _alert(world)
    response = login(world.users["township_a"]).post(f"/alerts/{alert.pk}/handle/", {"status": "dismissed", "note": ""})
    assert response.status_code == 400
    assert "排除预警须填写理由。" in response.content.decode()
    assert Alert.objects.get(pk=alert.pk).status == "open"


def test_township_b_cannot_see_or_acknowledge_a_warning_of_township_a(world, login, api):
    alert = _alert(world)
    client = login(world.users["township_b"])
    assert client.get(f"/alerts/{alert.pk}/").status_code == 404
    assert client.post(f"/alerts/{alert.pk}/handle/", {"status": "acknowledged"}).status_code == 404
    assert api(world.users["township_b"]).post(f"/api/v1/alerts/{alert.pk}/acknowledge/").status_code == 404
    assert Alert.objects.get(pk=alert.pk).status == "open"


def test_bad_input_on_the_page_answers_400_in_chinese(world, login):
    alert = _alert(world)
    client = login(world.users["township_a"])
    for data, message in [({"status": "closed"}, "处置方式无效。"), ({}, "请选择处置方式。"),
                          ({"status": "handled", "note": "长" * 501}, "处置说明最多 500 字。")]:
        response = client.post(f"/alerts/{alert.pk}/handle/", data)
        assert response.status_code == 400 and message in response.content.decode()
    assert Alert.objects.get(pk=alert.pk).status == "open"
    assert client.post("/alerts/999999/handle/", {"status": "acknowledged"}).status_code == 404


def test_the_centre_page_counts_per_status_and_level_each_a_link(world, login):
    a = _alert(world, key="a", level="red")
    b = _alert(world, key="b", level="orange")
    _alert(world, key="c", level="yellow")
    _alert(world, "b", key="d", level="red")  # township_b's: not counted for township_a
    alert_acknowledge(actor=world.users["center_staff"], alert=a)
    alert_handle(actor=world.users["center_staff"], alert=b, status="dismissed", note="误报")
    client = login(world.users["township_a"])
    response = client.get("/alerts/")
    assert response.context["counts"] == {
        "total": 3, "level": {"red": 1, "orange": 1, "yellow": 1},
        "status": {"open": 1, "acknowledged": 1, "agenda": 0, "handled": 0, "dismissed": 1}}
    body = response.content.decode()
    assert 'href="?status=acknowledged"' in body and 'href="?level=red"' in body
    # With a level chosen the status counts are that level's; the level counts ignore the level itself.
    response = client.get("/alerts/?level=red")
    assert response.context["counts"]["status"] == {"open": 0, "acknowledged": 1, "agenda": 0, "handled": 0,
                                                    "dismissed": 0}
    assert response.context["counts"]["level"] == {"red": 1, "orange": 1, "yellow": 1}
    assert response.context["counts"]["total"] == 1
    assert 'href="?level=red&amp;status=open"' in response.content.decode()
    keys = sorted(x.key for x in client.get("/alerts/?status=dismissed").context["page"])
    assert keys == ["b"]


# ------------------------------------------------------------------------------------------------ API
def test_the_api_acknowledges_dismisses_with_a_reason_and_counts(world, api):
    alert = _alert(world)
    client = api(world.users["township_a"])
    response = client.post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "acknowledged" and data["status_display"] == "已签收"
    assert data["acknowledged_by"] == "township_a" and data["acknowledged_at"]
    again = client.post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert again.status_code == 400 and "已签收" in again.content.decode()
    response = client.post(f"/api/v1/alerts/{alert.pk}/handle/", {"status": "dismissed"}, format="json")
    assert response.status_code == 400 and "排除预警须填写理由。" in response.content.decode()
    response = client.post(f"/api/v1/alerts/{alert.pk}/handle/", {"status": "dismissed", "note": "  "}, format="json")
    assert response.status_code == 400 and "排除预警须填写理由。" in response.content.decode()
    response = client.post(f"/api/v1/alerts/{alert.pk}/handle/", {"status": "purple"}, format="json")
    assert response.status_code == 400 and "处置方式无效" in response.content.decode()
    response = client.post(f"/api/v1/alerts/{alert.pk}/handle/", {"status": "dismissed", "note": "误报"}, format="json")
    assert response.status_code == 200 and response.json()["handled_note"] == "误报"
    counts = client.get("/api/v1/alerts/counts/").json()
    assert counts == {"total": 1, "level": {"red": 0, "orange": 0, "yellow": 1},
                      "status": {"open": 0, "acknowledged": 0, "agenda": 0, "handled": 0, "dismissed": 1}}
    assert client.get("/api/v1/alerts/?status=dismissed").json()["count"] == 1


def test_the_leader_reads_but_cannot_acknowledge_by_api(world, api):
    alert = _alert(world)
    response = api(world.users["leader"]).post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 403
    assert Alert.objects.get(pk=alert.pk).status == Status.OPEN
