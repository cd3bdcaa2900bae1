"""Early-warning rules of the people module (found by pingan.alerts' autodiscovery of `<app>.alerts`).

people.overdue_visit: a special-population member under management whose planned visit (`next_visit_on`) is
more than N days past — the overdue-visit definition of the people pages (selectors.overdue: under
management, next visit before today). A warning about a person is person data; about a member of a health
kind (严重精神障碍, 艾滋病) health data, seen only by the roles that may see health data. The key carries the
planned date, so a visit (a new plan) closes the warning at the next scan and a new lapse raises a new one.
"""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from pingan.alerts.registry import AlertSpec, Rule, register_rule

from . import choices as c
from .models import SpecialEnrollment

RULE = "people.overdue_visit"


def overdue_visits(params: dict, now: dt.datetime):
    """The current overdue visits, as warnings."""
    today = timezone.localdate(now)
    grace = int(params.get("grace_days", 0))
    rows = (SpecialEnrollment.objects.active_on(today).filter(next_visit_on__lt=today - dt.timedelta(days=grace))
            .select_related("person", "jurisdiction").order_by("pk"))
    for enrollment in rows.iterator(chunk_size=2000):
        days = (today - enrollment.next_visit_on).days
        kind = enrollment.get_kind_display()
        last = f"{enrollment.last_visit_on:%Y-%m-%d}" if enrollment.last_visit_on else "无走访记录"
        yield AlertSpec(
            rule=RULE, jurisdiction=enrollment.jurisdiction, source=enrollment,
            key=f"{RULE}:{enrollment.pk}:{enrollment.next_visit_on.isoformat()}",
            title=f"{kind}{enrollment.person.name}走访逾期 {days} 天",
            reason=(f"{kind}{enrollment.person.name}计划于 {enrollment.next_visit_on:%Y-%m-%d} 走访，"
                    f"至 {today:%Y-%m-%d} 已逾期 {days} 天（逾期超过 {grace} 天即预警）；最近一次走访：{last}。"),
            data_kind="health" if enrollment.kind in c.HEALTH_KINDS else "person",
        )


register_rule(Rule(
    key=RULE,
    label="特殊人群走访逾期",
    module="people",
    description="列管的特殊人群超过计划走访日期 N 天仍未走访时预警；走访后下一次扫描自动关闭。",
    params={"grace_days": (0, "逾期超过天数")},
    level="yellow",
    scan=overdue_visits,
    data_kind="person",
    source_url=lambda enrollment: reverse("people:special_detail", args=[enrollment.pk]),
))
