"""Reads of the grid-event module, always from `visible_to(user)`."""
from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from pingan.accounts.choices import Role
from pingan.cases.models import Supervision

from .choices import EventState
from .models import Event

S = EventState


def _open_supervision():
    return Supervision.objects.filter(case_type="events.event", case_id=OuterRef("pk"), status=Supervision.Status.OPEN)


def events_for(user: Any):
    return (Event.objects.visible_to(user)
            .select_related("category", "category__parent", "jurisdiction", "assigned_department", "assigned_township")
            .with_overdue().annotate(supervised=Exists(_open_supervision())))


def waiting_q(user: Any) -> Q:
    """The events on which the user has the next step."""
    nothing = Q(pk__in=[])
    role = user.role
    q = nothing
    if role in (Role.DISTRICT_ADMIN, Role.CENTER_STAFF):
        q |= Q(state__in=[S.REPORTED, S.REGISTERED, S.CHECKING])
    if role == Role.TOWNSHIP_OFFICER:
        q |= Q(state__in=[S.REPORTED, S.REGISTERED, S.CHECKING]) & Q(assigned_department__isnull=True,
                                                                     assigned_township__isnull=True) \
            | Q(state=S.CHECKING) \
            | Q(state__in=[S.DISPATCHED, S.HANDLING], assigned_township_id=user.scope_id)
    if role == Role.DEPT_HANDLER and user.department_id:
        q |= Q(state__in=[S.DISPATCHED, S.HANDLING], assigned_department_id=user.department_id)
    if role == Role.GRID_WORKER:
        q |= Q(state=S.CHECKING, reporter_id=user.pk) | Q(state=S.CLOSED, reporter_id=user.pk, satisfaction="")
    return q
