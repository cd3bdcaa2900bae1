"""Early-warning rules of the petitions module (found by pingan.alerts' autodiscovery of `<app>.alerts`).

    petitions.sensitive_period  an open petition registered within the sensitive period set on the rule
                                (params 开始日期/结束日期: the district edits them on the rules page, per season:
                                两会, 国庆 …; the default period 2000-01-01 is none), orange
    petitions.group             an open petition of ≥ N people (N=5: 集体访, 条例第二十条), orange
    petitions.heading_up        an open petition flagged 有赴省进京倾向 by the officer, red
    petitions.repeat_visits     the same petitioner (ID number's or phone's hash) with ≥ N petitions registered
                                within the last M days (N=3, M=30), yellow; the source is the latest of them
    petitions.assigned_overdue  an item of a 交办清单 not yet reported back, unfinished past the list's deadline
                                or its own 办结期限, orange

All are scans (`scan_alerts`, periodic and after the seed): a warning whose cause is gone (finished, the flag
cleared, the period edited) is closed by the next scan (原因已消除). Reasons say why, with the numbers; they
never show an ID number or a phone.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Iterable

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pingan.alerts.registry import AlertSpec, Rule, register_rule

from . import choices as c
from . import lists  # noqa: F401  (registers the 交办事项办理情况报告 document)
from .models import Petition, Petitioner

SENSITIVE = "petitions.sensitive_period"
GROUP = "petitions.group"
HEADING_UP = "petitions.heading_up"
REPEAT_VISITS = "petitions.repeat_visits"
ASSIGNED_OVERDUE = "petitions.assigned_overdue"
RULES = (SENSITIVE, GROUP, HEADING_UP, REPEAT_VISITS, ASSIGNED_OVERDUE)
OPEN = (c.PetitionState.REGISTERED, c.PetitionState.HANDLING, c.PetitionState.REVIEWING, c.PetitionState.RECHECKING)
NO_PERIOD = dt.date(2000, 1, 1)


def _source_url(petition: Petition) -> str:
    try:
        return reverse("petitions:detail", args=[petition.pk])
    except NoReverseMatch:
        return ""


def _open():
    return Petition.objects.filter(state__in=OPEN).select_related("jurisdiction")


def _day(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date() if timezone.is_aware(now) else now.date()


def scan_sensitive(params: dict, now: dt.datetime) -> Iterable[AlertSpec]:
    start, end = params.get("start", NO_PERIOD), params.get("end", NO_PERIOD)
    if not isinstance(start, dt.date) or not isinstance(end, dt.date) or end < start or start <= NO_PERIOD:
        return
    for p in _open().filter(registered_on__gte=start, registered_on__lte=end):
        yield AlertSpec(rule=SENSITIVE, jurisdiction=p.jurisdiction, source=p,
                        key=f"{SENSITIVE}:{p.pk}:{start}:{end}",
                        title=f"敏感时期信访：{p.number}",
                        reason=f"信访事项 {p.number} 于 {p.registered_on:%Y-%m-%d} 登记，在敏感时期（{start:%Y-%m-%d} 至 "
                               f"{end:%Y-%m-%d}）内，尚{p.get_state_display()}。")


def scan_group(params: dict, now: dt.datetime) -> Iterable[AlertSpec]:
    n = params.get("people", 5)
    for p in _open().filter(head_count__gte=n):
        yield AlertSpec(rule=GROUP, jurisdiction=p.jurisdiction, source=p, key=f"{GROUP}:{p.pk}",
                        title=f"集体访：{p.number}（{p.head_count} 人）",
                        reason=f"信访事项 {p.number} 人数 {p.head_count} 人，达到集体访预警人数 {n} 人，尚{p.get_state_display()}。")


def scan_heading_up(params: dict, now: dt.datetime) -> Iterable[AlertSpec]:
    for p in _open().filter(heading_up=True):
        note = (p.heading_up_note or "").strip()
        yield AlertSpec(rule=HEADING_UP, jurisdiction=p.jurisdiction, source=p, key=f"{HEADING_UP}:{p.pk}",
                        title=f"赴省进京倾向：{p.number}",
                        reason=f"信访事项 {p.number} 经办人标记信访人有赴省进京倾向" + (f"：{note[:100].rstrip('。')}" if note else "")
                               + f"；尚{p.get_state_display()}。")


def scan_repeat_visits(params: dict, now: dt.datetime) -> Iterable[AlertSpec]:
    n, days = params.get("count", 3), params.get("days", 30)
    if n < 2:
        n = 2
    since = _day(now) - dt.timedelta(days=days)
    rows = (Petitioner.objects.filter(petition__registered_on__gte=since, petition__registered_on__lte=_day(now))
            .filter(~Q(id_hash="") | ~Q(phone_hash=""))
            .values_list("id_hash", "phone_hash", "petition_id", "name"))
    groups: dict[str, set[int]] = defaultdict(set)
    names: dict[str, str] = {}
    for id_hash, phone_hash, pid, name in rows:
        key = f"i{id_hash}" if id_hash else f"p{phone_hash}"
        groups[key].add(pid)
        names[key] = name
    wanted = {k: v for k, v in groups.items() if len(v) >= n}
    if not wanted:
        return
    petitions = Petition.objects.in_bulk({pk for v in wanted.values() for pk in v})
    for key, pks in wanted.items():
        items = sorted((petitions[pk] for pk in pks if pk in petitions), key=lambda p: (p.registered_on, p.pk))
        latest = items[-1]
        latest_jur = latest.jurisdiction
        shown = "、".join(p.number for p in items[:5]) + (f" 等 {len(items)} 件" if len(items) > 5 else "")
        surname = (names[key] or "")[:1]
        yield AlertSpec(rule=REPEAT_VISITS, jurisdiction=latest_jur, source=latest,
                        key=f"{REPEAT_VISITS}:{key[:20]}:{latest.pk}",
                        title=f"重复来访：{surname}某 {days} 天内 {len(items)} 次",
                        reason=f"信访人{surname}某在 {days} 天内登记信访 {len(items)} 次（预警次数 {n} 次）：{shown}。")


def scan_assigned_overdue(params: dict, now: dt.datetime) -> Iterable[AlertSpec]:
    today = _day(now)
    qs = (Petition.objects.exclude(state__in=c.FINISHED_STATES + (c.PetitionState.REJECTED, c.PetitionState.FORWARDED))
          .filter(assigned_list__isnull=False, assigned_list__reported_on__isnull=True)
          .filter(Q(assigned_list__deadline__lt=today) | Q(handling_due_on__lt=today))
          .select_related("assigned_list", "jurisdiction"))
    for p in qs:
        due = min(d for d in (p.assigned_list.deadline, p.handling_due_on) if d)
        late = (today - due).days
        yield AlertSpec(rule=ASSIGNED_OVERDUE, jurisdiction=p.jurisdiction, source=p,
                        key=f"{ASSIGNED_OVERDUE}:{p.pk}:{due}",
                        title=f"交办事项逾期：{p.number}",
                        reason=f"《{p.assigned_list.title}》（{p.assigned_list.assigning_body}交办）中的 {p.number} 办理期限 "
                               f"{due:%Y-%m-%d}，至 {today:%Y-%m-%d} 已逾期 {late} 天，尚{p.get_state_display()}。")


register_rule(Rule(key=SENSITIVE, label="敏感时期信访", module="petitions", level="orange",
                   description="在设定的敏感时期内登记、尚未办结的信访事项预警；区综治中心在规则设置中修改开始、结束日期。",
                   params={"start": (NO_PERIOD, "敏感时期开始日期"), "end": (NO_PERIOD, "敏感时期结束日期")},
                   scan=scan_sensitive, source_url=_source_url))
register_rule(Rule(key=GROUP, label="集体访", module="petitions", level="orange",
                   description="人数达到 N 人的信访事项（集体访）尚未办结时预警。",
                   params={"people": (5, "人数")}, scan=scan_group, source_url=_source_url))
register_rule(Rule(key=HEADING_UP, label="赴省进京倾向", module="petitions", level="red",
                   description="经办人标记信访人有赴省进京倾向、尚未办结的信访事项预警。",
                   scan=scan_heading_up, source_url=_source_url))
register_rule(Rule(key=REPEAT_VISITS, label="同一信访人短期内多次信访", module="petitions", level="yellow",
                   description="同一信访人（按公民身份号码或电话）在 M 天内登记信访达到 N 次时预警。",
                   params={"count": (3, "次数"), "days": (30, "天数")}, scan=scan_repeat_visits,
                   source_url=_source_url))
register_rule(Rule(key=ASSIGNED_OVERDUE, label="交办事项逾期", module="petitions", level="orange",
                   description="交办清单中的事项超过清单办理期限或本件办结期限仍未办结（清单未报告前）时预警。",
                   scan=scan_assigned_overdue, source_url=_source_url))
