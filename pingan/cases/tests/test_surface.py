"""The generic case surface (pingan/cases/views.py, api/): for every kind, "mine" means mine in the queue, its
tabs and the home panel; the queue and list pages keep their query counts whatever the number of rows; the
steps are plain buttons, the likely next one first, each opening only its own form; errors sit beside their
field with a 400; refusals are 403 and audited; the API takes the same steps with the same messages.

Expected values are written out by hand; every post is followed by reading the database back."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pingan.accounts.models import Department
from pingan.cases import engine
from pingan.cases.models import Extension, Supervision, TransitionLog
from pingan.cases.testing import factory_for, make_case
from pingan.cases.views import home_panel
from pingan.core.models import AuditEntry

KINDS = ["events.event", "hazards.hazard"]
NAMESPACE = {"events.event": "events", "hazards.hazard": "hazards"}
API = {"events.event": "/api/v1/events/", "hazards.hazard": "/api/v1/hazards/"}


def _other_departments(world):
    county = world.county
    return [Department.objects.create(jurisdiction=county, name=name, category=category)
            for name, category in (("区城管局", "城管"), ("区住建局", "住建"), ("区卫健局", "卫健"))]


class _Request:
    def __init__(self, user):
        self.user = user


def _overdue_and_supervised(world, case):
    type(case).objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    case.refresh_from_db()
    engine.supervise(actor=world.users["center_staff"], case=case, note="请加快办理")


@pytest.mark.parametrize("label", KINDS)
def test_a_police_handlers_queue_tabs_and_panel_hold_only_police_cases(world, client, label):
    factory = factory_for(label)
    police = factory.assign(world, "a", world.departments["police_a"])
    others = [factory.assign(world, "a", dept) for dept in _other_departments(world)]
    for case in [police, *others]:
        _overdue_and_supervised(world, case)
    ns = NAMESPACE[label]

    client.force_login(world.users["handler_a"])
    for tab in ("overdue", "supervised"):
        body = client.get(reverse(f"{ns}:queue"), {"tab": tab}).content.decode()
        assert police.number in body, tab
        assert not [c.number for c in others if c.number in body], tab
    body = client.get(reverse(f"{ns}:queue"), {"tab": "overdue"}).content.decode()
    assert "已超期 <strong>1</strong>" in body and "督办中 <strong>1</strong>" in body
    panel = home_panel(_Request(world.users["handler_a"]), label, "标题")
    assert [(name, count) for name, count, _url in panel["rows"]] == [("待我处理", 1), ("已超期", 1), ("督办中", 1)]

    # The centre's queue is the district's: all four; the county police's handler has none of them.
    panel = home_panel(_Request(world.users["center_staff"]), label, "标题")
    counts = {name: count for name, count, _url in panel["rows"]}
    assert counts["已超期"] == 4 and counts["督办中"] == 4 and counts["待审批延期"] == 0
    panel = home_panel(_Request(world.users["county_handler"]), label, "标题")
    assert [count for _name, count, _url in panel["rows"]] == [0, 0, 0]
    # Township B's officer: none of township A's.
    panel = home_panel(_Request(world.officer("b")), label, "标题")
    assert {name: count for name, count, _url in panel["rows"]}["已超期"] == 0


@pytest.mark.parametrize("label", KINDS)
def test_the_queue_keeps_its_query_count_whatever_the_number_of_cases(world, client, label):
    factory = factory_for(label)
    ns = NAMESPACE[label]
    client.force_login(world.users["center_staff"])

    def count(tab):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(f"{ns}:queue"), {"tab": tab})
        assert response.status_code == 200
        return len(queries)

    for _ in range(2):
        _overdue_and_supervised(world, factory.assign(world, "a", world.departments["police_a"]))
    few = {tab: count(tab) for tab in ("mine" if label == "events.event" else "todo", "overdue", "supervised")}
    for _ in range(6):
        _overdue_and_supervised(world, factory.assign(world, "a", world.departments["police_a"]))
    many = {tab: count(tab) for tab in few}
    assert many == few  # no query per row
    # The pin (the centre, which gets all four tabs): session and user (2), the bell's unread count (1), four
    # tab counts (4), the page's ids (1) and those rows with their joins (1), the session's save (3:
    # savepoint, update, release).
    for tab, n in many.items():
        assert n <= 12, f"{tab}: {n} queries"


def test_the_list_pages_keep_their_query_count(world, client, django_assert_max_num_queries):
    for _ in range(8):
        make_case(world, "a", "hazards.hazard")
        make_case(world, "a", "events.event", "registered")
    client.force_login(world.users["center_staff"])
    with django_assert_max_num_queries(9):
        assert client.get(reverse("hazards:list")).status_code == 200
    with django_assert_max_num_queries(11):
        assert client.get(reverse("events:list")).status_code == 200


def _buttons(body):
    block = body.split('class="case-actions"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="([^"]+)">([^<]+)</a>', block)


def test_each_step_is_a_button_opening_only_its_own_form(world, client):
    hazard = make_case(world, "a", "hazards.hazard")
    client.force_login(world.users["handler_a"])
    body = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    act = reverse("hazards:act", args=[hazard.pk])
    assert _buttons(body) == [(f"{act}?action=start#form", "开始整治"),
                              (f"{act}?action=complete#form", "整治完成，提请验收"),
                              (f"{reverse('hazards:extension_request', args=[hazard.pk])}#form", "申请延期")]
    start = client.get(act, {"action": "start"}).content.decode()
    assert 'name="measures"' in start and 'name="rectified_on"' not in start and 'name="photos"' in start
    complete = client.get(act, {"action": "complete"}).content.decode()
    assert 'name="rectified_on"' in complete and 'name="measures"' in complete
    assert "整治完成日期（必填）" in complete and 'value="complete"' in complete and 'value="start"' not in complete


def test_a_missing_field_is_a_400_with_the_message_beside_it_and_nothing_written(world, client):
    hazard = make_case(world, "a", "hazards.hazard")
    client.force_login(world.users["handler_a"])
    response = client.post(reverse("hazards:act", args=[hazard.pk]), {"action": "complete", "measures": "已清理"})
    assert response.status_code == 400
    row = response.content.decode().split('<div class="form-row has-error">', 1)[1].split("</div>", 1)[0]
    assert 'name="rectified_on"' in row and "请填写整治完成日期。" in row
    hazard.refresh_from_db()
    assert hazard.state == "pending" and hazard.rectified_on is None
    assert TransitionLog.objects.for_case(hazard).count() == 1


def test_a_step_the_role_may_not_take_is_403_and_audited_and_outside_scope_is_404(world, client):
    hazard = make_case(world, "a", "hazards.hazard")
    client.force_login(world.users["handler_a"])
    assert client.get(reverse("hazards:act", args=[hazard.pk]), {"action": "accept"}).status_code == 403
    entry = AuditEntry.objects.filter(action="hazard.accept", outcome="failure").get()
    assert entry.object_id == str(hazard.pk)
    client.force_login(world.users["handler_b"])
    assert client.get(reverse("hazards:act", args=[hazard.pk]), {"action": "start"}).status_code == 404
    assert client.post(reverse("hazards:supervise", args=[hazard.pk]), {"note": "x"}).status_code == 404
    client.force_login(world.officer("b"))
    assert client.post(reverse("hazards:act", args=[hazard.pk]), {"action": "accept"}).status_code == 404
    client.force_login(world.officer("a"))  # in scope, but 督办 is the centre's
    assert client.post(reverse("hazards:supervise", args=[hazard.pk]), {"note": "x"}).status_code == 403
    client.force_login(world.users["center_staff"])
    assert client.get(reverse("hazards:act", args=[hazard.pk]), {"action": "teleport"}).status_code == 400
    hazard.refresh_from_db()
    assert hazard.state == "pending" and not Supervision.objects.exists()


def test_supervision_reply_extension_and_decision_through_the_pages(world, client):
    hazard = make_case(world, "a", "hazards.hazard")
    client.force_login(world.users["center_staff"])
    assert "督办意见（必填）" in client.get(reverse("hazards:supervise", args=[hazard.pk])).content.decode()
    assert client.post(reverse("hazards:supervise", args=[hazard.pk]),
                       {"note": "请本周内整改", "due_on": "２０９９－０１－０５"}).status_code == 302
    supervision = Supervision.objects.get()
    assert (supervision.note, supervision.due_on, supervision.status) == ("请本周内整改", dt.date(2099, 1, 5), "open")

    client.force_login(world.users["handler_a"])
    page = client.get(reverse("hazards:supervision_reply", args=[hazard.pk])).content.decode()
    assert "请本周内整改" in page and 'name="reply"' in page
    response = client.post(reverse("hazards:supervision_reply", args=[hazard.pk]),
                           {"supervision": supervision.pk, "reply": ""})
    assert response.status_code == 400 and "请填写反馈内容。" in response.content.decode()
    assert client.post(reverse("hazards:supervision_reply", args=[hazard.pk]),
                       {"supervision": supervision.pk, "reply": "已清理"}).status_code == 302
    supervision.refresh_from_db()
    assert (supervision.status, supervision.reply) == ("answered", "已清理")

    new = hazard.rectify_deadline + dt.timedelta(days=10)
    assert client.post(reverse("hazards:extension_request", args=[hazard.pk]),
                       {"new_deadline": new.isoformat(), "reason": "等待配件"}).status_code == 302
    extension = Extension.objects.get()
    assert (extension.status, extension.new_deadline, extension.reason) == ("pending", new, "等待配件")
    body = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert "申请延期</a>" not in body  # one pending request at a time

    client.force_login(world.officer("a"))
    url = reverse("hazards:extension_decide", args=[hazard.pk])
    response = client.post(url, {"extension": extension.pk, "decision": "refuse", "decision_note": ""})
    assert response.status_code == 400 and "不批准时请填写理由。" in response.content.decode()
    extension.refresh_from_db()
    assert extension.status == "pending"
    assert client.post(url, {"extension": extension.pk, "decision": "approve"}).status_code == 302
    extension.refresh_from_db()
    hazard.refresh_from_db()
    assert extension.status == "approved" and hazard.rectify_deadline == new
    assert timezone.localtime(hazard.due_at) == timezone.make_aware(
        dt.datetime.combine(new + dt.timedelta(days=1), dt.time(0, 0)))


def test_the_api_takes_a_step_with_the_pages_messages(world, api):
    hazard = make_case(world, "a", "hazards.hazard")
    url = f"{API['hazards.hazard']}{hazard.pk}/"
    handler = api(world.users["handler_a"])
    response = handler.post(f"{url}act/", {"action": "complete", "data": {"measures": "已清理"}}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"rectified_on": ["请填写整治完成日期。"]}
    response = handler.post(f"{url}act/", {"action": "complete", "data": {"rectified_on": "2000-13-01",
                                                                          "measures": "已清理"}}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"rectified_on": ["整治完成日期格式不正确，应为 YYYY-MM-DD。"]}
    today = timezone.localdate().isoformat()
    response = handler.post(f"{url}act/", {"action": "complete", "data": {"rectified_on": today, "measures": "已清理"},
                                           "note": "完成"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "awaiting_acceptance"
    hazard.refresh_from_db()
    assert (hazard.state, hazard.rectified_on, hazard.measures) == ("awaiting_acceptance", timezone.localdate(), "已清理")
    assert handler.post(f"{url}act/", {"action": "accept"}, format="json").status_code == 403
    assert handler.post(f"{url}act/", {"action": "teleport"}, format="json").json()["errors"] == {
        "action": ["没有“teleport”这个操作。"]}
    log = handler.get(f"{url}log/").json()
    assert log["number"] == hazard.number and [row["action"] for row in log["log"]] == ["create", "complete"]
    assert log["allowed_actions"] == []
    officer = api(world.officer("a"))
    assert officer.post(f"{url}act/", {"action": "send_back"}, format="json").json()["errors"] == {
        "note": ["请填写退回理由。"]}
    assert officer.post(f"{url}act/", {"action": "send_back", "note": "围挡不够"}, format="json").status_code == 200
    hazard.refresh_from_db()
    assert hazard.state == "rectifying" and hazard.sent_back_count == 1
    assert api(world.officer("b")).post(f"{url}act/", {"action": "accept"}, format="json").status_code == 404
    assert api(world.users["leader"]).post(f"{url}act/", {"action": "start"}, format="json").status_code == 403


def test_the_api_supervision_extension_and_attachments(world, api):
    hazard = make_case(world, "a", "hazards.hazard")
    url = f"{API['hazards.hazard']}{hazard.pk}/"
    response = api(world.users["center_staff"]).post(f"{url}supervise/", {"note": "限期整改"}, format="json")
    assert response.status_code == 201
    supervision = Supervision.objects.get()
    handler = api(world.users["handler_a"])
    response = handler.post(f"{url}supervision-reply/", {"supervision": supervision.pk, "reply": "已整改"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "answered"
    supervision.refresh_from_db()
    assert supervision.reply == "已整改"
    new = (hazard.rectify_deadline + dt.timedelta(days=5)).isoformat()
    response = handler.post(f"{url}extension/", {"new_deadline": new, "reason": "等待配件"}, format="json")
    assert response.status_code == 201
    extension = Extension.objects.get()
    officer = api(world.officer("a"))
    response = officer.post(f"{url}extension/decide/", {"extension": extension.pk, "decision": "refuse"}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"decision_note": ["不批准时请填写理由。"]}
    response = officer.post(f"{url}extension/decide/",
                            {"extension": extension.pk, "decision": "refuse", "decision_note": "理由不足"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "refused"
    extension.refresh_from_db()
    assert (extension.status, extension.decision_note) == ("refused", "理由不足")
    body = handler.get(f"{url}attachments/").json()
    assert body == {"number": hazard.number, "attachments": []}


def test_the_events_api_keeps_the_offline_report_and_takes_steps(world, api):
    """The phone page's offline queue posts a report with an idempotency key (static/events/offline.js): a
    resend registers nothing new. Then the centre dispatches through the generic act, another township's
    department being refused in Chinese beside its field."""
    from pingan.events.models import Event
    from pingan.events.testing import make_categories

    garbage = make_categories(world)["garbage"]
    grid = api(world.users["grid_a"])
    body = {"category": garbage.pk, "description": "村口垃圾堆放", "jurisdiction": world.grid("a").pk,
            "attribute[kind]": "living", "idempotency_key": "offline-surface-0001"}
    first = grid.post(API["events.event"], body, format="multipart")
    assert first.status_code == 201 and first.json()["created"] is True
    again = grid.post(API["events.event"], body, format="multipart")
    assert again.status_code == 200 and again.json()["created"] is False and again.json()["id"] == first.json()["id"]
    event = Event.objects.get()
    assert event.idempotency_key == "offline-surface-0001" and event.state == "reported"

    centre = api(world.users["center_staff"])
    url = f"{API['events.event']}{event.pk}/act/"
    assert centre.post(url, {"action": "register"}, format="json").status_code == 200
    response = centre.post(url, {"action": "dispatch", "data": {"assigned_department": 987654}}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"assigned_department": ["所选承办部门不存在或不在您的管辖范围内。"]}
    township = api(world.officer("b"))
    assert township.post(url, {"action": "dispatch"}, format="json").status_code == 404
    police = world.departments["police_a"].pk
    response = centre.post(url, {"action": "dispatch", "data": {"assigned_department": police}}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "dispatched"
    event.refresh_from_db()
    assert event.state == "dispatched" and event.assigned_department == world.departments["police_a"]
    log = api(world.users["handler_a"]).get(f"{API['events.event']}{event.pk}/log/").json()
    assert log["number"] == event.number
    assert [a["action"] for a in log["allowed_actions"]] == ["accept", "feedback", "return"]
    assert [row["action"] for row in log["log"]] == ["create", "register", "dispatch"]


def test_a_date_deadline_reads_as_that_day_24_00_on_the_page_and_in_the_queue(world, client):
    from pingan.hazards.models import Hazard

    hazard = make_case(world, "a", "hazards.hazard")
    Hazard.objects.filter(pk=hazard.pk).update(due_at=timezone.make_aware(dt.datetime(2031, 3, 6, 0, 0)))
    client.force_login(world.users["handler_a"])
    page = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert '<span class="muted">当前环节期限</span> 2031-03-05 24:00</p>' in page
    queue = client.get(reverse("hazards:queue"), {"tab": "todo"}).content.decode()
    assert '<td data-label="期限">2031-03-05 24:00</td>' in queue
    Hazard.objects.filter(pk=hazard.pk).update(due_at=timezone.make_aware(dt.datetime(2031, 3, 6, 17, 30)))
    page = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert '<span class="muted">当前环节期限</span> 2031-03-06 17:30</p>' in page


def test_a_district_photo_rule_makes_the_steps_photo_field_required(world, client):
    from pingan.cases.models import WorkflowRule
    from pingan.hazards.tests.conftest import png

    WorkflowRule.objects.create(case_type="hazards.hazard", action="complete", photo_required=True)
    hazard = make_case(world, "a", "hazards.hazard")
    client.force_login(world.users["handler_a"])
    url = reverse("hazards:act", args=[hazard.pk])
    form = client.get(url, {"action": "complete"}).content.decode()
    assert "现场照片（必填）" in form and "按本区规定须上传，最多 9 张图片" in form
    today = timezone.localdate().isoformat()
    response = client.post(url, {"action": "complete", "rectified_on": today, "measures": "已清理"})
    assert response.status_code == 400
    row = response.content.decode().split('<div class="form-row has-error">', 1)[1].split("</div>", 1)[0]
    assert 'name="photos"' in row and "按本区规定，“整治完成，提请验收”须上传现场照片。" in row
    hazard.refresh_from_db()
    assert hazard.state == "pending"
    response = client.post(url, {"action": "complete", "rectified_on": today, "measures": "已清理", "photos": [png()]})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == "awaiting_acceptance"
    log = TransitionLog.objects.for_case(hazard).get(action="complete")
    assert [a.content_type for a in log.attachments.all()] == ["image/png"]
