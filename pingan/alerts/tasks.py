"""The periodic early-warning scan on the background worker (django-tasks' database backend): runs every
enabled scan rule (`services.run_scan`), then schedules its next run PINGAN_ALERT_SCAN_INTERVAL_MINUTES later
(default 60) through the shared self-rescheduling of pingan.jobs.periodic. `manage.py scan_alerts --schedule`
starts the chain (`make run` calls it)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django_tasks import task

from pingan.jobs import periodic

from .services import run_scan


def interval() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "PINGAN_ALERT_SCAN_INTERVAL_MINUTES", 60)))


@task()
def scan_alerts() -> dict[str, Any]:
    """One scan, then the next one scheduled (even when this one failed)."""
    try:
        return {"rules": run_scan()}
    finally:
        schedule(after=interval())


def schedule(*, after: dt.timedelta | None = None) -> bool:
    """Enqueue the scan unless a run is already waiting; True when enqueued (idempotent)."""
    return periodic.schedule(scan_alerts, after=after)
