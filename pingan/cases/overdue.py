"""One overdue scan for the case kinds: a module's `alerts.py` registers its overdue rule with `overdue_rule`
instead of writing its own query (the case layer's `overdue_q` is THE definition of overdue).

    register_rule(overdue_rule(key="hazards.overdue", label="隐患整治超期", module="hazards", model=Hazard,
                               noun="隐患", date_field="screened_on"))

The scan yields one warning per open case whose due moment lies at least `days` days in the past, among the
cases of the last `window` days (by their own date: older leftovers are the ledger's matter, the centre's
warnings are about current work). The key carries the due moment, so a case given more time (延期) and overdue
again is warned about again; once the case is closed or no longer overdue the scan closes the warning
(原因已消除). Level: the rule's (yellow by default), orange once overdue by `serious` days or more.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from django.utils import timezone

from pingan.alerts.registry import AlertSpec, Rule

from .definitions import get_kind

PARAMS = {"days": (0, "超期天数达到"), "serious": (15, "超期天数达到此数时升为橙色"),
          "window": (365, "只看最近天数内登记的")}


def _days_over(due_at: dt.datetime, now: dt.datetime) -> int:
    return max((now - due_at).days, 0)


def overdue_scan(*, key: str, model: type, noun: str, date_field: str,
                 title: Callable[[Any], str] | None = None, select: tuple[str, ...] = ()):
    """The scan function of an overdue rule over `model` (a case kind with `overdue_q`)."""

    def scan(params: dict, now: dt.datetime):
        kind = get_kind(model._meta.label_lower)
        since: Any = timezone.localtime(now).date() - dt.timedelta(days=int(params.get("window", 365)))
        if model._meta.get_field(date_field).get_internal_type() == "DateTimeField":
            since = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        minimum = int(params.get("days", 0))
        serious = int(params.get("serious", 15))
        qs = (model.objects.filter(model.objects.overdue_q(now - dt.timedelta(days=minimum)))
              .filter(**{f"{date_field}__gte": since})
              .select_related("jurisdiction", *select).order_by("due_at", "pk"))
        for case in qs:
            over = _days_over(case.due_at, now)
            state = kind.state_label(case.state)
            number = getattr(case, "number", "") or case.pk
            yield AlertSpec(
                rule=key, jurisdiction=case.jurisdiction, source=case,
                key=f"{key}:{case.pk}:{case.due_at.isoformat()}",
                title=title(case) if title else f"{noun}{number}已超期 {over} 天",
                reason=(f"{noun}{number}（{state}）的办理期限为 {timezone.localtime(case.due_at):%Y-%m-%d %H:%M}，"
                        f"至 {timezone.localtime(now):%Y-%m-%d %H:%M} 已超期 {over} 天仍未办结"
                        f"（超期 {minimum} 天即预警，{serious} 天及以上为橙色）。"),
                level="orange" if over >= serious else None)

    return scan


def overdue_rule(*, key: str, label: str, module: str, model: type, noun: str, date_field: str,
                 description: str = "", level: str = "yellow", title: Callable[[Any], str] | None = None,
                 select: tuple[str, ...] = (), source_url: Callable[[Any], str] | None = None,
                 data_kind: str = "case") -> Rule:
    return Rule(key=key, label=label, module=module, level=level, params=dict(PARAMS), data_kind=data_kind,
                scan=overdue_scan(key=key, model=model, noun=noun, date_field=date_field, title=title, select=select),
                source_url=source_url,
                description=description or (f"{noun}已过办理期限仍未办结时预警（超期天数达到设定值；只看最近若干天内"
                                            f"登记的）；超期较久升为橙色；办结或延期后下一次扫描自动关闭。"))
