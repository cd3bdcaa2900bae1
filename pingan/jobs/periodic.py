"""Periodic jobs on django-tasks, which has no scheduler: a periodic task schedules its own next run when it
ends, and never leaves two runs waiting (it looks in the database backend's table for a ready run of itself
first). `schedule(task)` starts the chain and is idempotent (`make run` calls it at every start). Used by the
deadline reminders (pingan.cases.reminders) and the early-warning scan (pingan.alerts.tasks)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone


def pending_runs(task: Any):
    """Runs of `task` waiting in the database backend's table."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY")


def schedule(task: Any, *, after: dt.timedelta | None = None) -> bool:
    """Enqueue the next run of `task` `after` from now (default: at once) unless one is already waiting; True
    when enqueued."""
    with transaction.atomic():
        if pending_runs(task).exists():
            return False
        run = task.using(run_after=timezone.now() + after) if after else task
        run.enqueue()
    return True
