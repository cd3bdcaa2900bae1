"""Reads of the hazard register, always from `Hazard.objects.visible_to(user)`."""
from __future__ import annotations

from typing import Any

from pingan.accounts.models import Department
from pingan.geo.models import Node

from .models import Hazard
from .services import PLACE_LEVELS


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
