"""A grid worker's report from the phone page reaches a department, is handled, checked, closed and evaluated,
with the due moment and overdue shown — each step taken through the generic case pages (pingan/cases/views.py)
by the role that owns it, the database read back after every post."""
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pingan.cases import engine
from pingan.cases.models import TransitionLog, WorkflowAttachment
from pingan.core.models import AuditEntry
from pingan.events.choices import EventState
from pingan.events.models import DispatchRule, Event
from pingan.events.testing import jpeg_bytes

pytestmark = pytest.mark.django_db


def act(client, event, action, **data):
    return client.post(reverse("events:act", args=[event.pk]), {"action": action, **data})


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

    # 2. The centre registers: the page's first button is 受理立案, each button opens only its own form.
    client.force_login(centre)
    body = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    buttons = body.split('class="case-actions"')[1].split("</div>")[0]
    assert buttons.index("受理立案") < buttons.index("标记为重复件") < buttons.index("不予立案")
    form = client.get(reverse("events:act", args=[event.pk]), {"action": "register"}).content.decode()
    assert 'name="action" value="register"' in form and 'value="duplicate"' not in form
    assert act(client, event, "register").status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.REGISTERED and event.registered_at is not None

    # After 受理立案 the likely next step is 派遣 (before 标记为重复件), and its form is the dispatch form.
    body = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    buttons = body.split('class="case-actions"')[1].split("</div>")[0]
    assert buttons.index(">派遣<") < buttons.index("标记为重复件")
    form = client.get(reverse("events:act", args=[event.pk]), {"action": "dispatch"}).content.decode()
    assert "按派遣规则建议：河底派出所" in form and "处置时限 2 工作日" in form and "原件编号" not in form
    assert act(client, event, "dispatch", assigned_department=world.departments["police_a"].pk).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.DISPATCHED and event.assigned_department == world.departments["police_a"]
    # 2 working days: due at the close of office hours (17:30), in the future.
    assert event.due_at > timezone.now() and timezone.localtime(event.due_at).strftime("%H:%M") == "17:30"

    # 3. The department's handler sees it waiting, accepts it and reports back with a photo.
    client.force_login(handler)
    queue = client.get(reverse("events:queue")).content.decode()
    assert event.number in queue
    assert act(client, event, "accept").status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.HANDLING
    assert act(client, event, "feedback", handling_result="已联系保洁清运",
               photos=SimpleUploadedFile("处置后.jpg", jpeg_bytes(color=(10, 200, 10)))).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.CHECKING and event.handled_at is not None
    assert event.handling_result == "已联系保洁清运"

    # 4. The reporting grid worker checks: not good enough, sent back with a reason (返工) …
    client.force_login(grid_worker)
    assert event.number in client.get(reverse("events:queue")).content.decode()
    refused = act(client, event, "send_back", note="")
    assert refused.status_code == 400 and "请填写退回理由" in refused.content.decode()
    event.refresh_from_db()
    assert event.state == EventState.CHECKING and event.sent_back_count == 0
    assert act(client, event, "send_back", note="还有一堆没清走").status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.HANDLING and event.sent_back_count == 1

    # … the handler finishes, and the grid worker closes and evaluates (评价 keeps the state).
    client.force_login(handler)
    assert act(client, event, "feedback", handling_result="全部清运完毕").status_code == 302
    client.force_login(grid_worker)
    assert act(client, event, "close", check_note="已核实").status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.CLOSED and event.closed_at and event.check_note == "已核实"
    assert act(client, event, "evaluate", satisfaction="satisfied", evaluation_note="清理及时").status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.CLOSED and event.satisfaction == "satisfied"
    assert event.evaluation_note == "清理及时" and event.checked_by == grid_worker

    steps = list(TransitionLog.objects.filter(case_type="events.event", case_id=event.pk)
                 .values_list("action", flat=True))
    assert steps == ["create", "register", "dispatch", "accept", "feedback", "send_back", "feedback", "close",
                     "evaluate"]
    actions = set(AuditEntry.objects.filter(object_type="events.event", object_id=str(event.pk))
                  .values_list("action", flat=True))
    assert {"event.register", "event.dispatch", "event.accept", "event.feedback", "event.send_back",
            "event.close", "event.evaluate"} <= actions
    photos = list(WorkflowAttachment.objects.filter(case_type="events.event", case_id=event.pk).order_by("pk"))
    assert len(photos) == 2
    # The handling department sees the report photo too, through the one attachment route.
    client.force_login(handler)
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert reverse("cases:attachment", args=[photos[0].pk]) in page
    assert client.get(reverse("cases:attachment", args=[photos[0].pk])).status_code == 200


def _dispatched(world, cats, category="gas", department="police_a"):
    from pingan.events import services

    extra = {"attributes": {"kind": "living"}} if category == "garbage" else {}
    event = services.event_report(actor=world.users["grid_a"], category=cats[category], description="闻到燃气味",
                                  **extra).event
    centre = world.users["center_staff"]
    engine.transition(actor=centre, case=event, action="register")
    engine.transition(actor=centre, case=event, action="dispatch",
                      data={"assigned_department": world.departments[department]})
    event.refresh_from_db()
    return event


def test_an_event_past_its_deadline_shows_as_overdue_in_the_queue_and_on_its_page(world, cats, client):
    event = _dispatched(world, cats)
    Event.objects.filter(pk=event.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(world.users["handler_a"])
    body = client.get(reverse("events:queue") + "?tab=overdue").content.decode()
    assert event.number in body and "已超期" in body and "已超期 <strong>1</strong>" in body
    assert "已超期" in client.get(reverse("events:detail", args=[event.pk])).content.decode()


def test_a_handler_of_another_department_cannot_act_on_the_event(world, cats, client):
    event = _dispatched(world, cats, category="garbage", department="county_police")
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


def test_return_and_reopen_through_the_pages(world, cats, client):
    """退回中心 clears the unit; 重新办理 of a rejected event counts a reopen; both need a reason."""
    event = _dispatched(world, cats)
    client.force_login(world.users["handler_a"])
    response = act(client, event, "return", note="")
    assert response.status_code == 400 and "请填写退回理由" in response.content.decode()
    assert act(client, event, "return", note="不属于派出所职责").status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.REGISTERED and event.assigned_department is None
    client.force_login(world.users["center_staff"])
    assert act(client, event, "dispatch", assigned_department=world.departments["county_police"].pk).status_code == 302
    event.refresh_from_db()
    assert event.state == EventState.DISPATCHED and event.assigned_department == world.departments["county_police"]

    from pingan.events import services

    other = services.event_report(actor=world.users["grid_a"], category=cats["gas"], description="燃气味").event
    assert act(client, other, "reject", note="非本辖区").status_code == 302
    other.refresh_from_db()
    assert other.state == EventState.REJECTED and other.closed_at is not None
    assert act(client, other, "reopen", note="核实属本辖区").status_code == 302
    other.refresh_from_db()
    assert other.state == EventState.REGISTERED and other.reopen_count == 1 and other.closed_at is None


def test_duplicate_takes_the_originals_number_in_scope(world, cats, client):
    from pingan.events import services

    first = services.event_report(actor=world.users["grid_a"], category=cats["gas"], description="燃气味一").event
    second = services.event_report(actor=world.users["grid_a"], category=cats["gas"], description="燃气味二").event
    client.force_login(world.users["center_staff"])
    response = act(client, second, "duplicate", duplicate_of="SJ-NOPE")
    assert response.status_code == 400 and "找不到编号为“SJ-NOPE”的事件" in response.content.decode()
    second.refresh_from_db()
    assert second.state == EventState.REPORTED and second.duplicate_of is None
    assert act(client, second, "duplicate", duplicate_of=first.number).status_code == 302
    second.refresh_from_db()
    assert second.state == EventState.DUPLICATE and second.duplicate_of == first
