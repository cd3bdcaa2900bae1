"""A grid worker's report from the phone page reaches a department, is handled, checked and closed, with the
deadline and overdue shown — each step taken through the pages by the role that owns it."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pingan.core.models import AuditEntry

from pingan.cases.models import TransitionLog, WorkflowAttachment
from pingan.events.choices import EventState
from pingan.events.models import DispatchRule, Event
from pingan.events.testing import jpeg_bytes

pytestmark = pytest.mark.django_db


def test_a_phone_report_goes_from_the_grid_to_a_department_and_back_to_closure(world, cats, client):
    DispatchRule.objects.create(category=cats["garbage"], jurisdiction=world.township("a"),
                                department=world.departments["police_a"])
    grid_worker, centre, handler = world.users["grid_a"], world.users["center_staff"], world.users["handler_a"]

    # 1. The grid worker reports from the phone page (no script: a plain form post).
    client.force_login(grid_worker)
    page = client.get(reverse("events:report"))
    assert page.status_code == 200 and "上报网格事件" in page.content.decode()
    response = client.post(reverse("events:report"), {
        "category": cats["garbage"].pk, "description": "固庄村口<b>垃圾</b>堆放", "jurisdiction": world.grid("a").pk,
        "latitude": "37.85", "longitude": "113.55", "urgency": "normal", "attribute[kind]": "living",
        "idempotency_key": "phone-e2e-0001", "photos": SimpleUploadedFile("现场.jpg", jpeg_bytes()),
    })
    event = Event.objects.get()
    assert response.status_code == 302 and response.url == reverse("events:detail", args=[event.pk])
    body = client.get(response.url).content.decode()
    assert "&lt;b&gt;垃圾&lt;/b&gt;" in body and "<b>垃圾</b>" not in body  # shown escaped

    # 2. The centre registers and dispatches: the rule's department and deadline are suggested.
    client.force_login(centre)
    assert client.post(reverse("events:act", args=[event.pk]), {"action": "register"}).status_code == 302
    body = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert "按派遣规则建议：河底派出所" in body and "2 工作日" in body
    assert client.post(reverse("events:act", args=[event.pk]), {
        "action": "dispatch", "department": world.departments["police_a"].pk}).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.DISPATCHED and event.assigned_department == world.departments["police_a"]
    assert event.handling_due_at is not None and event.deadline_text == "2 工作日"

    # 3. The department's handler sees it waiting, accepts it and reports back with a photo.
    client.force_login(handler)
    queue = client.get(reverse("events:queue")).content.decode()
    assert event.number in queue
    assert client.post(reverse("events:act", args=[event.pk]), {"action": "accept"}).status_code == 302
    assert client.post(reverse("events:act", args=[event.pk]), {
        "action": "feedback", "handling_result": "已联系保洁清运",
        "photos": SimpleUploadedFile("处置后.jpg", jpeg_bytes(color=(10, 200, 10)))}).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.CHECKING and event.handled_at is not None

    # 4. The reporting grid worker checks: not good enough, sent back with a reason (返工) …
    client.force_login(grid_worker)
    assert event.number in client.get(reverse("events:queue")).content.decode()
    refused = client.post(reverse("events:act", args=[event.pk]), {"action": "send_back", "note": ""})
    assert refused.status_code == 400 and "请填写退回理由" in refused.content.decode()
    assert client.post(reverse("events:act", args=[event.pk]), {
        "action": "send_back", "note": "还有一堆没清走"}).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.HANDLING and event.sent_back_count == 1

    # … the handler finishes, and the grid worker closes and evaluates.
    client.force_login(handler)
    client.post(reverse("events:act", args=[event.pk]), {"action": "feedback", "handling_result": "全部清运完毕"})
    client.force_login(grid_worker)
    assert client.post(reverse("events:act", args=[event.pk]), {"action": "close", "check_note": "已核实"}).status_code == 302
    assert client.post(reverse("events:evaluate", args=[event.pk]), {"satisfaction": "satisfied"}).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.CLOSED and event.closed_at and event.satisfaction == "satisfied"
    assert event.checked_by == grid_worker

    steps = list(TransitionLog.objects.filter(case_type="events.event", case_id=event.pk).values_list("action", flat=True))
    assert steps == ["create", "register", "dispatch", "accept", "feedback", "send_back", "feedback", "close", "evaluate"]
    actions = set(AuditEntry.objects.filter(object_type="events.event", object_id=str(event.pk)).values_list("action", flat=True))
    assert {"events.event.report", "event.register", "event.dispatch", "event.accept", "event.feedback",
            "event.send_back", "event.close", "event.evaluate"} <= actions
    assert WorkflowAttachment.objects.filter(case_type="events.event", case_id=event.pk).count() == 2
    # The handling department sees the report photo too.
    client.force_login(handler)
    first = WorkflowAttachment.objects.filter(case_type="events.event", case_id=event.pk).order_by("pk").first()
    assert client.get(reverse("events:photo", args=[event.pk]) + f"?id={first.pk}").status_code == 200


def test_an_event_past_its_deadline_shows_as_overdue_in_the_queue_and_on_its_page(world, cats, client):
    from pingan.events import services

    event = services.event_report(actor=world.users["grid_a"], category=cats["gas"], description="闻到燃气味").event
    services.event_act(actor=world.users["center_staff"], event=event, action="register")
    services.event_act(actor=world.users["center_staff"], event=event, action="dispatch",
                       data={"assigned_department": world.departments["police_a"]})
    event.refresh_from_db()
    assert event.deadline_text == "4 工作小时"
    Event.objects.filter(pk=event.pk).update(due_at=timezone.now() - dt.timedelta(hours=1),
                                             deadline=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(world.users["handler_a"])
    body = client.get(reverse("events:queue") + "?tab=overdue").content.decode()
    assert event.number in body and "已超期" in body
    assert "已超期" in client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_a_handler_of_another_department_cannot_act_on_the_event(world, cats, client):
    from pingan.events import services

    event = services.event_report(actor=world.users["grid_a"], category=cats["garbage"], description="垃圾",
                                  attributes={"kind": "living"}).event
    services.event_act(actor=world.users["center_staff"], event=event, action="register")
    services.event_act(actor=world.users["center_staff"], event=event, action="dispatch",
                       data={"assigned_department": world.departments["county_police"]})
    # 河底派出所's handler: the event is in its township but dispatched to another department, so for it the
    # event does not exist (a handler sees the cases assigned to its department, not its place).
    client.force_login(world.users["handler_a"])
    response = client.post(reverse("events:act", args=[event.pk]), {"action": "feedback", "handling_result": "x"})
    assert response.status_code == 404
    event.refresh_from_db()
    assert event.state == EventState.DISPATCHED
    client.force_login(world.users["county_handler"])  # 区公安分局, the handling unit
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 200
    client.force_login(world.users["handler_b"])  # another township's department: the event does not exist for it
    assert client.post(reverse("events:act", args=[event.pk]), {"action": "feedback"}).status_code == 404
