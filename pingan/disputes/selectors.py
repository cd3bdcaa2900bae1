"""Reads of the dispute register, always from `visible_to(user)`."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from pingan.accounts.models import Department
from pingan.core.scoping import place_q

from .models import Dispute, DisputeParty, MediationOrg, MediationSession, Mediator, ScreeningCampaign
from .services import dispute_places
from .workflow import JUDICIAL_CONFIRMATION_DAYS


def dispute_list(user: Any):
    return (Dispute.objects.visible_to(user).with_overdue()
            .select_related("jurisdiction", "jurisdiction__parent", "mediation_org", "mediator")
            .order_by("-registered_on", "-id"))


def dispute_detail_qs():
    return (Dispute.objects.select_related("jurisdiction", "jurisdiction__parent", "mediation_org", "mediator",
                                           "mediator__org", "assigned_department", "referrer_department",
                                           "transferred_to", "screening", "reported_by", "graded_by")
            .prefetch_related(Prefetch("parties", queryset=DisputeParty.objects.select_related("person")),
                              Prefetch("sessions", queryset=MediationSession.objects.select_related("mediator")),
                              "co_mediators"))


def place_choices(user: Any):
    return dispute_places(user).select_related("parent").order_by("path")


def screening_choices(user: Any):
    """Screening campaigns of the user's place and of the levels above it (a township's 排查活动 is chosen by
    the grid workers and village officers who take part in it)."""
    return ScreeningCampaign.objects.filter(place_q(ScreeningCampaign, user)).order_by("-start_on", "-id")


def department_choices(user: Any):
    """Referrers: the active departments of the user's place and the levels above it (the township's 派出所
    and 人民法庭, the district's 公安分局, 法院, 检察院, 信访局)."""
    return (Department.objects.filter(place_q(Department, user)).filter(is_active=True)
            .select_related("jurisdiction").order_by("jurisdiction__path", "name"))


def org_choices(user: Any):
    return MediationOrg.objects.filter(place_q(MediationOrg, user)).filter(active=True).order_by("name")


def mediator_choices(user: Any):
    return Mediator.objects.filter(place_q(Mediator, user)).filter(active=True).select_related("org").order_by("name")


def judicial_window(dispute: Dispute, today: dt.date | None = None) -> dict | None:
    """司法确认 (Art.33): the last day (协议日期 + 30 天) and what is left, for a written agreement."""
    if not dispute.agreement_on or dispute.agreement_form != "written":
        return None
    today = today or timezone.localdate()
    last = dispute.agreement_on + dt.timedelta(days=JUDICIAL_CONFIRMATION_DAYS)
    left = (last - today).days
    return {"last": last, "left": left, "expired": left < 0, "applied": bool(dispute.judicial_applied_on)}
