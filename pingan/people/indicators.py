"""People indicators (docs/indicators.md): people.total, people.by_type, special_people.active (+ by_type),
special_people.visits_due, .visits_done and .visit_rate. Each is one SQL aggregate over visible rows."""
from __future__ import annotations

from django.db.models import Count, Q

from pingan.core.indicators import MAP, RATE, Query, group, indicator, rate

from . import choices as c
from .models import Person, SpecialEnrollment, Visit

group("people", "实有人口")
group("special_people", "特殊人群")


def _people_by_type(q: Query) -> dict[str, int]:
    key = "_people.by_type"
    if key not in q._values:
        rows = q.scoped(Person).on(q.date_to).values("person_type").annotate(n=Count("pk"))
        counts = {r["person_type"]: r["n"] for r in rows}
        q._values[key] = {label: counts.get(value, 0) for value, label in c.PersonType.choices}
    return q._values[key]


@indicator("people.total", "实有人口", order=1)
def total(q: Query) -> int:
    """统计截止日在册（已登记、未注销）的人数。"""
    return sum(_people_by_type(q).values())


@indicator("people.by_type", "按人口类型", kind=MAP, order=2)
def by_type(q: Query) -> dict[str, int]:
    """统计截止日在册人数，按人口类型（户籍人口、流动人口、境外人员、留守人员）。"""
    return _people_by_type(q)


def _special_by_type(q: Query) -> dict[str, int]:
    key = "_special.by_type"
    if key not in q._values:
        rows = q.scoped(SpecialEnrollment).active_on(q.date_to).values("kind").annotate(n=Count("pk"))
        counts = {r["kind"]: r["n"] for r in rows}
        allowed = q.user is None or q.user.can("people.read_health")
        q._values[key] = {label: counts.get(value, 0) for value, label in c.SpecialKind.choices
                          if allowed or value not in c.HEALTH_KINDS}
    return q._values[key]


@indicator("special_people.active", "在管特殊人群", order=1)
def active(q: Query) -> int:
    """统计截止日在管（已列管、未解除、未期满）的人次；一人属多类按类分别计。"""
    return sum(_special_by_type(q).values())


@indicator("special_people.by_type", "按人群类型", kind=MAP, order=2)
def special_by_type(q: Query) -> dict[str, int]:
    """统计截止日在管人次，按人群类型。"""
    return _special_by_type(q)


def _visits(q: Query) -> dict[str, int]:
    key = "_special.visits"
    if key not in q._values:
        done = q.scoped(Visit).filter(due_on__gte=q.date_from, due_on__lte=q.date_to).aggregate(
            due=Count("pk"), on_time=Count("pk", filter=Q(on_time=True)))
        pending = q.scoped(SpecialEnrollment).active_on(q.date_to).filter(
            next_visit_on__gte=q.date_from, next_visit_on__lte=q.date_to).count()
        q._values[key] = {"due": done["due"] + pending, "done": done["on_time"]}
    return q._values[key]


@indicator("special_people.visits_due", "应走访", order=3)
def visits_due(q: Query) -> int:
    """计划走访日期在统计期内的走访次数：已走访的（按其计划日期）加尚未走访的。"""
    return _visits(q)["due"]


@indicator("special_people.visits_done", "按期走访", order=4)
def visits_done(q: Query) -> int:
    """其中在计划日期当天或之前完成的走访次数。"""
    return _visits(q)["done"]


@indicator("special_people.visit_rate", "按期走访率", kind=RATE, order=5)
def visit_rate(q: Query) -> float | None:
    """按期走访 ÷ 应走访。"""
    return rate(q["special_people.visits_done"], q["special_people.visits_due"])
