"""Channels: where a notification goes once its row is written. One interface, `Channel.deliver(rows)`.

- `InAppChannel`: the inbox row itself (always; nothing more to do).
- `SMSChannel`: the kinds in `PINGAN_SMS_KINDS` to recipients with a phone, through the gateway backend named
  by `PINGAN_SMS_BACKEND` (a dotted path). In quiet hours (`PINGAN_NOTIFY_QUIET_HOURS`) the SMS is held (the
  row's `sms` = "held") and the periodic job sends it when they end (`services.release_held_sms`); an
  overdue notice of an urgent case goes at once.

SMS backends implement `send(phone, text) -> bool` and never raise into the caller:
- `LoggingSMSBackend` (default): logs the masked number and the text, sends nothing;
- `HttpSMSBackend`: POSTs `{"phone": ..., "text": ...}` as JSON to `PINGAN_SMS_URL` with the token in the
  `Authorization: Bearer` header and a timeout; any failure is logged and answered False.
An SMS text never holds an ID number or a full phone number (`services.scrub` runs on it again here).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
from typing import Any, Iterable

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from pingan.core.personal import mask_phone

logger = logging.getLogger("pingan.notifications")

DEFAULT_SMS_BACKEND = "pingan.notifications.channels.LoggingSMSBackend"
DEFAULT_SMS_KINDS = ("overdue", "supervised")
DEFAULT_QUIET_HOURS = ("21:00", "07:30")
SMS_MAX_CHARS = 120


# ------------------------------------------------------------------------------------------------ settings
def sms_kinds() -> frozenset[str]:
    return frozenset(getattr(settings, "PINGAN_SMS_KINDS", DEFAULT_SMS_KINDS))


def quiet_hours() -> tuple[dt.time, dt.time] | None:
    hours = getattr(settings, "PINGAN_NOTIFY_QUIET_HOURS", DEFAULT_QUIET_HOURS)
    if not hours:
        return None
    start, end = hours
    return dt.time.fromisoformat(start), dt.time.fromisoformat(end)


def in_quiet_hours(moment: dt.datetime | None = None) -> bool:
    """Is `moment` (default now, in local time) inside the quiet hours? They may run past midnight."""
    hours = quiet_hours()
    if hours is None:
        return False
    start, end = hours
    now = timezone.localtime(moment or timezone.now()).time()
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end


# ------------------------------------------------------------------------------------------------ SMS backends
class BaseSMSBackend:
    def send(self, phone: str, text: str) -> bool:  # pragma: no cover - interface
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    """Sends nothing: writes the masked number and the text to the log (the default, and for the demo)."""

    def send(self, phone: str, text: str) -> bool:
        logger.info("短信（未发送，LoggingSMSBackend）至 %s：%s", mask_phone(phone), text)
        return True


class HttpSMSBackend(BaseSMSBackend):
    """An HTTP SMS gateway: POST JSON {"phone", "text"} with `Authorization: Bearer <PINGAN_SMS_TOKEN>`.
    A 2xx answer is success; anything else (a refusal, a timeout, no network) is logged and returns False."""

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None):
        self.url = url if url is not None else getattr(settings, "PINGAN_SMS_URL", "")
        self.token = token if token is not None else getattr(settings, "PINGAN_SMS_TOKEN", "")
        self.timeout = timeout if timeout is not None else getattr(settings, "PINGAN_SMS_TIMEOUT_SECONDS", 5)

    def payload(self, phone: str, text: str) -> bytes:
        return json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode("utf-8")

    def send(self, phone: str, text: str) -> bool:
        if not self.url:
            logger.error("短信网关地址 PINGAN_SMS_URL 未配置，短信未发送（至 %s）", mask_phone(phone))
            return False
        request = urllib.request.Request(self.url, data=self.payload(phone, text), method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {self.token}",
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                status = getattr(response, "status", 200)
                if 200 <= status < 300:
                    return True
                logger.error("短信网关返回 %s，短信未发送（至 %s）", status, mask_phone(phone))
                return False
        except Exception as exc:  # a gateway failure must never break the caller
            logger.error("短信网关出错（%s），短信未发送（至 %s）", type(exc).__name__, mask_phone(phone))
            return False


def sms_backend() -> BaseSMSBackend:
    return import_string(getattr(settings, "PINGAN_SMS_BACKEND", DEFAULT_SMS_BACKEND))()


# ------------------------------------------------------------------------------------------------ channels
class Channel:
    """Hands newly written notification rows to one medium. Merged digest rows are not handed again."""

    name = ""

    def deliver(self, rows: Iterable[Any], *, urgent: bool = False) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class InAppChannel(Channel):
    """The inbox: the rows are the message; the bell counts them."""

    name = "in_app"

    def deliver(self, rows: Iterable[Any], *, urgent: bool = False) -> None:
        return None


class SMSChannel(Channel):
    name = "sms"

    def deliver(self, rows: Iterable[Any], *, urgent: bool = False) -> None:
        from .models import Notification

        kinds = sms_kinds()
        rows = [row for row in rows if row.kind in kinds]
        if not rows:
            return
        hold = in_quiet_hours() and not (urgent and all(row.kind == Notification.Kind.OVERDUE for row in rows))
        now = timezone.now()
        if hold:
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(sms=Notification.SMS.HELD)
            for row in rows:
                row.sms = Notification.SMS.HELD
            return
        send_sms(rows, now=now)


def sms_text(row: Any) -> str:
    from .services import scrub

    text = scrub(f"【平安综治】{row.display_title}。请登录平台查看。")
    return text[:SMS_MAX_CHARS]


def send_sms(rows: Iterable[Any], *, now: dt.datetime | None = None) -> dict[str, int]:
    """Send one SMS per row through the configured backend and record the outcome on the row."""
    from .models import Notification

    backend = sms_backend()
    now = now or timezone.now()
    outcome: dict[str, list[int]] = {Notification.SMS.SENT: [], Notification.SMS.FAILED: [],
                                     Notification.SMS.NO_PHONE: []}
    for row in rows:
        phone = (getattr(row.recipient, "phone", "") or "").strip()
        if not phone:
            state = Notification.SMS.NO_PHONE
        else:
            try:
                state = Notification.SMS.SENT if backend.send(phone, sms_text(row)) else Notification.SMS.FAILED
            except Exception:  # a badly written backend must not break the caller either
                logger.exception("短信后端出错，短信未发送")
                state = Notification.SMS.FAILED
        outcome[state].append(row.pk)
        row.sms, row.sms_at = state, now
    for state, ids in outcome.items():
        if ids:
            Notification.objects.filter(pk__in=ids).update(sms=state, sms_at=now)
    return {str(state): len(ids) for state, ids in outcome.items()}


CHANNELS: tuple[Channel, ...] = (InAppChannel(), SMSChannel())


def channels() -> tuple[Channel, ...]:
    return CHANNELS
