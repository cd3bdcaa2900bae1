"""The issue's 'done when': a hazard goes from registration to 已整治 through the web, each step by the role
that owns it, with its deadline in working days; an overdue hazard shows in the supervisor's queue."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from pingan.core.calendar import add_working_days
from pingan.core.models import AuditEntry
from pingan.cases.models import TransitionLog, WorkflowAttachment
from pingan.hazards.models import Hazard
from pingan.hazards.testing import make_hazard

from .conftest import png

pytestmark = pytest.mark.usefixtures("holidays")


def end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0)))


def close_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(17, 30)))


def test_a_hazard_goes_from_registration_to_rectified_through_the_web(world, client):
    today = timezone.localdate()
    screened = today - dt.timedelta(days=2)
    grid_worker, handler, officer = world.users["grid_a"], world.users["handler_a"], world.officer("a")

    client.force_login(grid_worker)
    page = client.get(reverse("hazards:create"))
    assert page.status_code == 200 and "排查登记" in page.content.decode()
    response = client.post(reverse("hazards:create"), {
        "jurisdiction": world.grid("a").pk, "screened_on": screened.isoformat(), "hazard_type": "01",
        "risk_level": "02", "description": "加油站旁违规存放液化气罐", "responsible_department": world.departments["police_a"].pk,
        "responsible_person": "张警官", "photos": [png()],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    hazard = Hazard.objects.get()
    assert hazard.number == f"YH{world.township('a').code}{screened:%Y%m%d}001"
    assert hazard.state == "pending"
    # 中风险: 20 working days from the screening date, on the holiday calendar.
    assert hazard.rectify_deadline == add_working_days(screened, 20)
    assert hazard.due_at == end_of(hazard.rectify_deadline)  # a date's end: the next midnight
    assert WorkflowAttachment.objects.filter(case_id=hazard.pk).count() == 1

    client.force_login(handler)
    detail = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert "开始整治" in detail and "验收通过" not in detail
    assert client.post(reverse("hazards:act", args=[hazard.pk]),
                       {"action": "start", "measures": "清走液化气罐"}).status_code == 302
    response = client.post(reverse("hazards:act", args=[hazard.pk]), {
        "action": "complete", "rectified_on": today.isoformat(), "measures": "清走液化气罐，设置警示标志"})
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == "awaiting_acceptance"
    assert hazard.due_at == close_of(add_working_days(today, 5))  # 验收: 5 working days, to 17:30

    client.force_login(officer)
    assert "验收通过" in client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert client.post(reverse("hazards:act", args=[hazard.pk]),
                       {"action": "accept", "acceptance_note": "现场核查合格"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.state == "rectified" and hazard.due_at is None and hazard.closed_at
    assert hazard.accepted_by == officer and hazard.accepted_on == today
    steps = list(TransitionLog.objects.for_case(hazard).values_list("action", "actor__username"))
    assert steps == [("create", "grid_a"), ("start", "handler_a"), ("complete", "handler_a"), ("accept", "township_a")]
    actions = set(AuditEntry.objects.filter(object_type="hazards.hazard", object_id=str(hazard.pk))
                  .values_list("action", flat=True))
    assert {"hazard.create", "hazard.start", "hazard.complete", "hazard.accept"} <= actions
    page = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    assert "已整治" in page and "现场核查合格" in page


def test_an_overdue_hazard_shows_in_the_supervisors_queue_and_home(world, client):
    today = timezone.localdate()
    late = make_hazard(world, "a", screened_on=today - dt.timedelta(days=90), risk_level="03",
                       description="矿区塌陷区未设围挡")
    on_time = make_hazard(world, "a", description="村口电线老化")
    assert Hazard.objects.overdue().get() == late
    client.force_login(world.users["center_staff"])
    queue = client.get(reverse("hazards:queue"), {"tab": "overdue"}).content.decode()
    assert late.number in queue and on_time.number not in queue
    home = client.get(reverse("core:home")).content.decode()
    assert "风险隐患" in home and "/hazards/queue/?tab=overdue" in home


def test_a_supervision_reaches_the_responsible_departments_queue_and_is_answered(world, client):
    hazard = make_hazard(world, "a")
    client.force_login(world.users["center_staff"])
    assert client.post(reverse("hazards:supervise", args=[hazard.pk]), {"note": "请三日内整改到位"}).status_code == 302
    client.force_login(world.users["handler_a"])
    queue = client.get(reverse("hazards:queue"), {"tab": "supervised"}).content.decode()
    assert hazard.number in queue and "督办中 <strong>1</strong>" in queue
    assert "请三日内整改到位" in client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
    supervision = hazard_supervision(hazard)
    assert client.post(reverse("hazards:supervision_reply", args=[hazard.pk]),
                       {"supervision": supervision.pk, "reply": "已清理完毕"}).status_code == 302
    supervision.refresh_from_db()
    assert supervision.status == "answered" and supervision.reply == "已清理完毕"
    assert supervision.replied_by == world.users["handler_a"]
    queue = client.get(reverse("hazards:queue"), {"tab": "supervised"}).content.decode()
    assert hazard.number not in queue and "督办中 <strong>0</strong>" in queue


def hazard_supervision(hazard):
    from pingan.cases.models import Supervision

    return Supervision.objects.for_case(hazard).get()


def test_an_extension_approved_by_the_township_moves_the_deadline(world, client):
    hazard = make_hazard(world, "a")
    new = hazard.rectify_deadline + dt.timedelta(days=10)
    client.force_login(world.users["handler_a"])
    assert client.post(reverse("hazards:extension_request", args=[hazard.pk]),
                       {"new_deadline": new.isoformat(), "reason": "需协调供电公司停电作业"}).status_code == 302
    from pingan.cases.models import Extension

    extension = Extension.objects.get()
    client.force_login(world.officer("a"))
    assert client.post(reverse("hazards:extension_decide", args=[hazard.pk]),
                       {"extension": extension.pk, "decision": "approve"}).status_code == 302
    hazard.refresh_from_db()
    assert hazard.rectify_deadline == new and hazard.due_at == end_of(new)
    assert AuditEntry.objects.filter(action="hazard.extension_approve", object_id=str(hazard.pk)).exists()


def test_the_list_filters_and_pins_its_query_count(world, client, django_assert_max_num_queries):
    for i in range(12):
        make_hazard(world, "a", description=f"隐患{i}", risk_level="01" if i % 2 else "03")
    client.force_login(world.officer("a"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("hazards:list"), {"risk_level": "01"})
    assert response.status_code == 200
    assert response.content.decode().count("/hazards/") >= 6
    with django_assert_max_num_queries(12):
        assert client.get(reverse("hazards:list")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("hazards:queue")).status_code == 200
