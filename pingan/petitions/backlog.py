"""积案 (骨头案): the 包案领导, the 化解方案, the 联席会议 held on the case and the outcome 化解/稳控.

    backlog_set(*, actor, petition, data) -> Petition       is_backlog, lead_leader, lead_leader_user,
                                                             resolution_plan, backlog_outcome
    backlog_meeting(*, actor, petition, data) -> Meeting     a 联席会议 through disputes' meeting service,
                                                             linked via Petition.meetings
    backlog_counts(queryset) -> {"total", "resolved", "stabilised", "open"}

The outcome (domain.md §3.3): 化解 only on a petition finished as 已化解 or 已办结 (or reviewed after it); 稳控
on a petition finished as 已稳控, or — the 稳控 decided while the matter stays open — on one in 办理中 whose plan
is written. Clearing the outcome is always allowed. All petitions.decide, audited; another township's petition
is refused as not found.
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q

from pingan.core import audit, personal

from . import choices as c
from .models import Petition

S = c.PetitionState
FIELDS = ("is_backlog", "lead_leader", "lead_leader_user", "resolution_plan", "backlog_outcome")
RESOLVE_OK = (S.CONCLUDED, S.RESOLVED, S.REVIEWED, S.RECHECKED)
STABILISE_OK = (S.STABILISED, S.HANDLING, S.REVIEWED, S.RECHECKED)


def _check(actor: Any, petition: Petition, action: str) -> Petition:
    if not actor.can("petitions.decide"):
        audit.record(actor=actor, action=action, obj=petition, outcome="failure", detail="无权维护积案")
        raise PermissionDenied("您的角色不能维护积案。")
    found = Petition.objects.visible_to(actor).filter(pk=getattr(petition, "pk", None)).first()
    if found is None:
        raise PermissionDenied("此信访事项不存在或不在您的管辖范围内。")
    return found


def backlog_set(*, actor: Any, petition: Petition, data: dict) -> Petition:
    """Set what is given of: 是否积案, 包案领导 (name, optionally the account of a leader in the actor's scope),
    化解方案, 积案结果. Refused: an outcome on a petition that is not a backlog case or not in a state for it."""
    petition = _check(actor, petition, "petition.backlog_set")
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if "is_backlog" in data:
        values["is_backlog"] = bool(data["is_backlog"])
    for name, limit, label in (("lead_leader", 50, "包案领导"), ("resolution_plan", 8000, "化解方案")):
        if name in data:
            text = personal.clean_text(data[name])
            if len(text) > limit:
                errors[name] = f"{label}不能超过 {limit} 字。"
            values[name] = text
    if "lead_leader_user" in data:
        user = data["lead_leader_user"]
        if user is not None:
            allowed = get_user_model().objects.visible_to(actor) if hasattr(get_user_model().objects, "visible_to") \
                else get_user_model().objects.all()
            if not isinstance(user, get_user_model()) or not allowed.filter(pk=user.pk, is_active=True).exists():
                errors["lead_leader_user"] = "所选包案领导账号不存在或不在您的管辖范围内。"
        values["lead_leader_user"] = user
    outcome = data.get("backlog_outcome", petition.backlog_outcome) or ""
    if "backlog_outcome" in data:
        if outcome and outcome not in c.BacklogOutcome.values:
            errors["backlog_outcome"] = "积案结果只能是化解或稳控。"
        values["backlog_outcome"] = outcome
    is_backlog = values.get("is_backlog", petition.is_backlog)
    if "backlog_outcome" in data and outcome and "backlog_outcome" not in errors:
        if not is_backlog:
            errors["backlog_outcome"] = "只有积案才能填写积案结果。"
        elif outcome == c.BacklogOutcome.RESOLVED and petition.state not in RESOLVE_OK:
            errors["backlog_outcome"] = f"本件{petition.get_state_display()}，办结（已办结或已化解）后才能认定为化解。"
        elif outcome == c.BacklogOutcome.STABILISED and petition.state not in STABILISE_OK:
            errors["backlog_outcome"] = f"本件{petition.get_state_display()}，只有办理中或已稳控的积案才能认定为稳控。"
        elif outcome == c.BacklogOutcome.STABILISED and petition.state == S.HANDLING and \
                not values.get("resolution_plan", petition.resolution_plan):
            errors["resolution_plan"] = "办理中的积案认定稳控，须先写明化解方案。"
    if is_backlog is False and petition.backlog_outcome and values.get("backlog_outcome", petition.backlog_outcome):
        errors["is_backlog"] = "已有积案结果，请先清除结果再取消积案标记。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        before = audit.snapshot(locked, list(FIELDS))
        Petition.objects.filter(pk=locked.pk).update(**values)
        for k, v in values.items():
            setattr(locked, k, v)
        changes = audit.diff(before, audit.snapshot(locked, list(FIELDS)))
        audit.record(actor=actor, action="petition.backlog_set", obj=locked, changes=changes)
    return locked


def backlog_meeting(*, actor: Any, petition: Petition, data: dict):
    """A 联席会议 on a backlog petition (date, place, chair, departments attending, decisions), recorded by
    disputes' `meeting_create` (its checks and audit; kind 联席会议, the petition's place) and linked to the
    petition. Both writes in one transaction."""
    from pingan.disputes.choices import MeetingKind
    from pingan.disputes.meetings import meeting_create

    petition = _check(actor, petition, "petition.backlog_meeting")
    if not petition.is_backlog:
        raise ValidationError({"__all__": "只有积案才能记录联席会议。"})
    fields = {k: data.get(k) for k in ("held_on", "place", "chair", "attendees", "decisions")}
    fields["kind"] = MeetingKind.JOINT
    fields["jurisdiction"] = data.get("jurisdiction") or petition.jurisdiction.township() or petition.jurisdiction
    with transaction.atomic():
        meeting = meeting_create(actor=actor, data=fields, follow_ups=data.get("follow_ups") or ())
        petition.meetings.add(meeting)
        audit.record(actor=actor, action="petition.backlog_meeting", obj=petition,
                     changes={"meetings": [None, meeting.pk]})
    return meeting


def backlog_counts(queryset) -> dict[str, int]:
    """积案 counts: total, 化解 (outcome 化解), 稳控 (outcome 稳控), open (no outcome yet)."""
    row = queryset.filter(is_backlog=True).aggregate(
        total=Count("pk"),
        resolved=Count("pk", filter=Q(backlog_outcome=c.BacklogOutcome.RESOLVED)),
        stabilised=Count("pk", filter=Q(backlog_outcome=c.BacklogOutcome.STABILISED)))
    row["open"] = row["total"] - row["resolved"] - row["stabilised"]
    return row
