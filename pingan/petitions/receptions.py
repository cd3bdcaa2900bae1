"""领导接访日, 约访 and 下访 (条例第十八条): the schedule and what each reception received.

    reception_save(*, actor, data, reception=None) -> LeaderReception     plan or edit (leader, date, place,
                                                                          topic, kind, outcome)
    reception_attach(*, actor, reception, numbers) -> int                 petitions received, by number
    schedule(actor, today=None) -> {"upcoming": [...], "past": [...]}     the calendar-like list
    leader_schedule(user) -> queryset                                     a leader's own receptions

A leader (role leader) reads their own schedule; the centre and township officers (petitions.decide) write.
A 约访 names the petitioner it was made with (the attached petition); its outcome says what was agreed.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.core import audit, personal
from pingan.geo.models import Node

from . import choices as c
from .models import LeaderReception, Petition

FIELDS = ("leader_name", "held_on", "place", "topic", "kind", "outcome")
MAX_NUMBERS = 100


def _require(actor: Any, action: str, obj: Any = None) -> None:
    if not actor.can("petitions.decide"):
        audit.record(actor=actor, action=action, obj=obj, outcome="failure", detail="无权维护领导接访")
        raise PermissionDenied("您的角色不能维护领导接访。")


def reception_save(*, actor: Any, data: dict, reception: LeaderReception | None = None) -> LeaderReception:
    action = "leaderreception.update" if reception else "leaderreception.create"
    _require(actor, action, reception)
    if reception is not None:
        reception = LeaderReception.objects.visible_to(actor).filter(pk=reception.pk).first()
        if reception is None:
            raise PermissionDenied("此接访记录不存在或不在您的管辖范围内。")
    errors: dict[str, str] = {}
    values = {}
    for name, limit, label in (("leader_name", 50, "接访领导"), ("place", 200, "接访地点"), ("topic", 200, "接访主题"),
                               ("outcome", 4000, "接访结果")):
        text = personal.clean_text(data.get(name))
        if len(text) > limit:
            errors[name] = f"{label}不能超过 {limit} 字。"
        values[name] = text
    for name, label in (("leader_name", "接访领导"), ("place", "接访地点")):
        if not values[name] and name not in errors:
            errors[name] = f"请填写{label}。"
    held = data.get("held_on")
    if not isinstance(held, dt.date) or isinstance(held, dt.datetime):
        errors["held_on"] = "请填写接访日期。"
    elif not dt.date(2000, 1, 1) <= held <= timezone.localdate() + dt.timedelta(days=366):
        errors["held_on"] = "接访日期须在 2000 年以后、一年以内。"
    values["held_on"] = held
    kind = data.get("kind") or c.ReceptionKind.RECEPTION
    if kind not in c.ReceptionKind.values:
        errors["kind"] = "接访方式只能是接访、约访或下访。"
    values["kind"] = kind
    # An edit that does not name the leader's account keeps the one recorded (the page's form has no such field).
    keep_leader = reception is not None and "leader" not in data
    leader = reception.leader if keep_leader else data.get("leader")
    if leader is not None and not keep_leader:
        User = get_user_model()
        if not isinstance(leader, User) or not User.objects.filter(pk=leader.pk, is_active=True).exists():
            errors["leader"] = "所选接访领导账号不存在。"
    place = data.get("jurisdiction") or (reception.jurisdiction if reception else getattr(actor, "scope", None))
    if not isinstance(place, Node) or not Node.objects.visible_to(actor).filter(pk=place.pk).exists():
        errors["jurisdiction"] = "所选单位不存在或不在您的管辖范围内。"
    if isinstance(held, dt.date) and held > timezone.localdate() and values["outcome"]:
        errors["outcome"] = "接访尚未进行，不能填写接访结果。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if reception is None:
            reception = LeaderReception(jurisdiction=place, created_by=actor if getattr(actor, "pk", None) else None)
            before = {}
        else:
            reception = LeaderReception.objects.select_for_update().get(pk=reception.pk)
            before = audit.snapshot(reception, [*FIELDS, "leader"])
        for k, v in values.items():
            setattr(reception, k, v)
        reception.leader = leader
        reception.full_clean()
        reception.save()
        after = audit.snapshot(reception, [*FIELDS, "leader"])
        audit.record(actor=actor, action=action, obj=reception,
                     changes=audit.diff(before, after) if before else {"after": after})
    return reception


def reception_attach(*, actor: Any, reception: LeaderReception, numbers) -> int:
    """Attach the petitions received, given by number (XF…; separated by spaces, commas or 、). Every number
    must be a petition the actor sees; otherwise nothing is attached."""
    _require(actor, "leaderreception.attach", reception)
    reception = LeaderReception.objects.visible_to(actor).filter(pk=getattr(reception, "pk", None)).first()
    if reception is None:
        raise PermissionDenied("此接访记录不存在或不在您的管辖范围内。")
    if isinstance(numbers, str):
        numbers = re.split(r"[\s,，、;；]+", personal.clean_text(numbers))
    numbers = [personal.clean_text(n).upper() for n in numbers if personal.clean_text(n)]
    if not numbers:
        raise ValidationError({"numbers": "请填写接待的信访事项编号。"})
    if len(numbers) > MAX_NUMBERS or any(len(n) > 40 for n in numbers):
        raise ValidationError({"numbers": f"一次最多填写 {MAX_NUMBERS} 个编号，每个编号不超过 40 个字符。"})
    found = {p.number: p for p in Petition.objects.visible_to(actor).filter(number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ValidationError({"numbers": f"编号 {'、'.join(missing[:5])} 不存在或不在您的管辖范围内。"})
    with transaction.atomic():
        reception.petitions.add(*found.values())
        audit.record(actor=actor, action="leaderreception.attach", obj=reception,
                     changes={"petitions": [None, sorted(found)]})
    return len(found)


def schedule(actor: Any, today: dt.date | None = None) -> dict[str, list]:
    """Upcoming (today and later, soonest first) and past (latest first, the last 50) receptions in scope."""
    today = today or timezone.localdate()
    qs = LeaderReception.objects.visible_to(actor)
    return {"upcoming": list(qs.filter(held_on__gte=today).order_by("held_on", "pk")[:50]),
            "past": list(qs.filter(held_on__lt=today).order_by("-held_on", "-pk")[:50])}


def leader_schedule(user: Any):
    """The receptions of a leader's own account (read-only for them)."""
    return LeaderReception.objects.visible_to(user).filter(leader=user).order_by("-held_on", "-pk")
