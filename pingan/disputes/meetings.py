"""研判例会 (矛盾纠纷排查例会, 研判会, 联席会议): the record of a meeting, its agenda and its follow-ups.

The new-meeting page proposes the agenda (`meeting_agenda`): the waiting warnings of the disputes module the
user may see (pingan.alerts' `open_alerts`) and the overdue disputes. Saving the meeting
(`meeting_create`) records the disputes discussed and marks the chosen warnings 已列入研判 through
pingan.alerts' `alert_handle`, naming the meeting as the agenda item (the warning's page then says which
meeting took it), and links them to the meeting (`Meeting.alerts`). Follow-ups (督办事项) carry who, by when
and when done; those past their date and not done show on the meeting page and in `overdue_follow_ups`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.core import audit
from pingan.core.models import AuditEntry
from pingan.core.services import model_create, model_update

from .models import Dispute, Meeting, MeetingFollowUp

MANAGE = "disputes.manage"
MEETING_FIELDS = ("jurisdiction", "kind", "held_on", "place", "chair", "attendees", "decisions")
FOLLOWUP_FIELDS = ("task", "responsible", "due_on", "done_on", "result")
MAX_FOLLOW_UPS = 50


def _require(actor: Any, action: str, obj: Any = None) -> None:
    if actor is None or not getattr(actor, "can", None) or not actor.can(MANAGE):
        audit.record(actor=actor, action=action, obj=obj, outcome=AuditEntry.Outcome.FAILURE, detail="无权记录例会")
        raise PermissionDenied("您的角色不能记录研判例会。")


def _check_meeting(actor: Any, data: dict[str, Any]) -> None:
    node = data.get("jurisdiction")
    if node is None:
        raise ValidationError({"jurisdiction": "请选择召开会议的地区。"})
    if node.level not in ("county", "township", "village", "community"):
        raise ValidationError({"jurisdiction": "例会按区县、乡镇或村(社区)记录。"})
    if not node.path.startswith(getattr(actor, "scope_path", "") or "\0"):
        raise ValidationError({"jurisdiction": "所选地区不在您的管辖范围内。"})
    held = data.get("held_on")
    if held is None:
        raise ValidationError({"held_on": "请填写会议日期。"})
    if held > timezone.localdate():
        raise ValidationError({"held_on": "会议日期不能晚于今天（先开会，后记录）。"})
    if not (data.get("attendees") or "").strip():
        raise ValidationError({"attendees": "请填写参会人员。"})
    if not (data.get("decisions") or "").strip():
        raise ValidationError({"decisions": "请填写议定事项。"})


def _clean_follow_ups(items: Iterable[dict[str, Any]], held_on: dt.date) -> list[dict[str, Any]]:
    cleaned, errors = [], []
    today = timezone.localdate()
    for i, item in enumerate(items, 1):
        item = {k: v for k, v in item.items() if k in FOLLOWUP_FIELDS}
        task = " ".join(str(item.get("task") or "").split())
        responsible = " ".join(str(item.get("responsible") or "").split())
        if not task and not responsible and not item.get("due_on"):
            continue
        if not task:
            errors.append(f"第 {i} 项督办事项：请填写事项内容。")
        if not responsible:
            errors.append(f"第 {i} 项督办事项：请填写责任单位或责任人。")
        if len(task) > 400 or len(responsible) > 100:
            errors.append(f"第 {i} 项督办事项：事项最多 400 字，责任人最多 100 字。")
        due, done = item.get("due_on"), item.get("done_on")
        if due and due < held_on:
            errors.append(f"第 {i} 项督办事项：完成期限不能早于会议日期（{held_on:%Y-%m-%d}）。")
        if done and (done < held_on or done > today):
            errors.append(f"第 {i} 项督办事项：完成日期须在会议日期与今天之间。")
        cleaned.append({**item, "task": task, "responsible": responsible})
    if len(cleaned) > MAX_FOLLOW_UPS:
        errors.append(f"督办事项最多 {MAX_FOLLOW_UPS} 项。")
    if errors:
        raise ValidationError({"follow_ups": errors})
    return cleaned


def meeting_create(*, actor: Any, data: dict[str, Any], disputes: Iterable[Dispute] = (),
                   alerts: Iterable[Any] = (), follow_ups: Iterable[dict[str, Any]] = ()) -> Meeting:
    """记录一次例会 (disputes.manage): the meeting, the disputes discussed (each visible to the actor and under
    the meeting's place), its follow-ups, and the chosen warnings marked 已列入研判 (alerts' service, audited
    there). One transaction: a refused warning or dispute writes nothing."""
    from pingan.alerts.models import Alert, Status
    from pingan.alerts.services import alert_handle

    _require(actor, "meeting.create")
    data = {k: v for k, v in data.items() if k in MEETING_FIELDS}
    _check_meeting(actor, data)
    items = _clean_follow_ups(follow_ups, data["held_on"])
    disputes = list(disputes)
    node = data["jurisdiction"]
    visible = set(Dispute.objects.visible_to(actor).filter(pk__in=[d.pk for d in disputes],
                                                           jurisdiction__path__startswith=node.path)
                  .values_list("pk", flat=True))
    outside = [d.number for d in disputes if d.pk not in visible]
    if outside:
        raise ValidationError({"disputes": f"纠纷 {'、'.join(outside[:5])} 不在本次会议的辖区或您的管辖范围内。"})
    alerts = list(alerts)
    allowed = set(Alert.objects.visible_to(actor).filter(pk__in=[a.pk for a in alerts], module="disputes",
                                                         jurisdiction__path__startswith=node.path)
                  .values_list("pk", flat=True))
    if any(a.pk not in allowed for a in alerts):
        raise ValidationError({"alerts": "所选预警不存在、不属于矛盾纠纷或不在本次会议的辖区。"})
    with transaction.atomic():
        meeting = model_create(actor=actor, model=Meeting, action="meeting.create", data={**data, "created_by": actor})
        if disputes:
            meeting.disputes.set(disputes)
        if alerts:
            meeting.alerts.set(alerts)
        MeetingFollowUp.objects.bulk_create([MeetingFollowUp(meeting=meeting, **item) for item in items])
        audit.record(actor=actor, action="meeting.agenda", obj=meeting,
                     changes={"disputes": sorted(d.number for d in disputes), "alerts": sorted(a.pk for a in alerts),
                              "follow_ups": [i["task"] for i in items]},
                     detail=f"研判纠纷 {len(disputes)} 件、预警 {len(alerts)} 条、督办事项 {len(items)} 项")
        label = f"{meeting.held_on:%Y-%m-%d}{meeting.get_kind_display()}（{node.name}）"
        for alert in alerts:
            if alert.status == Status.OPEN:
                alert_handle(actor=actor, alert=alert, status=Status.AGENDA, note=f"列入{label}", agenda_item=label)
    return meeting


def meeting_update(*, actor: Any, instance: Meeting, data: dict[str, Any],
                   disputes: Iterable[Dispute] | None = None) -> Meeting:
    """修改例会记录 (the place stays; the disputes discussed may be changed)."""
    _require(actor, "meeting.update", instance)
    data = {k: v for k, v in data.items() if k in MEETING_FIELDS and k != "jurisdiction"}
    merged = {name: data.get(name, getattr(instance, name)) for name in MEETING_FIELDS}
    _check_meeting(actor, merged)
    with transaction.atomic():
        model_update(actor=actor, instance=instance, data=data, action="meeting.update")
        if disputes is not None:
            disputes = list(disputes)
            visible = set(Dispute.objects.visible_to(actor).filter(
                pk__in=[d.pk for d in disputes], jurisdiction__path__startswith=instance.jurisdiction.path)
                .values_list("pk", flat=True))
            if any(d.pk not in visible for d in disputes):
                raise ValidationError({"disputes": "所选纠纷不在本次会议的辖区或您的管辖范围内。"})
            before = sorted(instance.disputes.values_list("number", flat=True))
            instance.disputes.set(disputes)
            after = sorted(d.number for d in disputes)
            if before != after:
                audit.record(actor=actor, action="meeting.update", obj=instance, changes={"disputes": [before, after]})
    return instance


def meeting_delete(*, actor: Any, instance: Meeting) -> None:
    _require(actor, "meeting.delete", instance)
    with transaction.atomic():
        snap = audit.snapshot(instance)
        pk = instance.pk
        instance.delete()
        instance.pk = pk
        audit.record(actor=actor, action="meeting.delete", obj=instance, changes={"before": snap})


def followup_add(*, actor: Any, meeting: Meeting, data: dict[str, Any]) -> MeetingFollowUp:
    _require(actor, "meeting.follow_up", meeting)
    items = _clean_follow_ups([data], meeting.held_on)
    if not items:
        raise ValidationError({"task": "请填写督办事项。"})
    with transaction.atomic():
        item = MeetingFollowUp.objects.create(meeting=meeting, **items[0])
        audit.record(actor=actor, action="meeting.follow_up", obj=meeting, changes={"added": items[0]})
    return item


def followup_update(*, actor: Any, follow_up: MeetingFollowUp, data: dict[str, Any]) -> MeetingFollowUp:
    """登记督办事项的落实情况 (done date and result), or correct it."""
    _require(actor, "meeting.follow_up", follow_up.meeting)
    merged = {name: data.get(name, getattr(follow_up, name)) for name in FOLLOWUP_FIELDS}
    items = _clean_follow_ups([merged], follow_up.meeting.held_on)
    if not items:
        raise ValidationError({"task": "请填写督办事项。"})
    with transaction.atomic():
        model_update(actor=actor, instance=follow_up, data={k: items[0].get(k, merged[k]) for k in FOLLOWUP_FIELDS},
                     action="meeting.follow_up", audit_obj=follow_up.meeting)
    return follow_up


# ------------------------------------------------------------------------------------------------ reads
AGENDA_LIMIT = 100


def meeting_agenda(user: Any, node: Any = None) -> dict[str, list]:
    """What the next meeting should discuss, under `node` (default the user's scope): the waiting warnings of
    the disputes module (most serious first) and the overdue disputes. Two queries."""
    from pingan.alerts.selectors import open_alerts

    alerts = open_alerts(user, "disputes")
    overdue = Dispute.objects.visible_to(user).overdue().select_related("jurisdiction").order_by("due_at")
    if node is not None:
        alerts = alerts.filter(jurisdiction__path__startswith=node.path)
        overdue = overdue.filter(jurisdiction__path__startswith=node.path)
    return {"alerts": list(alerts[:AGENDA_LIMIT]), "overdue": list(overdue.distinct()[:AGENDA_LIMIT])}


def overdue_follow_ups(meeting_qs, today: dt.date | None = None):
    """Follow-ups of these meetings past their date and not done."""
    today = today or timezone.localdate()
    return MeetingFollowUp.objects.filter(meeting__in=meeting_qs, done_on__isnull=True, due_on__lt=today) \
        .select_related("meeting").order_by("due_on")


__all__ = ["meeting_create", "meeting_update", "meeting_delete", "followup_add", "followup_update",
           "meeting_agenda", "overdue_follow_ups"]
