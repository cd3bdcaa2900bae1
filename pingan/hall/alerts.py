"""Early-warning rules of the window (found by pingan.alerts' autodiscovery of `<app>.alerts`).

hall.repeat_visit: the same visitor registered N (default 3) or more matters at a hall within M (default 30)
days — a grievance that keeps coming back (重复来访), to be looked at in the 研判 meeting. One open warning per
visitor; the periodic scan closes it once the visits in the window fall below N. The warning names the visitor
and lists the matters' codes; it is person data (not shown to department handlers).

hall.unrouted: a matter still not routed past its 分流 due moment (one working day after registration), yellow.
"""
from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from pingan.alerts.registry import AlertSpec, Rule, register_rule

from .models import Matter

RULE = "hall.repeat_visit"
UNROUTED = "hall.unrouted"


def repeat_visits(params: dict, now: dt.datetime):
    minimum = max(int(params.get("visits", 3)), 2)
    since = now - dt.timedelta(days=int(params.get("days", 30)))
    recent = Matter.objects.filter(registered_at__gte=since, registered_at__lte=now)
    heavy = list(recent.order_by().values("visitor").annotate(n=Count("pk")).filter(n__gte=minimum)
                 .values_list("visitor", flat=True))
    if not heavy:
        return
    by_visitor: dict[int, list[Matter]] = {}
    for matter in recent.filter(visitor__in=heavy).select_related("visitor", "jurisdiction").order_by("registered_at"):
        by_visitor.setdefault(matter.visitor_id, []).append(matter)
    for matters in by_visitor.values():
        last = matters[-1]
        codes = "、".join(m.code for m in matters)
        yield AlertSpec(
            rule=RULE, jurisdiction=last.jurisdiction, source=last, key=f"{RULE}:{last.visitor_id}",
            title=f"{last.visitor.name} {int(params.get('days', 30))} 天内来访 {len(matters)} 次",
            reason=(f"{last.visitor.name}自 {matters[0].registered_at:%Y-%m-%d} 起在窗口登记 {len(matters)} 件事项"
                    f"（{codes}），达到 {minimum} 次即预警，请研判是否同一诉求反复来访。"),
            data_kind="person",
        )


register_rule(Rule(
    key=RULE,
    label="重复来访",
    module="hall",
    description="同一来访人在 M 天内到窗口登记事项达到 N 次时预警，列出各次事项码；低于 N 次后下一次扫描自动关闭。",
    params={"visits": (3, "来访次数"), "days": (30, "天数")},
    level="orange",
    scan=repeat_visits,
    data_kind="person",
))


def unrouted(params: dict, now: dt.datetime):
    """Matters registered at a hall and still not routed past their 分流 due moment (one working day) by at
    least `hours` hours (the hall's own clock; the case a matter became carries its own deadlines)."""
    late = now - dt.timedelta(hours=int(params.get("hours", 0)))
    for matter in (Matter.objects.filter(Matter.objects.overdue_q(late)).select_related("jurisdiction")
                   .order_by("route_due_at", "pk")):
        yield AlertSpec(
            rule=UNROUTED, jurisdiction=matter.jurisdiction, source=matter, key=f"{UNROUTED}:{matter.pk}",
            title=f"窗口事项 {matter.code} 超过分流期限未分流",
            reason=(f"事项 {matter.code}（{matter.topic}）于 {timezone.localtime(matter.registered_at):%Y-%m-%d %H:%M} "
                    f"登记，分流期限 {timezone.localtime(matter.route_due_at):%Y-%m-%d %H:%M}，至今仍未分流。"))


register_rule(Rule(
    key=UNROUTED, label="窗口事项超期未分流", module="hall", level="yellow", scan=unrouted,
    description="窗口登记的事项超过分流期限（登记后一个工作日）仍未分流时预警；分流后下一次扫描自动关闭。",
    params={"hours": (0, "超过分流期限的小时数"), },
))
