"""Deadline reminders: a periodic job on the background worker (django-tasks, database backend).

django-tasks has no scheduler, so the task schedules its own next run: `case_reminders` runs, then enqueues
itself again `PINGAN_REMINDER_INTERVAL_MINUTES` later (`schedule()`), and never leaves two runs waiting (it
looks in the database backend's table for a ready run of itself first). `manage.py case_reminders --schedule`
starts the chain (`make run` calls it before the worker starts); enqueuing again while a run waits does
nothing.

One run, for every registered case kind whose model has `due_at`, in SQL (a province has millions of cases):
- 即将到期: open cases due within PINGAN_REMINDER_BEFORE_HOURS working hours from now (default 4; office
  hours on the calendar's working days);
- 已超期: open cases whose due moment has passed (within the last OVERDUE_LOOKBACK, so the first run on an
  old database does not send years of history);
each told once per case, kind and due moment to the handling unit (`notify.unit_recipients`); the
`notifications.Reminder` table remembers what was sent, so a re-run repeats nothing and a new due moment
(an approved extension, the next step) is reminded afresh. The run also sends the SMS held in quiet hours
once they are over.
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks import task

from pingan.core.calendar import add_working_hours
from pingan.jobs import periodic
from pingan.notifications.models import Notification, Reminder
from pingan.notifications.services import notify, release_held_sms

from .definitions import kinds
from .notify import case_body, case_label, case_url, is_urgent, queue_url, unit_recipients

logger = logging.getLogger("pingan.notifications")
K = Notification.Kind
BATCH = 500
OVERDUE_LOOKBACK = dt.timedelta(days=7)


# ------------------------------------------------------------------------------------------------ one run
def _related_for_path(model: type) -> list[str]:
    lookup = getattr(model, "scope_path_lookup", "jurisdiction__path")
    parts = lookup.split("__")[:-1]
    return ["__".join(parts)] if parts else []


def run_reminders(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the reminders due now; returns {"due_soon": n, "overdue": n} (cases reminded)."""
    now = now or timezone.now()
    hours = getattr(settings, "PINGAN_REMINDER_BEFORE_HOURS", 4)
    soon_until = add_working_hours(now, hours) if hours else now
    totals = {K.DUE_SOON.value: 0, K.OVERDUE.value: 0}
    for kind in kinds():
        try:
            model = apps.get_model(kind.label)
        except LookupError:
            continue
        if not kind.open_states:
            continue
        cases = model._default_manager
        # 已超期 is the case layer's one overdue definition (open, due_at < now), looking back a week at most.
        overdue = cases.filter(cases.overdue_q(now), due_at__gte=now - OVERDUE_LOOKBACK)
        soon = cases.filter(state__in=kind.open_states, due_at__gte=now, due_at__lte=soon_until)
        totals[K.DUE_SOON] += _remind(kind, model, soon, K.DUE_SOON)
        totals[K.OVERDUE] += _remind(kind, model, overdue, K.OVERDUE)
    return totals


def _remind(kind: Any, model: type, queryset, reminder_kind: str) -> int:
    label = kind.label
    sent = Reminder.objects.filter(case_type=label, case_id=OuterRef("pk"), kind=reminder_kind,
                                   due_at=OuterRef("due_at"))
    pending = queryset.filter(~Exists(sent)).select_related(*_related_for_path(model)).order_by("pk")
    total = 0
    seen: set[int] = set()
    while True:
        cases = [c for c in pending[:BATCH] if c.pk not in seen]
        if not cases:  # done (or a batch came back unrecorded: never loop on it)
            return total
        seen.update(c.pk for c in cases)
        with transaction.atomic():
            Reminder.objects.bulk_create([Reminder(case_type=label, case_id=c.pk, kind=reminder_kind, due_at=c.due_at)
                                          for c in cases], ignore_conflicts=True)
        units = unit_recipients(cases)
        queue = queue_url(cases[0])
        for case in cases:
            title = f"{'即将到期' if reminder_kind == K.DUE_SOON else '已超期'}：{case_label(case)}"
            try:
                notify(units.get(case.pk, []), kind=reminder_kind, title=title, body=case_body(case),
                       url=case_url(case), case=case, key=f"{reminder_kind}:{label}", digest_url=queue,
                       urgent=reminder_kind == K.OVERDUE and is_urgent(case))
            except Exception:  # one bad case must not stop the others' reminders
                logger.exception("期限提醒失败：%s #%s", label, case.pk)
        total += len(cases)
        if len(cases) < BATCH:
            return total


# ------------------------------------------------------------------------------------------------ the task
def interval() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "PINGAN_REMINDER_INTERVAL_MINUTES", 15))


@task()
def case_reminders() -> dict[str, Any]:
    """The periodic job: remind, release held SMS, and schedule the next run (even when this one failed)."""
    try:
        totals = run_reminders()
        sms = release_held_sms()
        return {"reminded": totals, "sms": sms}
    finally:
        schedule(after=interval())


def pending_runs():
    """Runs of the reminder task waiting in the database backend's table."""
    return periodic.pending_runs(case_reminders)


def schedule(*, after: dt.timedelta | None = None) -> bool:
    """Enqueue the next run `after` from now (default: at once) unless one is already waiting; True when
    enqueued. Idempotent: `make run` may call it at every start."""
    return periodic.schedule(case_reminders, after=after)
