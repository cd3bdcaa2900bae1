"""The notify service: rows in bulk, digests instead of storms, scrubbing, SMS by kind, quiet hours, the
HTTP gateway (no network: urlopen is replaced), and the held SMS released by the periodic job."""
from __future__ import annotations

import datetime as dt
import json
import urllib.error
from unittest import mock

import pytest
from django.utils import timezone

from pingan.core.models import AuditEntry
from pingan.notifications import channels
from pingan.notifications.channels import HttpSMSBackend, in_quiet_hours
from pingan.notifications.models import Notification
from pingan.notifications.services import notify, release_held_sms, scrub

K = Notification.Kind
HTTP = "pingan.notifications.channels.HttpSMSBackend"


class Recorder:
    """An SMS backend that keeps what it was asked to send."""

    sent: list[tuple[str, str]] = []

    def send(self, phone, text):
        Recorder.sent.append((phone, text))
        return True


@pytest.fixture
def sms(settings):
    Recorder.sent = []
    settings.PINGAN_SMS_BACKEND = "pingan.notifications.tests.test_notify.Recorder"
    settings.PINGAN_NOTIFY_QUIET_HOURS = None
    return Recorder.sent


@pytest.fixture
def phones(world):
    for name, phone in (("handler_a", "13912345678"), ("township_a", "13800001111"), ("center_staff", "")):
        world.users[name].phone = phone
        world.users[name].save(update_fields=["phone"])
    return world


def _local(hour, minute=0):
    return timezone.make_aware(dt.datetime(2026, 11, 25, hour, minute))


def _quiet_around_now(settings):
    now = timezone.localtime()
    settings.PINGAN_NOTIFY_QUIET_HOURS = ((now - dt.timedelta(hours=1)).strftime("%H:%M"),
                                          (now + dt.timedelta(hours=1)).strftime("%H:%M"))


def _quiet_elsewhere(settings):
    now = timezone.localtime()
    settings.PINGAN_NOTIFY_QUIET_HOURS = ((now + dt.timedelta(hours=2)).strftime("%H:%M"),
                                          (now + dt.timedelta(hours=3)).strftime("%H:%M"))


@pytest.mark.django_db
def test_notify_writes_one_row_per_recipient_and_never_tells_the_actor(world, sms):
    a, b, centre = world.users["handler_a"], world.users["township_a"], world.users["center_staff"]
    rows = notify([a, b, a, centre], kind=K.ASSIGNED, title="新派案件：网格事件 SJ001", body="当前环节：已派遣待处置",
                  url="/events/1/", actor=centre)
    assert len(rows) == 2
    stored = Notification.objects.order_by("recipient__username")
    assert [(n.recipient.username, n.kind, n.title, n.count, n.url, n.read_at) for n in stored] == [
        ("handler_a", "assigned", "新派案件：网格事件 SJ001", 1, "/events/1/", None),
        ("township_a", "assigned", "新派案件：网格事件 SJ001", 1, "/events/1/", None),
    ]
    entry = AuditEntry.objects.get(action="notification.send")
    assert entry.changes["new"] == 2 and entry.changes["merged"] == 0


@pytest.mark.django_db
def test_inactive_users_and_unknown_kinds(world, sms):
    user = world.users["handler_a"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert notify([user], kind=K.SYSTEM, title="停用账号不收消息") == []
    with pytest.raises(ValueError):
        notify([world.users["township_a"]], kind="nonsense", title="x")


@pytest.mark.django_db
def test_titles_and_bodies_carry_no_id_number_or_full_phone_and_links_stay_on_site(world, sms):
    [row] = notify([world.users["township_a"]], kind=K.SYSTEM, title="来访人 140311199001011234 电话 13912345678",
                   body="座机 0353-1234567", url="https://evil.example/x")
    assert row.title == "来访人 1403************34 电话 139****5678"
    assert row.body == "座机 0353-*****67"
    assert row.url == ""
    assert scrub("编号 SJ14031110120261125 不是身份号码") == "编号 SJ14031110120261125 不是身份号码"
    [row] = notify([world.users["township_a"]], kind=K.SYSTEM, title="x", url="//evil.example/")
    assert row.url == ""


@pytest.mark.django_db
def test_a_digest_merges_within_the_window_and_not_after(world, sms, settings):
    settings.PINGAN_NOTIFY_DIGEST_MINUTES = 30
    user = world.users["handler_a"]
    notify([user], kind=K.ASSIGNED, title="新派案件：网格事件 SJ001", url="/events/1/", key="assigned:events.event")
    notify([user], kind=K.ASSIGNED, title="新派案件：网格事件 SJ002", url="/events/2/", key="assigned:events.event")
    notify([user], kind=K.ASSIGNED, title="新派案件：网格事件 SJ003", url="/events/3/", key="assigned:events.event")
    [row] = Notification.objects.all()
    assert (row.count, row.display_title, row.url) == (3, "新派案件：网格事件 SJ003 等 3 件", "/events/3/")
    # With a digest link (the queue), a merged row points there.
    notify([user], kind=K.ASSIGNED, title="新派案件：网格事件 SJ006", url="/events/6/", key="assigned:events.event",
           digest_url="/events/queue/")
    row.refresh_from_db()
    assert (row.count, row.url) == (4, "/events/queue/")
    Notification.objects.update(count=3, url="/events/3/")
    # Another key, or no key: rows of their own.
    notify([user], kind=K.ASSIGNED, title="新派案件：风险隐患 YH001", key="assigned:hazards.hazard")
    notify([user], kind=K.ASSIGNED, title="不合并")
    assert Notification.objects.count() == 3
    # Older than the window: a new row.
    Notification.objects.update(created_at=timezone.now() - dt.timedelta(minutes=31))
    notify([user], kind=K.ASSIGNED, title="新派案件：网格事件 SJ004", key="assigned:events.event")
    assert Notification.objects.filter(key="assigned:events.event").count() == 2
    # A row already read is not merged into.
    Notification.objects.update(read_at=timezone.now())
    notify([user], kind=K.ASSIGNED, title="新派案件：网格事件 SJ005", key="assigned:events.event")
    assert Notification.objects.filter(key="assigned:events.event", read_at__isnull=True).get().count == 1


@pytest.mark.django_db
def test_sms_goes_for_the_configured_kinds_only_and_a_digest_sends_no_second_sms(phones, sms, settings, committed):
    settings.PINGAN_SMS_KINDS = ["overdue", "supervised"]
    handler = phones.users["handler_a"]
    with committed():
        notify([handler], kind=K.ASSIGNED, title="新派案件：网格事件 SJ001", key="k")
    assert sms == []
    with committed():
        notify([handler], kind=K.OVERDUE, title="已超期：网格事件 SJ001", key="overdue:events.event")
    with committed():
        notify([handler], kind=K.OVERDUE, title="已超期：网格事件 SJ002", key="overdue:events.event")
    assert sms == [("13912345678", "【平安综治】已超期：网格事件 SJ001。请登录平台查看。")]
    row = Notification.objects.get(kind=K.OVERDUE)
    assert (row.count, row.sms) == (2, "sent")
    # No phone: the row says so, nothing is sent.
    with committed():
        [row] = notify([phones.users["center_staff"]], kind=K.SUPERVISED, title="督办：网格事件 SJ001")
    row.refresh_from_db()
    assert row.sms == "no_phone" and len(sms) == 1


@pytest.mark.django_db
def test_no_sms_for_a_notification_whose_transaction_rolled_back(phones, sms, committed):
    from django.db import transaction

    with committed(), pytest.raises(RuntimeError):
        with transaction.atomic():
            notify([phones.users["handler_a"]], kind=K.OVERDUE, title="已超期：网格事件 SJ001")
            raise RuntimeError("the caller's write failed")
    assert sms == []
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_quiet_hours(settings):
    settings.PINGAN_NOTIFY_QUIET_HOURS = ("21:00", "07:30")
    assert [in_quiet_hours(_local(h, m)) for h, m in ((21, 0), (23, 59), (0, 0), (7, 29), (7, 30), (12, 0), (20, 59))] \
        == [True, True, True, True, False, False, False]
    settings.PINGAN_NOTIFY_QUIET_HOURS = ("12:00", "13:30")
    assert [in_quiet_hours(_local(h, m)) for h, m in ((11, 59), (12, 0), (13, 29), (13, 30))] \
        == [False, True, True, False]
    settings.PINGAN_NOTIFY_QUIET_HOURS = None
    assert in_quiet_hours(_local(23, 0)) is False


@pytest.mark.django_db
def test_quiet_hours_hold_sms_and_the_job_sends_them_after(phones, sms, settings, committed):
    _quiet_around_now(settings)
    handler, officer = phones.users["handler_a"], phones.users["township_a"]
    with committed():
        notify([handler, officer], kind=K.SUPERVISED, title="督办：网格事件 SJ001", key="supervised:events.event")
    assert sms == []
    assert sorted(Notification.objects.values_list("sms", flat=True)) == ["held", "held"]
    assert release_held_sms() == {}  # still quiet: nothing goes
    assert sms == []
    # The officer read it in the app meanwhile: no SMS for them.
    Notification.objects.filter(recipient=officer).update(read_at=timezone.now())
    _quiet_elsewhere(settings)
    assert release_held_sms() == {"skipped": 1, "sent": 1, "failed": 0, "no_phone": 0}
    assert sms == [("13912345678", "【平安综治】督办：网格事件 SJ001。请登录平台查看。")]
    assert dict(Notification.objects.values_list("recipient__username", "sms")) == {"handler_a": "sent",
                                                                                     "township_a": "skipped"}
    assert release_held_sms() == {}
    assert len(sms) == 1


@pytest.mark.django_db
def test_an_overdue_notice_of_an_urgent_case_is_not_held(phones, sms, settings, committed):
    _quiet_around_now(settings)
    handler = phones.users["handler_a"]
    with committed():
        notify([handler], kind=K.OVERDUE, title="已超期：网格事件 SJ009", urgent=True)
        notify([handler], kind=K.SUPERVISED, title="督办：网格事件 SJ009", urgent=True)  # only overdue is exempt
    assert sms == [("13912345678", "【平安综治】已超期：网格事件 SJ009。请登录平台查看。")]
    assert dict(Notification.objects.values_list("kind", "sms")) == {"overdue": "sent", "supervised": "held"}


class _Answer:
    def __init__(self, status):
        self.status = status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.django_db
def test_the_http_gateway_posts_the_json_with_the_token_and_a_timeout(phones, settings, committed):
    settings.PINGAN_SMS_BACKEND = HTTP
    settings.PINGAN_SMS_URL = "http://sms.gateway.local/send"
    settings.PINGAN_SMS_TOKEN = "t0ken"
    settings.PINGAN_SMS_TIMEOUT_SECONDS = 3
    settings.PINGAN_NOTIFY_QUIET_HOURS = None
    with mock.patch("urllib.request.urlopen", return_value=_Answer(200)) as urlopen, committed():
        notify([phones.users["handler_a"]], kind=K.OVERDUE, title="已超期：网格事件 SJ001（来访人 140311199001011234）")
    [call] = urlopen.call_args_list
    request = call.args[0]
    assert call.kwargs == {"timeout": 3}
    assert (request.full_url, request.get_method()) == ("http://sms.gateway.local/send", "POST")
    assert request.get_header("Authorization") == "Bearer t0ken"
    assert request.get_header("Content-type") == "application/json; charset=utf-8"
    assert json.loads(request.data.decode("utf-8")) == {
        "phone": "13912345678", "text": "【平安综治】已超期：网格事件 SJ001（来访人 1403************34）。请登录平台查看。"}
    assert Notification.objects.get().sms == "sent"


@pytest.mark.django_db
@pytest.mark.parametrize("failure", [urllib.error.URLError("no route"), TimeoutError("timed out"), "status"])
def test_a_failing_gateway_does_not_break_the_caller(phones, settings, failure, caplog, committed):
    settings.PINGAN_SMS_BACKEND = HTTP
    settings.PINGAN_SMS_URL = "http://sms.gateway.local/send"
    settings.PINGAN_NOTIFY_QUIET_HOURS = None
    effect = {"return_value": _Answer(500)} if failure == "status" else {"side_effect": failure}
    with mock.patch("urllib.request.urlopen", **effect), committed():
        rows = notify([phones.users["handler_a"]], kind=K.OVERDUE, title="已超期：网格事件 SJ001")
    assert len(rows) == 1
    assert Notification.objects.get().sms == "failed"
    assert "13912345678" not in caplog.text  # the log shows the masked number only
    assert "139****5678" in caplog.text


def test_the_gateway_without_a_url_sends_nothing_and_says_so(settings, caplog):
    settings.PINGAN_SMS_URL = ""
    with mock.patch("urllib.request.urlopen") as urlopen:
        assert HttpSMSBackend().send("13912345678", "x") is False
    urlopen.assert_not_called()
    assert "PINGAN_SMS_URL" in caplog.text


def test_the_default_backend_only_logs(settings, caplog):
    settings.PINGAN_SMS_BACKEND = "pingan.notifications.channels.LoggingSMSBackend"
    caplog.set_level("INFO", logger="pingan.notifications")
    assert channels.sms_backend().send("13912345678", "【平安综治】督办") is True
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text


@pytest.mark.django_db
def test_the_audit_log_names_the_notification_actions_in_chinese(world, sms):
    from pingan.core.audit_display import action_label

    notify([world.users["township_a"]], kind=K.SYSTEM, title="系统通知")
    entry = AuditEntry.objects.get(action="notification.send")
    assert action_label(entry.action, object_type=entry.object_type) == "发送消息"
    assert action_label("notification.read", object_type="notifications.notification") == "消息标为已读"
    assert action_label("notification.read_all", object_type="notifications.notification") == "全部消息标为已读"


@pytest.mark.django_db
def test_purge_keeps_unread_and_recent_notifications(world, sms, capsys):
    from django.core.management import call_command

    from pingan.notifications.models import Reminder

    user = world.users["township_a"]
    old_read, old_unread, recent_read = (notify([user], kind=K.SYSTEM, title=t)[0] for t in ("旧已读", "旧未读", "新已读"))
    long_ago = timezone.now() - dt.timedelta(days=200)
    Notification.objects.filter(pk=old_read.pk).update(updated_at=long_ago, read_at=long_ago)
    Notification.objects.filter(pk=old_unread.pk).update(updated_at=long_ago)
    Notification.objects.filter(pk=recent_read.pk).update(read_at=timezone.now())
    Reminder.objects.create(case_type="events.event", case_id=1, kind=K.OVERDUE, due_at=long_ago)
    Reminder.objects.create(case_type="events.event", case_id=2, kind=K.OVERDUE, due_at=timezone.now())
    call_command("purge_notifications", "--days", "180")
    assert capsys.readouterr().out.strip() == "已清理已读消息 1 条、提醒记录 1 条。"
    assert sorted(Notification.objects.values_list("title", flat=True)) == ["新已读", "旧未读"]
    assert list(Reminder.objects.values_list("case_id", flat=True)) == [2]
    assert AuditEntry.objects.get(action="notification.purge").changes["notifications"] == 1


@pytest.mark.parametrize("days, message", [("0", "保留天数至少为 1。"), ("-5", "保留天数至少为 1。"),
                                           ("99999999999", "保留天数不能超过 36500。")])
def test_purge_refuses_a_bad_number_of_days_and_deletes_nothing(world, days, message):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    user = world.users["township_a"]
    read = notify([user], kind=K.SYSTEM, title="已读")[0]
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now() - dt.timedelta(days=400),
                                                   updated_at=timezone.now() - dt.timedelta(days=400))
    with pytest.raises(CommandError, match=message):
        call_command("purge_notifications", "--days", days)
    assert Notification.objects.filter(pk=read.pk).exists()
