"""Who is told what when a case moves (pingan/cases/notify.py), through the case layer's signal."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from pingan.cases.definitions import get_kind
from pingan.cases.signals import case_event
from pingan.notifications.models import Notification

K = Notification.Kind


def _send(case, event, actor, **extra):
    case_event.send(sender=type(case), case=case, actor=actor, event=event, log=None, **extra)


def _told():
    return sorted((n.recipient.username, n.kind, n.title) for n in Notification.objects.select_related("recipient"))


@pytest.fixture(autouse=True)
def _quiet(settings):
    settings.PINGAN_NOTIFY_QUIET_HOURS = None


@pytest.mark.django_db
def test_dispatch_to_a_department_tells_its_handlers_and_the_reporter_but_not_the_actor(world, receiver, make_event):
    event = make_event(assigned_department=world.departments["police_a"], reporter=world.users["grid_a"])
    _send(event, "transition", world.users["center_staff"], transition=get_kind(event).transition("dispatch"))
    assert _told() == [
        ("grid_a", "report_progress", "您上报的网格事件 SJTEST0001：派遣，现为“已派遣待处置”"),
        ("handler_a", "assigned", "新派案件：网格事件 SJTEST0001"),
    ]
    row = Notification.objects.get(recipient=world.users["handler_a"])
    assert (row.url, row.case_type, row.case_id) == (f"/events/{event.pk}/", "events.event", event.pk)
    assert "13912345678" not in row.body and "路口积水" not in row.body  # never the description


@pytest.mark.django_db
def test_a_step_that_assigns_by_a_declared_effect_counts_as_dispatch(world, receiver, make_event):
    """The engine's declared effects (`assign("assigned_department", "assigned_township")`) name the unit too."""
    event = make_event(assigned_department=world.departments["police_a"])
    assign = SimpleNamespace(op="assign", fields=("assigned_department", "assigned_township"))
    dispatch = SimpleNamespace(name="dispatch", label="派遣", sources=("registered",), target="dispatched",
                               required=(), optional=(), effects=(assign,))
    _send(event, "transition", world.users["center_staff"], transition=dispatch)
    assert _told() == [("handler_a", "assigned", "新派案件：网格事件 SJTEST0001")]


@pytest.mark.django_db
def test_dispatch_to_a_township_tells_that_townships_officers_only(world, receiver, make_event):
    event = make_event(assigned_township=world.township("a"))
    _send(event, "transition", world.users["center_staff"], transition=get_kind(event).transition("dispatch"))
    assert _told() == [("township_a", "assigned", "新派案件：网格事件 SJTEST0001")]


@pytest.mark.django_db
def test_steps_inside_the_unit_do_not_bother_the_reporter(world, receiver, make_event):
    event = make_event(state="handling", assigned_department=world.departments["police_a"],
                       reporter=world.users["grid_a"])
    _send(event, "transition", world.users["handler_a"], transition=get_kind(event).transition("accept"))
    assert _told() == []
    event.state = "closed"
    _send(event, "transition", world.users["center_staff"], transition=get_kind(event).transition("close"))
    assert _told() == [("grid_a", "report_progress", "您上报的网格事件 SJTEST0001：核查通过，结案，现为“已结案”")]


@pytest.mark.django_db
def test_the_reporter_registering_their_own_report_hears_nothing(world, receiver, make_event):
    event = make_event(state="reported", reporter=world.users["grid_a"])
    _send(event, "registered", world.users["grid_a"])
    assert _told() == []
    _send(event, "registered", world.users["center_staff"])
    assert _told() == [("grid_a", "report_progress", "您上报的网格事件 SJTEST0001已登记")]


@pytest.mark.django_db
def test_supervision_send_back_and_their_replies(world, receiver, make_event):
    centre = world.users["center_staff"]
    event = make_event(state="handling", assigned_department=world.departments["police_a"],
                       reporter=world.users["grid_a"])
    _send(event, "supervised", centre, supervision=SimpleNamespace(by=centre))
    _send(event, "supervision_replied", world.users["handler_a"], supervision=SimpleNamespace(by=centre))
    _send(event, "sent_back", world.users["grid_a"])
    assert _told() == [
        ("center_staff", "supervision_replied", "督办已反馈：网格事件 SJTEST0001"),
        ("handler_a", "sent_back", "被退回重办：网格事件 SJTEST0001"),
        ("handler_a", "supervised", "督办：网格事件 SJTEST0001"),
    ]


@pytest.mark.django_db
def test_an_extension_request_goes_to_the_centre_and_the_decision_to_the_requester(world, receiver, make_event):
    event = make_event(state="handling", assigned_department=world.departments["police_a"])
    handler = world.users["handler_a"]
    _send(event, "extension_requested", handler, extension=SimpleNamespace(requested_by=handler))
    assert _told() == [("center_staff", "extension_requested", "延期申请待审批：网格事件 SJTEST0001")]
    Notification.objects.all().delete()
    extension = SimpleNamespace(requested_by=handler, status="approved", new_deadline=dt.date(2026, 12, 10))
    _send(event, "extension_decided", world.users["center_staff"], extension=extension)
    assert _told() == [("handler_a", "extension_decided", "延期申请已同意：网格事件 SJTEST0001")]
    assert Notification.objects.get().body == "申请延至 2026-12-10"


@pytest.mark.django_db
def test_a_failure_in_a_receiver_never_reaches_the_caller(world, receiver, make_event, monkeypatch, caplog):
    event = make_event(assigned_department=world.departments["police_a"])

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(receiver, "notify", broken)
    _send(event, "supervised", world.users["center_staff"])
    assert _told() == []
    assert "案件消息通知失败" in caplog.text


@pytest.mark.django_db
def test_connect_is_idempotent(receiver):
    receiver.connect()
    receiver.connect()
    assert sum(1 for entry in case_event.receivers if entry[0][0] == receiver.DISPATCH_UID) == 1
