"""Deadline reminders (pingan/cases/reminders.py): due within 4 working hours → one 即将到期 notice, overdue →
one 已超期 notice, to the handling unit, once per case, kind and due moment; the task schedules itself, never
twice. Times are local (Asia/Shanghai); 2026-11-25 is a Wednesday, 11-27 a Friday, 11-30 a Monday."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from pingan.cases import reminders
from pingan.notifications.models import Notification, Reminder

K = Notification.Kind


def at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime(2026, 11, day, hour, minute))


def _told():
    rows = Notification.objects.select_related("recipient")
    return sorted((n.recipient.username, n.kind, n.display_title) for n in rows)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PINGAN_NOTIFY_QUIET_HOURS = None
    settings.PINGAN_REMINDER_BEFORE_HOURS = 4
    settings.PINGAN_WORKDAY_HOURS = ("08:30", "17:30")


@pytest.mark.django_db
def test_a_case_due_in_three_working_hours_is_reminded_once(world, make_event):
    police = world.departments["police_a"]
    now = at(25, 10)
    make_event(assigned_department=police, due_at=at(25, 13))                   # 3 working hours: reminded
    make_event(assigned_department=police, due_at=at(27, 10))                   # two days away: not yet
    make_event(assigned_department=police, due_at=at(25, 12), state="closed")   # closed: never
    make_event("b", assigned_township=world.township("b"), due_at=at(25, 11), state="handling")  # township B's office
    assert reminders.run_reminders(now=now) == {"due_soon": 2, "overdue": 0}
    assert _told() == [("handler_a", "due_soon", "即将到期：网格事件 SJTEST0001"),
                       ("township_b", "due_soon", "即将到期：网格事件 SJTEST0004")]
    assert Notification.objects.get(recipient=world.users["handler_a"]).body == "当前环节：已派遣待处置，期限 11-25 13:00"
    # The next run (15 minutes later) repeats nothing.
    assert reminders.run_reminders(now=now + dt.timedelta(minutes=15)) == {"due_soon": 0, "overdue": 0}
    assert Notification.objects.count() == 2
    assert Notification.objects.get(recipient=world.users["handler_a"]).count == 1
    assert Reminder.objects.count() == 2


@pytest.mark.django_db
def test_working_hours_skip_the_night_and_the_weekend(world, make_event):
    police = world.departments["police_a"]
    # Friday 16:00: Monday 09:30 is 1.5 + 1 = 2.5 working hours away; Monday 12:30 is 5.5.
    make_event(assigned_department=police, due_at=at(30, 9, 30))
    make_event(assigned_department=police, due_at=at(30, 12, 30))
    assert reminders.run_reminders(now=at(27, 16)) == {"due_soon": 1, "overdue": 0}
    assert _told() == [("handler_a", "due_soon", "即将到期：网格事件 SJTEST0001")]


@pytest.mark.django_db
def test_several_cases_for_one_unit_make_one_digest(world, make_event):
    police = world.departments["police_a"]
    for hour in (11, 12, 14):
        make_event(assigned_department=police, due_at=at(25, hour))
    reminders.run_reminders(now=at(25, 10))
    assert _told() == [("handler_a", "due_soon", "即将到期：网格事件 SJTEST0003 等 3 件")]
    # Several cases: the row links to the events' work queue.
    assert Notification.objects.get().url == "/events/queue/"


@pytest.mark.django_db
def test_an_overdue_case_gets_one_overdue_notice_and_a_new_due_moment_another(world, make_event):
    police = world.departments["police_a"]
    now = timezone.now()
    event = make_event(assigned_department=police, due_at=now - dt.timedelta(hours=1))
    make_event(assigned_department=police, due_at=now - dt.timedelta(days=30))  # long past: history, not news
    assert reminders.run_reminders(now=now) == {"due_soon": 0, "overdue": 1}
    assert _told() == [("handler_a", "overdue", "已超期：网格事件 SJTEST0001")]
    assert reminders.run_reminders(now=now + dt.timedelta(minutes=15)) == {"due_soon": 0, "overdue": 0}
    assert Notification.objects.get().count == 1
    # An approved extension moved the due moment; it passed too: a new notice (merged into the unread one).
    event.due_at = now - dt.timedelta(minutes=5)
    event.save(update_fields=["due_at"])
    assert reminders.run_reminders(now=now) == {"due_soon": 0, "overdue": 1}
    assert _told() == [("handler_a", "overdue", "已超期：网格事件 SJTEST0001 等 2 件")]


@pytest.mark.django_db
def test_an_overdue_urgent_case_is_texted_even_in_quiet_hours(world, make_event, settings, committed):
    handler = world.users["handler_a"]
    handler.phone = "13912345678"
    handler.save(update_fields=["phone"])
    local = timezone.localtime()
    settings.PINGAN_NOTIFY_QUIET_HOURS = ((local - dt.timedelta(hours=1)).strftime("%H:%M"),
                                          (local + dt.timedelta(hours=1)).strftime("%H:%M"))
    police = world.departments["police_a"]
    make_event(assigned_department=police, due_at=timezone.now() - dt.timedelta(hours=1), urgency="urgent")
    make_event("a", assigned_department=police, due_at=timezone.now() - dt.timedelta(hours=1))
    with committed():
        reminders.run_reminders()
    # The urgent case's notice was sent; the normal one merged into it (a digest sends no second SMS).
    assert list(Notification.objects.values_list("kind", "count", "sms")) == [("overdue", 2, "sent")]


@pytest.mark.django_db
def test_the_task_schedules_itself_and_never_twice(world):
    from django_tasks_db.models import DBTaskResult

    assert reminders.schedule() is True
    assert reminders.schedule() is False
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    DBTaskResult.objects.all().delete()
    before = timezone.now()
    result = reminders.case_reminders.call()
    assert result == {"reminded": {"due_soon": 0, "overdue": 0}, "sms": {}}
    [pending] = DBTaskResult.objects.filter(status="READY")
    assert pending.task_path == "pingan.cases.reminders.case_reminders"
    assert before + dt.timedelta(minutes=15) <= pending.run_after <= timezone.now() + dt.timedelta(minutes=15)
    reminders.case_reminders.call()  # a run while the next waits adds none
    assert DBTaskResult.objects.filter(status="READY").count() == 1


@pytest.mark.django_db
def test_the_command_schedules_once_and_runs_by_hand(world, capsys):
    call_command("case_reminders", "--schedule")
    call_command("case_reminders", "--schedule")
    call_command("case_reminders")
    assert capsys.readouterr().out.splitlines() == [
        "已安排到期提醒任务：每 15 分钟运行一次。",
        "到期提醒任务已在排队，无需重复安排。",
        "即将到期提醒 0 件，超期提醒 0 件；补发短信 0 条。",
    ]
