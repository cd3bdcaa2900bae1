"""Reads of the hazard register, always from `Hazard.objects.visible_to(user)`."""
from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from pingan.accounts.models import Department
from pingan.cases.models import Extension, Supervision
from pingan.geo.models import Node

from .choices import HazardStatus
from .models import Hazard
from .services import PLACE_LEVELS
from .workflow import HAZARD_KIND


def hazard_list(user: Any):
    return (Hazard.objects.visible_to(user).with_overdue()
            .select_related("jurisdiction", "jurisdiction__parent", "responsible_department")
            .order_by("-screened_on", "-id"))


def hazard_detail_qs():
    return Hazard.objects.select_related("jurisdiction", "jurisdiction__parent", "responsible_department",
                                         "reported_by", "accepted_by")


def place_choices(user: Any):
    """Villages, communities and grids the user may register a hazard in."""
    return Node.objects.visible_to(user).filter(level__in=PLACE_LEVELS).select_related("parent").order_by("path")


def department_choices(user: Any):
    return Department.objects.visible_to(user).filter(is_active=True).order_by("jurisdiction__path", "name")


def open_supervisions(user: Any):
    """督办 waiting for a reply, in the user's scope or addressed to the user's department."""
    return Supervision.objects.visible_to(user).filter(case_type="hazards.hazard", status=Supervision.Status.OPEN)


def pending_extensions(user: Any):
    return Extension.objects.visible_to(user).filter(case_type="hazards.hazard", status=Extension.Status.PENDING)


def queue_counts(user: Any) -> dict[str, int]:
    """The numbers of the supervisor's queue, in one aggregate over the visible hazards."""
    qs = Hazard.objects.visible_to(user)
    overdue_q = Hazard.objects.overdue_q()
    counts = qs.aggregate(
        open=Count("id", filter=Q(state__in=HAZARD_KIND.open_states)),
        overdue=Count("id", filter=overdue_q),
        awaiting=Count("id", filter=Q(state=HazardStatus.AWAITING_ACCEPTANCE)),
    )
    counts["supervised"] = open_supervisions(user).values("case_id").distinct().count()
    counts["extensions"] = pending_extensions(user).count()
    return counts


def supervised_hazards(user: Any):
    ids = open_supervisions(user).values("case_id")
    return hazard_list(user).filter(pk__in=ids)


def overdue_hazards(user: Any):
    return hazard_list(user).overdue().order_by("due_at", "id")
