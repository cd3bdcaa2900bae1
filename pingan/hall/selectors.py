"""Reads of the one window, always from `visible_to(user)`: the visitor search (a returning visitor in one
step), matters, a matter's progress in plain Chinese for the citizen, the hall log's counts and who is on duty."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from pingan.cases.definitions import get_kind
from pingan.core import audit, limits, personal
from pingan.core.models import AuditEntry

from . import choices as c
from .models import Appointment, Counsellor, DutySlot, DutyUnit, HallVisitor, Matter

LOOKUPS_PER_HOUR = 60  # exact-number visitor lookups per account and hour (as the people register's)


def _lookup_allowed(user: Any, what: str) -> bool:
    """Count and audit one exact lookup by a full number; False once the hourly limit is reached."""
    limit = getattr(settings, "PINGAN_PEOPLE_LOOKUPS_PER_HOUR", LOOKUPS_PER_HOUR)
    if limits.exceeded(f"hall-visitor-lookup:{user.pk}", limit=limit, seconds=3600):
        audit.record(actor=user, action="hallvisitor.lookup", outcome=AuditEntry.Outcome.FAILURE,
                     object_type="hall.hallvisitor", detail=f"按完整{what}查找超过每小时 {limit} 次的限制")
        return False
    audit.record(actor=user, action="hallvisitor.lookup", object_type="hall.hallvisitor", detail=f"按完整{what}查找")
    return True


def search_visitors(user: Any, q: Any):
    """One field: a full ID number or phone (matched by keyed hash, audited and limited) or part of a name."""
    qs = HallVisitor.objects.visible_to(user).order_by("name", "id")
    text = personal.clean_text(q).replace(" ", "").upper()
    if not text:
        return qs.none()
    if len(text) in (15, 18) and text[:-1].isdigit():
        try:
            parsed = personal.parse_id_number(text)
        except Exception:
            return qs.none()
        if not _lookup_allowed(user, "公民身份号码"):
            return qs.none()
        return qs.filter(id_hash=personal.lookup_hash(parsed.value))
    if text.isdigit() or "-" in text:
        try:
            phone = personal.parse_phone(text)
        except Exception:
            return qs.none()
        if not phone or not _lookup_allowed(user, "联系电话"):
            return qs.none()
        return qs.filter(phone_hash=personal.lookup_hash(phone, namespace="phone"))
    return qs.filter(name__icontains=text[:50])


def matters(user: Any):
    return (Matter.objects.visible_to(user).select_related("visitor", "jurisdiction", "case_type")
            .order_by("-registered_at", "-id"))


def visitor_matters(user: Any, visitors) -> dict[int, list[Matter]]:
    """Earlier matters of the visitors found (one query)."""
    out: dict[int, list[Matter]] = {}
    for matter in matters(user).filter(visitor__in=visitors)[:200]:
        out.setdefault(matter.visitor_id, []).append(matter)
    return out


def case_of(matter: Matter):
    """The case the matter became (dispute, petition, event, appointment), or None."""
    if not matter.case_type_id or not matter.case_id:
        return None
    model = matter.case_type.model_class()
    if model is None:
        return None
    return model.objects.filter(pk=matter.case_id).first()


def progress(matter: Matter) -> dict[str, Any]:
    """What the citizen (and the window) reads: the route, the case's stage in plain Chinese, whether it is
    done and its result. Nothing personal: no names, numbers or places below the hall."""
    steps = [("受理", True, timezone.localtime(matter.registered_at))]
    info: dict[str, Any] = {"route": matter.get_route_display() if matter.route else "", "stage": "", "done": False,
                            "result": "", "number": matter.case_number, "steps": steps}
    if matter.status == c.Status.REGISTERED:
        info["stage"] = "已登记，正在分流（1 个工作日内）"
        return info
    steps.append(("分流", True, timezone.localtime(matter.routed_at) if matter.routed_at else None))
    if matter.status == c.Status.ANSWERED:
        info.update(stage="已当场答复", done=True, result=matter.answer_note)
    elif matter.status == c.Status.REFERRED:
        info.update(stage=f"已转介至{matter.route_unit}", done=True,
                    result=f"请持本事项码到{matter.route_unit}办理。")
    case = case_of(matter)
    if case is not None and hasattr(case, "state") and hasattr(case, "get_state_display"):
        closed = False
        try:
            closed = get_kind(case).state(case.state).closed
        except Exception:  # a model that is not a case kind (an appointment)
            closed = False
        info["stage"] = f"{matter.get_route_display()}：{case.get_state_display()}"
        info["done"] = closed
        if closed:
            when = getattr(case, "closed_at", None)
            info["result"] = f"已于 {timezone.localtime(when):%Y年%m月%d日} 办结。" if when else "已办结。"
        steps.append(("处置", True, None))
    elif isinstance(case, Appointment):
        info["stage"] = (f"心理服务：{case.get_status_display()}（{timezone.localtime(case.starts_at):%m月%d日 %H:%M}，"
                         f"{case.room}）")
        info["done"] = case.status == c.AppointmentStatus.DONE
    if matter.status == c.Status.CLOSED:
        info["done"] = True
        info["stage"] = (info["stage"] + "；" if info["stage"] else "") + "已回访办结"
        steps.append(("回访", True, None))
    return info


def find_for_lookup(code: str) -> Matter | None:
    return Matter.objects.select_related("visitor", "case_type").filter(code=code).first()


# ------------------------------------------------------------------------------------------------ the log
def day_counts(qs) -> dict[str, Any]:
    """Counts by route and by outcome (status) of a set of matters: one query each."""
    by_route = {row["route"]: row["n"] for row in qs.order_by().values("route").annotate(n=Count("pk"))}
    by_status = {row["status"]: row["n"] for row in qs.order_by().values("status").annotate(n=Count("pk"))}
    return {
        "routes": [(label, by_route.get(value, 0)) for value, label in [("", "待分流"), *c.Route.choices]],
        "statuses": [(label, by_status.get(value, 0)) for value, label in c.Status.choices],
        "total": sum(by_route.values()),
    }


def period_table(qs) -> dict[str, Any]:
    """Route × outcome, channel and window counts of a period (three grouped queries)."""
    cells = {(r["route"], r["status"]): r["n"] for r in
             qs.order_by().values("route", "status").annotate(n=Count("pk"))}
    routes = [("", "待分流"), *c.Route.choices]
    rows = [(label, [cells.get((value, s), 0) for s, _ in c.Status.choices],
             sum(cells.get((value, s), 0) for s, _ in c.Status.choices)) for value, label in routes]
    channels = {r["channel"]: r["n"] for r in qs.order_by().values("channel").annotate(n=Count("pk"))}
    windows = list(qs.order_by().values("window").annotate(n=Count("pk")).order_by("window"))
    return {"statuses": [label for _v, label in c.Status.choices], "rows": rows,
            "channels": [(label, channels.get(v, 0)) for v, label in c.Channel.choices],
            "windows": [(w["window"] or "未填窗口", w["n"]) for w in windows],
            "total": sum(channels.values())}


# ----------------------------------------------------------------------------------------------- duty
def on_duty(user: Any, day: dt.date):
    return (DutySlot.objects.visible_to(user).filter(date=day).select_related("unit")
            .order_by("period", "window", "unit__name"))


def week(user: Any, monday: dt.date) -> list[tuple[dt.date, list[DutySlot]]]:
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    slots = (DutySlot.objects.visible_to(user).filter(date__gte=days[0], date__lte=days[-1]).select_related("unit")
             .order_by("date", "period", "window"))
    grouped: dict[dt.date, list[DutySlot]] = {d: [] for d in days}
    for slot in slots:
        grouped[slot.date].append(slot)
    return list(grouped.items())


def duty_units(user: Any):
    return DutyUnit.objects.visible_to(user).filter(is_active=True).order_by("kind", "name")


def counsellors(user: Any):
    """The counsellors offered for new appointments: active ones only (a deactivated one stays in the 名录)."""
    return Counsellor.objects.visible_to(user).filter(is_active=True).order_by("name")


def pending_appointments(user: Any, counsellor: Counsellor) -> int:
    """How many of the counsellor's appointments are still booked from now on (a number: nothing of their
    visitors or notes)."""
    return (Appointment.objects.visible_to(user)
            .filter(counsellor=counsellor, status=c.AppointmentStatus.BOOKED, starts_at__gte=timezone.now()).count())


def appointments(user: Any):
    return (Appointment.objects.visible_to(user).select_related("counsellor", "visitor", "matter")
            .order_by("-starts_at", "-id"))


def repeat_visitors(since: dt.datetime, minimum: int):
    """Visitors with at least `minimum` matters registered since `since` (the repeat-visit warning)."""
    return (HallVisitor.objects.filter(matters__registered_at__gte=since).annotate(n=Count("matters"))
            .filter(n__gte=minimum).select_related("jurisdiction"))


def overdue_count(user: Any) -> int:
    return Matter.objects.visible_to(user).filter(Matter.objects.overdue_q()).count()


