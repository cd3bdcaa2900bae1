"""The abstract base of a workflow case and its queryset (open / overdue derived at query time)."""
from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone

from pingan.core.scoping import ScopedQuerySet


def today() -> dt.date:
    return timezone.localdate()


class WorkflowQuerySet(ScopedQuerySet):
    """Queries every case kind shares. A model using it declares `workflow_kind = "<app>.<model>"`."""

    def _kind(self):
        from .definitions import get_kind

        return get_kind(self.model._meta.label_lower)

    def open(self):
        return self.filter(state__in=self._kind().open_states)

    def closed(self):
        return self.filter(state__in=self._kind().closed_states)

    def overdue_q(self, on: dt.date | None = None) -> Q:
        return Q(state__in=self._kind().open_states, deadline__lt=on or today())

    def overdue(self, on: dt.date | None = None):
        """Open cases whose current deadline passed before `on` (default today): no cron, no flag column."""
        return self.filter(self.overdue_q(on))

    def not_overdue(self, on: dt.date | None = None):
        return self.exclude(self.overdue_q(on))

    def with_overdue(self, on: dt.date | None = None):
        """Annotate `is_overdue` (for lists and the API) in SQL."""
        return self.annotate(is_overdue=Case(When(self.overdue_q(on), then=Value(True)), default=Value(False),
                                             output_field=BooleanField()))


class WorkflowCase(models.Model):
    """Fields the engine keeps on every case: the state, when it was entered, the current deadline, how
    often it was sent back (返工), when it closed. Concrete models add `number` and their own fields."""

    state = models.CharField("状态", max_length=30, db_index=True)
    state_changed_at = models.DateTimeField("进入当前状态时间", default=timezone.now)
    deadline = models.DateField("当前期限", null=True, blank=True, db_index=True)
    sent_back_count = models.PositiveSmallIntegerField("退回次数", default=0)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        abstract = True
