"""心理服务 (counsellor-only notes, no double booking), the duty schedule, the hall log and its summary, the
indicators and the repeat-visit warning, with expected values worked out by hand."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from pingan.accounts.choices import Role
from pingan.accounts.models import User
from pingan.core.models import AuditEntry
from pingan.hall import choices as c
from pingan.hall import services
from pingan.hall.models import Appointment, DutySlot, Matter
from pingan.hall.testing import make_counsellor, make_matter

NOTES = "来访者诉说家庭压力MKNOTE，约定两周后复诊"


@pytest.fixture(autouse=True)
def _holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()


def at(days, hour, minute=0):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def psych(world):
    counsellor_user = User.objects.create(username="xinli_a", role=Role.CENTER_STAFF, scope=world.township("a"),
                                          full_name="郝心怡")
    counsellor = make_counsellor(world, "a", user=counsellor_user, name="郝心怡")
    matter = make_matter(world, "a", category=c.Category.PSYCH, topic="情绪低落", summary="家庭矛盾导致失眠")
    services.matter_route(actor=world.officer("a"), matter=matter, route=c.Route.PSYCH,
                          data={"counsellor": counsellor, "starts_at": at(2, 9)})
    appointment = Appointment.objects.get()
    services.appointment_record(actor=counsellor_user, appointment=appointment, status=c.AppointmentStatus.DONE,
                                notes=NOTES)
    return counsellor_user, counsellor, appointment


def test_a_double_booked_counsellor_is_refused(world, psych):
    _user, counsellor, _appointment = psych
    matter = make_matter(world, "a", phone="13700000001", category=c.Category.PSYCH)
    services.appointment_book(actor=world.officer("a"), visitor=matter.visitor, counsellor=counsellor,
                              starts_at=at(2, 9), matter=matter)   # the first (done) session no longer blocks
    # The new session runs 09:00–09:50; 09:30 overlaps, 09:50 does not.
    with pytest.raises(ValidationError) as err:
        services.appointment_book(actor=world.officer("a"), visitor=matter.visitor, counsellor=counsellor,
                                  starts_at=at(2, 9, 30), matter=matter)
    assert "郝心怡在该时段已有预约" in err.value.message_dict["starts_at"][0]
    ok = services.appointment_book(actor=world.officer("a"), visitor=matter.visitor, counsellor=counsellor,
                                   starts_at=at(2, 9, 50), matter=matter)
    assert ok.pk and Appointment.objects.count() == 3


def test_a_booking_in_the_past_or_of_another_townships_counsellor_is_refused(world, psych):
    other = make_counsellor(world, "b", name="外镇咨询师")
    matter = make_matter(world, "a", phone="13700000002", category=c.Category.PSYCH)
    with pytest.raises(ValidationError) as err:
        services.appointment_book(actor=world.officer("a"), visitor=matter.visitor, counsellor=other,
                                  starts_at=at(-1, 9))
    assert set(err.value.message_dict) == {"counsellor", "starts_at"}


def test_session_notes_are_read_by_the_counsellor_only(world, psych, login, api):
    counsellor_user, _counsellor, appointment = psych
    url = reverse("hall:appointment_detail", args=[appointment.pk])
    assert "MKNOTE" in login(counsellor_user).get(url).content.decode()
    for persona in ("center_staff", "district_admin", "township_a"):
        response = login(world.users[persona]).get(url)
        assert response.status_code == 200 and "MKNOTE" not in response.content.decode(), persona
        assert "MKNOTE" not in login(world.users[persona]).get(reverse("hall:appointments")).content.decode()
    for persona in ("leader", "mediator_a", "auditor", "handler_a"):
        assert login(world.users[persona]).get(url).status_code in (403, 404), persona
    # Nobody else can write them.
    response = login(world.users["center_staff"]).post(url, {"status": "done", "notes": "改写"})
    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.notes == NOTES
    # Not in the API for anyone, not in the audit trail's values.
    for persona in ("center_staff", "township_a"):
        body = api(world.users[persona]).get(reverse("api:hall-matter-list")).content.decode()
        assert "MKNOTE" not in body
    entry = AuditEntry.objects.filter(action="appointment.update", outcome="success").latest("id")
    assert entry.changes["after"]["notes"] == "（已加密）"
    assert not AuditEntry.objects.filter(changes__icontains="MKNOTE").exists()
    assert AuditEntry.objects.filter(action="appointment.update", outcome="failure").count() == 1


def test_the_counsellor_saves_notes_through_the_page(world, psych, login):
    counsellor_user, _c, appointment = psych
    url = reverse("hall:appointment_detail", args=[appointment.pk])
    response = login(counsellor_user).post(url, {"status": "done", "notes": "第二次记录"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.notes == "第二次记录"
    assert login(counsellor_user).post(url, {"status": "bogus"}).status_code == 400


# ------------------------------------------------------------------------------------------------- duty
def test_the_duty_week_and_today_on_the_window_page(world, login):
    unit = services.duty_unit_create(actor=world.officer("a"), hall=world.township("a"),
                                     data={"name": "河底司法所", "kind": "resident", "window": "1号窗口"})
    services.duty_slot_create(actor=world.officer("a"), unit=unit, date=timezone.localdate(), person="李律师")
    with pytest.raises(ValidationError) as err:
        services.duty_slot_create(actor=world.officer("a"), unit=unit, date=timezone.localdate())
    assert "已排班" in err.value.message_dict["date"][0]
    client = login(world.officer("a"))
    assert "河底司法所" in client.get(reverse("hall:window")).content.decode()
    week = client.get(reverse("hall:duty")).content.decode()
    assert "李律师" in week and "常驻" in week
    with pytest.raises(PermissionDenied):
        services.duty_slot_create(actor=world.officer("b"), unit=unit, date=timezone.localdate())


def test_the_duty_page_adds_a_slot_and_reads_it_back(world, login):
    unit = services.duty_unit_create(actor=world.officer("a"), hall=world.township("a"),
                                     data={"name": "区人社局", "kind": "rotating"})
    client = login(world.officer("a"))
    day = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(reverse("hall:duty"), {"what": "slot", "unit": unit.pk, "date": day.isoformat(),
                                                  "period": "morning", "window": "5号窗口", "person": "王科长"})
    assert response.status_code == 302
    slot = DutySlot.objects.get()
    assert (slot.date, slot.period, slot.window, slot.person) == (day, "morning", "5号窗口", "王科长")
    assert client.post(reverse("hall:duty"), {"what": "slot", "unit": unit.pk, "date": "2026-02-30",
                                              "period": "day"}).status_code == 400
    assert login(world.users["leader"]).post(reverse("hall:duty"), {"what": "slot", "unit": unit.pk,
                                                                    "date": day.isoformat()}).status_code == 403
    assert DutySlot.objects.count() == 1


# -------------------------------------------------------------------------------------------------- log
def _day_of_matters(world):
    """Five matters today at township a's hall: 3 routed to mediation-applicable routes (2 mediation, 1 legal
    advice), 1 answered, 1 waiting."""
    made = [make_matter(world, "a", phone=f"1370000001{i}") for i in range(3)]
    made.append(make_matter(world, "a", phone="13700000020", category=c.Category.POLICY, channel="call"))
    made.append(make_matter(world, "a", phone="13700000021", category=c.Category.POLICY, window="2号窗口"))
    for m in made[:2]:
        services.matter_route(actor=world.officer("a"), matter=m, route=c.Route.MEDIATION,
                              data={"place": world.village("a")})
    services.matter_route(actor=world.officer("a"), matter=made[2], route=c.Route.LEGAL_ADVICE,
                          data={"unit": "法律服务所", "non_mediation_reason": "当事人拒绝调解"})
    services.matter_route(actor=world.officer("a"), matter=made[3], route=c.Route.ANSWERED,
                          data={"note": "已解释政策条件"})
    return made


def test_the_daily_log_counts_by_route_and_outcome(world, login, django_assert_max_num_queries):
    _day_of_matters(world)
    client = login(world.officer("a"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("hall:log"))
    counts = response.context["counts"]
    assert counts["total"] == 5
    assert dict(counts["routes"]) == {"待分流": 1, "人民调解": 2, "信访": 0, "诉讼服务": 0, "劳动仲裁": 0,
                                      "法律援助": 0, "法律咨询": 1, "心理服务": 0, "部门办理": 0, "当场答复": 1}
    assert dict(counts["statuses"]) == {"已登记": 1, "已分流": 2, "已转介": 1, "已答复": 1, "已办结": 0}
    assert login(world.officer("b")).get(reverse("hall:log")).context["counts"]["total"] == 0
    assert client.get(reverse("hall:log"), {"date": "2026-13-01"}).status_code == 400


def test_the_period_summary_and_its_xlsx(world, login):
    from openpyxl import load_workbook

    _day_of_matters(world)
    client = login(world.officer("a"))
    today = timezone.localdate().isoformat()
    table = client.get(reverse("hall:summary"), {"date_from": today, "date_to": today}).context["table"]
    assert dict(table["channels"]) == {"来访": 4, "来电": 1, "来信": 0, "网上": 0}
    assert table["windows"] == [("1号窗口", 4), ("2号窗口", 1)]
    rows = {label: (cells, total) for label, cells, total in table["rows"]}
    assert rows["人民调解"] == ([0, 2, 0, 0, 0], 2)
    response = client.get(reverse("hall:summary"), {"date_from": today, "date_to": today, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]] == ["分流去向", "已登记", "已分流", "已转介", "已答复", "已办结", "合计"]
    assert [cell.value for cell in sheet[4]] == ["人民调解", 0, 2, 0, 0, 0, 2]
    assert AuditEntry.objects.filter(action="matter.export").count() == 1
    assert client.get(reverse("hall:summary"), {"date_from": today, "date_to": "2020-01-01"}).status_code == 400


def test_the_indicators(world):
    from pingan.core.indicators import Query, compute

    _day_of_matters(world)
    today = timezone.localdate()
    result = compute(Query(today, today, world.township("a")), ["hall.visits", "hall.by_route",
                                                                "hall.mediation_first_rate"])
    hall = result["hall"]
    assert hall["visits"] == 5
    assert hall["by_route"]["人民调解"] == 2 and hall["by_route"]["待分流"] == 1
    # Mediation applies to the three 邻里 matters, all routed: 2 of 3 went to mediation → 0.6667.
    assert hall["mediation_first_rate"] == 0.6667
    other = compute(Query(today, today, world.township("b")), ["hall.mediation_first_rate"])
    assert other["hall"]["mediation_first_rate"] is None


def test_the_repeat_visit_warning_names_the_codes(world):
    from pingan.hall.alerts import repeat_visits

    first = make_matter(world, "a")
    second = make_matter(world, "a", topic="漏水第二次")
    assert list(repeat_visits({"visits": 3, "days": 30}, timezone.now())) == []
    third = make_matter(world, "a", topic="漏水第三次")
    specs = list(repeat_visits({"visits": 3, "days": 30}, timezone.now()))
    assert len(specs) == 1
    assert specs[0].title == "来访人a 30 天内来访 3 次"
    for m in (first, second, third):
        assert m.code in specs[0].reason
    # Thirty-one days later none of them is within the window.
    assert list(repeat_visits({"visits": 3, "days": 30}, timezone.now() + dt.timedelta(days=31))) == []


def test_overdue_routing_after_one_working_day(world):
    matter = make_matter(world, "a")
    assert Matter.objects.filter(Matter.objects.overdue_q()).count() == 0
    later = matter.route_due_at + dt.timedelta(seconds=1)
    assert Matter.objects.filter(Matter.objects.overdue_q(later)).count() == 1


def test_list_pages_keep_their_query_counts_as_rows_grow(world, login, psych, django_assert_max_num_queries):
    for i in range(6):
        make_matter(world, "a", phone=f"1360000000{i}", name="王秀英")
    client = login(world.officer("a"))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("hall:window"), {"q": "王秀英"}).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("hall:appointments")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("hall:duty")).status_code == 200


def test_a_slot_is_cancelled_and_audited(world, login):
    unit = services.duty_unit_create(actor=world.officer("a"), hall=world.township("a"),
                                     data={"name": "区住建局", "kind": "rotating"})
    slot = services.duty_slot_create(actor=world.officer("a"), unit=unit, date=timezone.localdate())
    assert login(world.officer("b")).post(reverse("hall:duty_slot_delete", args=[slot.pk])).status_code == 404
    assert login(world.officer("a")).post(reverse("hall:duty_slot_delete", args=[slot.pk])).status_code == 302
    assert not DutySlot.objects.exists()
    assert AuditEntry.objects.filter(action="dutyslot.delete", object_id=str(slot.pk)).count() == 1
