"""Reads of the special campaigns, always through `visible_to(user)`: the clue list, the choices of forms, and
a campaign's progress report (clues by state, handed over, closed, overdue; tagged matters by kind and state;
a timeline by month)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from pingan.accounts.models import Department
from pingan.cases.definitions import get_kind
from pingan.core.personal import mask_phone
from pingan.geo.models import Node

from .choices import DISCIPLINE, POLICE, ClueState
from .models import Campaign, CampaignTag, Clue
from .services import CLUE_PLACE_LEVELS, taggable_models


def clue_list(user: Any):
    return (Clue.objects.visible_to(user).with_overdue()
            .select_related("jurisdiction", "jurisdiction__parent", "campaign", "handed_to_department")
            .order_by("-received_on", "-id"))


def clue_detail_qs():
    return Clue.objects.select_related("jurisdiction", "jurisdiction__parent", "campaign", "handed_to_department",
                                       "registered_by")


def campaign_choices(user: Any):
    return Campaign.objects.visible_to(user).select_related("jurisdiction").order_by("-start_on", "name")


def place_choices(user: Any):
    return Node.objects.visible_to(user).filter(level__in=CLUE_PLACE_LEVELS).select_related("parent").order_by("path")


def scope_choices(user: Any):
    return Node.objects.visible_to(user).filter(level__in=("county", "township")).order_by("path")


def department_choices(user: Any):
    return Department.objects.visible_to(user).filter(is_active=True).order_by("jurisdiction__path", "name")


def reporter_shown(clue: Clue, user: Any) -> tuple[str, str]:
    """(name, phone) as this user may read them: in full for roles that may reveal personal data, masked
    otherwise (the surname and the phone's first 3 and last 4 digits); 匿名 for an anonymous report."""
    if clue.anonymous:
        return "匿名", "—"
    name, phone = clue.reporter_name or "", clue.reporter_phone or ""
    if user is not None and user.can("personal.reveal"):
        return name or "—", phone or "—"
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else "—", mask_phone(phone) if phone else "—"


def progress(user: Any, campaign: Campaign) -> dict[str, Any]:
    """The progress report of one campaign, of what `user` may see. A role without the "clue" data kind (the
    village officer, the grid worker, the mediator: 举报线索保密) gets no clue part at all (`sees_clues`
    False, no counts), not a count of zero that reads as "no clues here"."""
    sees_clues = user is not None and user.may_see_data_kind("clue")
    counts: dict[str, int] = {}
    states: list[tuple[str, int]] = []
    timeline: dict[dt.date, dict[str, int]] = {}
    if sees_clues:
        kind = get_kind("campaigns.clue")
        clues = Clue.objects.visible_to(user).filter(campaign=campaign)
        counts = clues.aggregate(
            total=Count("pk"),
            overdue=Count("pk", filter=Clue.objects.overdue_q()),
            to_police=Count("pk", filter=Q(handed_to_department__category=POLICE)),
            to_discipline=Count("pk", filter=Q(handed_to_department__category=DISCIPLINE)),
            **{state: Count("pk", filter=Q(state=state)) for state in ClueState.values},
        )
        states = [(kind.state_label(s), counts[s]) for s in ClueState.values]
        for field, key in (("received_on", "received"), ("handed_on", "handed"), ("closed_on", "closed")):
            rows = (clues.exclude(**{f"{field}__isnull": True}).annotate(m=TruncMonth(field)).values("m")
                    .annotate(n=Count("pk")).order_by())
            for row in rows:
                month = row["m"].date() if isinstance(row["m"], dt.datetime) else row["m"]
                timeline.setdefault(month, {"received": 0, "handed": 0, "closed": 0})[key] = row["n"]
    tagged = []
    for model in taggable_models():
        ct = ContentType.objects.get_for_model(model)
        ids = CampaignTag.objects.filter(campaign=campaign, content_type=ct).values("object_id")
        matters = model.objects.visible_to(user).filter(pk__in=ids)
        by_state = dict(matters.values_list("state").annotate(n=Count("pk")).order_by())
        if not by_state:
            continue
        mkind = get_kind(model._meta.label_lower)
        items = list(matters.order_by("-pk")[:20])
        tagged.append({"label": mkind.verbose_name, "total": sum(by_state.values()),
                       "states": [(mkind.state_label(s), n) for s, n in sorted(by_state.items())],
                       "overdue": matters.filter(model.objects.overdue_q()).count(),
                       "items": [(m, mkind.state_label(m.state), _url(model, m)) for m in items]})
    return {"sees_clues": sees_clues, "counts": counts, "states": states, "timeline": sorted(timeline.items()),
            "tagged": tagged}


def _url(model, obj) -> str:
    from django.urls import NoReverseMatch, reverse

    from pingan.cases.views import surface_for

    try:
        return reverse(f"{surface_for(model._meta.label_lower).namespace}:detail", args=[obj.pk])
    except (LookupError, NoReverseMatch):
        return ""

