"""Writes of notifications: `notify` (the one way in), marking read, releasing SMS held in quiet hours.

    notify(recipients, *, kind, title, body="", url="", case=None, key=None, urgent=False, actor=None)
        -> list[Notification]   the rows written or merged, one per recipient

Rows are written in bulk, then (once committed) handed to the channels (`channels.py`: the inbox always,
SMS for the kinds in PINGAN_SMS_KINDS). Digests instead of storms: a recipient who already has an unread notification of the
same kind and `key` created within PINGAN_NOTIFY_DIGEST_MINUTES gets that row updated (count + 1, shown as
"等 N 件", the newest title and link) and no new SMS. Titles and bodies are short and never carry an ID
number or a full phone number (`scrub` masks any that slip in).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from pingan.core import audit
from pingan.core.personal import mask_id, mask_phone

from .channels import channels, in_quiet_hours, send_sms
from .models import Notification

TITLE_MAX = 120
BODY_MAX = 300
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d{9})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3}-\d{7,8})(?!\d)")


def scrub(text: Any) -> str:
    """One line of text with ID numbers and phone numbers masked (a notification, an SMS, a log line)."""
    text = " ".join(str(text or "").split())
    text = _ID_NUMBER.sub(lambda m: mask_id(m.group(1)), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group(1)), text)
    return _LANDLINE.sub(lambda m: mask_phone(m.group(1)), text)


def safe_url(url: Any) -> str:
    """A relative path on this site ("/events/12/"), else "": a notification never links elsewhere."""
    url = str(url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url or any(c in url for c in "\r\n\t"):
        return ""
    if len(url) > 300:
        return ""
    return url


def digest_minutes() -> int:
    return int(getattr(settings, "PINGAN_NOTIFY_DIGEST_MINUTES", 30))


def _active_recipients(recipients: Iterable[Any], exclude: Any = None) -> list[Any]:
    seen: dict[int, Any] = {}
    skip = getattr(exclude, "pk", None)
    for user in recipients or ():
        if user is None or not getattr(user, "pk", None) or not getattr(user, "is_active", False):
            continue
        if user.pk == skip:
            continue
        seen.setdefault(user.pk, user)
    return list(seen.values())


def notify(recipients: Iterable[Any], *, kind: str, title: str, body: str = "", url: str = "", case: Any = None,
           key: str | None = None, urgent: bool = False, actor: Any = None, digest_url: str = "") -> list[Notification]:
    """Tell each recipient (active accounts; the actor is never told about their own action) one thing.

    `case`: the case the message is about (its type and id are kept for the inbox's link and filters);
    `key`: the digest key (e.g. "assigned:events.event"), None for no merging; `digest_url`: where a merged
    row ("等 N 件") links to (the queue), else the newest message's `url`; `urgent`: an overdue notice of an
    urgent case is sent by SMS even in quiet hours. Returns the rows written or merged."""
    if kind not in Notification.Kind.values:
        raise ValueError(f"未知的消息类别：{kind}")
    users = _active_recipients(recipients, exclude=actor)
    if not users:
        return []
    title = scrub(title)[:TITLE_MAX] or Notification.Kind(kind).label
    body = scrub(body)[:BODY_MAX]
    url = safe_url(url)
    merged_url = safe_url(digest_url) or url
    case_type = case._meta.label_lower if case is not None else ""
    case_id = case.pk if case is not None else None
    key = (key or "")[:120]
    now = timezone.now()
    window = digest_minutes()
    by_id = {u.pk: u for u in users}
    merged: list[Notification] = []
    with transaction.atomic():
        if key and window > 0:
            candidates = (Notification.objects.unread()
                          .filter(recipient_id__in=list(by_id), kind=kind, key=key,
                                  created_at__gte=now - dt.timedelta(minutes=window))
                          .order_by("recipient_id", "-created_at", "-id"))
            latest: dict[int, Notification] = {}
            for row in candidates:
                latest.setdefault(row.recipient_id, row)
            if latest:
                Notification.objects.filter(pk__in=[r.pk for r in latest.values()]).update(
                    count=F("count") + 1, title=title, body=body, url=merged_url, case_type=case_type,
                    case_id=case_id, updated_at=now)
                for row in latest.values():
                    row.count += 1
                    row.title, row.body, row.url = title, body, merged_url
                    row.case_type, row.case_id = case_type, case_id
                    row.updated_at = now
                    row.recipient = by_id[row.recipient_id]
                    merged.append(row)
            fresh_users = [u for u in users if u.pk not in latest]
        else:
            fresh_users = users
        fresh = Notification.objects.bulk_create([
            Notification(recipient=u, kind=kind, title=title, body=body, url=url, case_type=case_type,
                         case_id=case_id, key=key, created_at=now, updated_at=now)
            for u in fresh_users
        ])
        if fresh and any(row.pk is None for row in fresh):  # a backend that does not return ids
            ids = dict(Notification.objects.filter(kind=kind, key=key, created_at=now,
                                                   recipient_id__in=[u.pk for u in fresh_users])
                       .values_list("recipient_id", "id"))
            for row in fresh:
                row.pk = row.id = ids.get(row.recipient_id)
        audit.record(actor=actor, action="notification.send", object_type="notifications.notification",
                     object_repr=title, scope_path=audit.object_scope_path(case) if case is not None else "",
                     changes={"kind": kind, "title": title, "case_type": case_type, "case_id": case_id,
                              "new": len(fresh), "merged": len(merged)},
                     detail=f"发送消息“{title}”：新增 {len(fresh)} 条，合并 {len(merged)} 条")
    # The channels get the rows once they are committed: no SMS for a row a caller's transaction rolls back
    # (outside any transaction this runs at once). A channel's failure is logged, never raised to the caller.
    transaction.on_commit(lambda: deliver(fresh, urgent=urgent), robust=True)
    return [*fresh, *merged]


def deliver(rows: list[Notification], *, urgent: bool = False) -> None:
    """Hand newly written rows to every channel (in-app always, SMS by kind); merged rows are not handed."""
    if not rows:
        return
    for channel in channels():
        channel.deliver(rows, urgent=urgent)


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (nothing happens when it already is). Audited."""
    if notification.recipient_id != getattr(actor, "pk", None):
        raise PermissionDenied("只能处理自己的消息。")
    if notification.read_at is not None:
        return notification
    now = timezone.now()
    with transaction.atomic():
        changed = Notification.objects.filter(pk=notification.pk, recipient_id=actor.pk,
                                              read_at__isnull=True).update(read_at=now)
        if changed:
            audit.record(actor=actor, action="notification.read", obj=notification,
                         scope_path=getattr(actor, "scope_path", ""), changes={"read_at": now},
                         detail=f"已读消息：{notification.display_title}")
    notification.read_at = now
    return notification


def notification_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; returns how many. Audited once."""
    now = timezone.now()
    with transaction.atomic():
        changed = Notification.objects.visible_to(actor).unread().update(read_at=now)
        if changed:
            audit.record(actor=actor, action="notification.read_all", object_type="notifications.notification",
                         scope_path=getattr(actor, "scope_path", ""), changes={"count": changed},
                         detail=f"全部标为已读：{changed} 条")
    return changed


def unread_count(user: Any) -> int:
    """The bell's number: one COUNT over the user's unread rows (a partial index serves it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.visible_to(user).unread().count()


def release_held_sms(*, now: dt.datetime | None = None, batch: int = 500) -> dict[str, int]:
    """Send the SMS held in quiet hours, once they have ended (the periodic job calls this). A notification
    read in the app meanwhile needs no SMS any more: it is marked "skipped"."""
    now = now or timezone.now()
    totals: dict[str, int] = {}
    if in_quiet_hours(now):
        return totals
    held = Notification.objects.filter(sms=Notification.SMS.HELD)
    skipped = held.filter(read_at__isnull=False).update(sms=Notification.SMS.SKIPPED, sms_at=now)
    if skipped:
        totals[Notification.SMS.SKIPPED] = skipped
    while True:
        rows = list(held.filter(read_at__isnull=True).select_related("recipient").order_by("created_at", "id")[:batch])
        if not rows:
            break
        for state, count in send_sms(rows, now=now).items():
            totals[state] = totals.get(state, 0) + count
        if len(rows) < batch:
            break
    return totals


def notifications_purge(*, days: int, now: dt.datetime | None = None) -> dict[str, int]:
    """Delete read notifications and sent-reminder records older than `days` (PIPL Art.19: kept only as long
    as the purpose needs). Unread notifications stay. Audited once with the counts."""
    if days < 1:
        raise ValueError("保留天数至少为 1。")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    from .models import Reminder

    with transaction.atomic():
        notifications, _ = Notification.objects.filter(read_at__isnull=False, updated_at__lt=cutoff).delete()
        reminders, _ = Reminder.objects.filter(due_at__lt=cutoff).delete()
        audit.record(actor=None, action="notification.purge", object_type="notifications.notification",
                     changes={"days": days, "notifications": notifications, "reminders": reminders},
                     detail=f"清理 {days} 天前的已读消息 {notifications} 条、提醒记录 {reminders} 条")
    return {"notifications": notifications, "reminders": reminders}
