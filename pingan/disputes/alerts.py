"""Early-warning rules of the disputes module (found by pingan.alerts' autodiscovery of `<app>.alerts`).

Six rules, each a warning about one dispute (its source) that puts it on the next 研判 meeting's agenda,
and one about a village:

    disputes.repeat_party   the same party (same ID number's hash or the same people-register person) in another
                            dispute registered within N days before it (N=30)
    disputes.repeat_place   its village has at least N disputes registered within M days up to its own (N=3, M=30)
    disputes.mass           事件规模 一般群体性 (orange) or 重大群体性 (red)
    disputes.many_people    涉及人数 ≥ N (N=10)
    disputes.violence       激化风险 flagged: 人民调解法第二十五条 asks the committee to report to the police; red until
                            the police are informed, then orange (the key carries which, so informing them closes
                            the red warning and raises the orange one)
    disputes.overdue        open and past its due moment (the case layer's `overdue_q`); the key carries the due
                            moment, so an extension closes it and a new lapse raises a new one
    disputes.anomaly        a village's disputes of one 大类 registered in the last complete month are anomalously
                            many against its own previous 12 months (one-sided Poisson test, pingan.alerts.anomaly:
                            p < 0.001, at least 3, at least 6 months of history); no single source, the village is
                            the place; the key carries the month, so the next month's scan closes it

How they fire. Every rule is a scan (`scan_alerts`, on the periodic schedule and after a seed or an import),
because the case layer's bulk path (ledger imports, seeds) sends no `case_event`, and because the parties a
repeat is detected by are added after the registration. For speed the same rules run at once for one
dispute from a receiver of `cases.signals.case_event` (sent on commit after a registration or a step):
the warning is on the agenda the moment the dispute is saved, and the dispute's warnings whose cause is
gone (it was resolved, the police were informed, the deadline was extended) are closed (原因已消除).

Only disputes in progress (排查登记, 调处中) are warned about, except `overdue`, which follows the case layer's
open states (a settled dispute's 回访 can be overdue too). A dispute leaving them closes its warnings.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any, Iterable

from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from pingan.alerts import anomaly
from pingan.alerts.registry import AlertSpec, Rule, register_rule, rule_params
from pingan.cases.signals import case_event

from . import choices as c
from .models import Dispute, DisputeParty

logger = logging.getLogger("pingan.disputes")

REPEAT_PARTY = "disputes.repeat_party"
REPEAT_PLACE = "disputes.repeat_place"
MASS = "disputes.mass"
MANY_PEOPLE = "disputes.many_people"
VIOLENCE = "disputes.violence"
OVERDUE = "disputes.overdue"
ANOMALY = "disputes.anomaly"
RULES = (REPEAT_PARTY, REPEAT_PLACE, MASS, MANY_PEOPLE, VIOLENCE, OVERDUE)
SHOWN = 5  # other disputes' numbers named in a reason


def _source_url(dispute: Dispute) -> str:
    try:
        return reverse("disputes:detail", args=[dispute.pk])
    except NoReverseMatch:  # part A's pages not routed yet
        return ""


def _in_progress(pks: Iterable[int] | None = None):
    qs = Dispute.objects.filter(state__in=c.IN_PROGRESS_STATES)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.select_related("jurisdiction")


def _numbers(numbers: list[str]) -> str:
    shown = "、".join(numbers[:SHOWN])
    return shown + (f" 等 {len(numbers)} 件" if len(numbers) > SHOWN else "")


def village_path(path: str) -> str:
    """The path of the village (12-digit code) a place lies in; the place's own path above village level."""
    parts = [p for p in path.split("/") if p]
    for i, code in enumerate(parts):
        if len(code) == 12:
            return "/".join(parts[: i + 1]) + "/"
    return path


# ------------------------------------------------------------------------------------------------ scans
def scan_repeat_party(params: dict, now: dt.datetime, pks: Iterable[int] | None = None):
    days = int(params.get("days", 30))
    disputes = {d.pk: d for d in _in_progress(pks)}
    if not disputes:
        return
    mine = DisputeParty.objects.filter(dispute_id__in=list(disputes)).filter(
        Q(id_hash__gt="") | Q(person__isnull=False)).values_list("dispute_id", "name", "id_hash", "person_id")
    mine = list(mine)
    hashes = {h for _d, _n, h, _p in mine if h}
    persons = {p for _d, _n, _h, p in mine if p}
    if not hashes and not persons:
        return
    others = DisputeParty.objects.filter(Q(id_hash__in=hashes) | Q(person_id__in=persons)) \
        .values_list("dispute_id", "dispute__number", "dispute__registered_on", "id_hash", "person_id")
    by_hash: dict[str, list] = defaultdict(list)
    by_person: dict[int, list] = defaultdict(list)
    for row in others:
        if row[3]:
            by_hash[row[3]].append(row)
        if row[4]:
            by_person[row[4]].append(row)
    found: dict[int, dict[str, list[str]]] = defaultdict(dict)
    for dispute_id, name, id_hash, person_id in mine:
        dispute = disputes[dispute_id]
        start = dispute.registered_on - dt.timedelta(days=days)
        rows = (by_hash.get(id_hash, []) if id_hash else []) + (by_person.get(person_id, []) if person_id else [])
        hits = sorted({(reg, number) for other, number, reg, _h, _p in rows
                       if other != dispute_id and start <= reg <= dispute.registered_on})
        if hits:
            found[dispute_id].setdefault(name, [])
            found[dispute_id][name] = sorted(set(found[dispute_id][name]) | {n for _r, n in hits})
    for dispute_id, names in sorted(found.items()):
        dispute = disputes[dispute_id]
        parts = [f"当事人{name}在 {_numbers(numbers)} 中也是当事人" for name, numbers in names.items()]
        yield AlertSpec(
            rule=REPEAT_PARTY, jurisdiction=dispute.jurisdiction, source=dispute, key=f"{REPEAT_PARTY}:{dispute.pk}",
            title=f"{dispute.number} 当事人 {days} 天内再次发生纠纷",
            reason=(f"{dispute.number}（登记于 {dispute.registered_on:%Y-%m-%d}）：" + "；".join(parts)
                    + f"，均在其登记前 {days} 天内登记（同一公民身份号码或同一实有人口）。"))


def scan_repeat_place(params: dict, now: dt.datetime, pks: Iterable[int] | None = None):
    threshold, days = int(params.get("count", 3)), int(params.get("days", 30))
    disputes = list(_in_progress(pks))
    if not disputes or threshold < 1:
        return
    villages = {village_path(d.jurisdiction.path) for d in disputes}
    earliest = min(d.registered_on for d in disputes) - dt.timedelta(days=days)
    latest = max(d.registered_on for d in disputes)
    q = Q()
    for path in villages:
        q |= Q(jurisdiction__path__startswith=path)
    rows = Dispute.objects.filter(q, registered_on__gte=earliest, registered_on__lte=latest) \
        .values_list("pk", "number", "registered_on", "jurisdiction__path")
    by_village: dict[str, list] = defaultdict(list)
    for pk, number, registered, path in rows:
        by_village[village_path(path)].append((registered, pk, number))
    for dispute in sorted(disputes, key=lambda d: d.pk):
        start = dispute.registered_on - dt.timedelta(days=days - 1)
        window = sorted(r for r in by_village[village_path(dispute.jurisdiction.path)]
                        if start <= r[0] <= dispute.registered_on)
        if len(window) < threshold:
            continue
        others = [number for _r, pk, number in window if pk != dispute.pk]
        place = dispute.jurisdiction.name
        yield AlertSpec(
            rule=REPEAT_PLACE, jurisdiction=dispute.jurisdiction, source=dispute, key=f"{REPEAT_PLACE}:{dispute.pk}",
            title=f"{place} {days} 天内发生 {len(window)} 件纠纷",
            reason=(f"{place}在 {start:%Y-%m-%d} 至 {dispute.registered_on:%Y-%m-%d} 的 {days} 天内登记纠纷 "
                    f"{len(window)} 件（达到 {threshold} 件即预警）：本件 {dispute.number}，另有 {_numbers(others)}。"))


def scan_mass(params: dict, now: dt.datetime, pks: Iterable[int] | None = None):
    for dispute in _in_progress(pks).filter(scale__in=c.MASS_SCALES).order_by("pk"):
        major = dispute.scale == c.Scale.MAJOR_GROUP
        yield AlertSpec(
            rule=MASS, jurisdiction=dispute.jurisdiction, source=dispute, key=f"{MASS}:{dispute.pk}",
            level="red" if major else "orange",
            title=f"{dispute.number} {dispute.get_scale_display()}",
            reason=(f"{dispute.number}事件规模为“{dispute.get_scale_display()}”，涉及 {dispute.people_count} 人，"
                    f"群体性纠纷须列入研判。"))


def scan_many_people(params: dict, now: dt.datetime, pks: Iterable[int] | None = None):
    threshold = int(params.get("people", 10))
    for dispute in _in_progress(pks).filter(people_count__gte=max(threshold, 1)).order_by("pk"):
        yield AlertSpec(
            rule=MANY_PEOPLE, jurisdiction=dispute.jurisdiction, source=dispute, key=f"{MANY_PEOPLE}:{dispute.pk}",
            title=f"{dispute.number} 涉及 {dispute.people_count} 人",
            reason=f"{dispute.number}涉及 {dispute.people_count} 人，达到 {threshold} 人的预警人数。")


def scan_violence(params: dict, now: dt.datetime, pks: Iterable[int] | None = None):
    for dispute in _in_progress(pks).filter(violence_risk=True).order_by("pk"):
        informed = dispute.police_informed_on
        told = (f"已于 {informed:%Y-%m-%d} 报告公安机关" if informed else "尚未报告公安机关，请及时报告")
        yield AlertSpec(
            rule=VIOLENCE, jurisdiction=dispute.jurisdiction, source=dispute,
            key=f"{VIOLENCE}:{dispute.pk}:{'informed' if informed else 'not_informed'}",
            level="orange" if informed else "red",
            title=f"{dispute.number} 有激化风险" + ("（已报告公安）" if informed else "（未报告公安）"),
            reason=(f"{dispute.number}标记为有激化风险。依照《人民调解法》第二十五条，对有可能激化的纠纷应当采取"
                    f"有针对性的预防措施，对有可能引起治安案件、刑事案件的纠纷应当及时向当地公安机关或者其他有关部门"
                    f"报告；本案{told}。"))


def scan_overdue(params: dict, now: dt.datetime, pks: Iterable[int] | None = None):
    qs = Dispute.objects.filter(Dispute.objects.overdue_q(now)).select_related("jurisdiction")
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    for dispute in qs.order_by("pk").iterator(chunk_size=2000):
        due = timezone.localtime(dispute.due_at)
        days = (timezone.localdate(now) - due.date()).days
        yield AlertSpec(
            rule=OVERDUE, jurisdiction=dispute.jurisdiction, source=dispute,
            key=f"{OVERDUE}:{dispute.pk}:{dispute.due_at.isoformat()}",
            title=f"{dispute.number} 已超期" + (f" {days} 天" if days > 0 else ""),
            reason=(f"{dispute.number}（{dispute.get_state_display()}）办理期限为 {due:%Y-%m-%d %H:%M}，"
                    f"至 {timezone.localtime(now):%Y-%m-%d %H:%M} 仍未办结" + (f"，已超期 {days} 天。" if days > 0 else "。")))


def anomaly_counts(first: dt.date, end: dt.date):
    """Disputes registered in [first, end) per (village, 大类, month): one aggregate query. A dispute at a grid
    counts for the grid's village; one registered above village level (a township's own) for none."""
    return (Dispute.objects.filter(registered_on__gte=first, registered_on__lt=end,
                                   jurisdiction__level__in=anomaly.VILLAGE_LEVELS)
            .order_by().annotate(place=anomaly.village_of_record(), group=Substr("category", 1, 2), month=TruncMonth("registered_on"))
            .values_list("place", "group", "month").annotate(n=Count("pk")))


def scan_anomaly(params: dict, now: dt.datetime):
    """The villages whose disputes of one 大类 in the last complete month are anomalously many against their own
    previous months (pingan.alerts.anomaly)."""
    return anomaly.village_scan(
        rule=ANOMALY, params=params, now=now, counts=anomaly_counts, subject="纠纷登记数", noun="纠纷",
        labels=lambda groups: {g: c.CATEGORY_LABELS.get(g, g) for g in groups})


SCANS = {REPEAT_PARTY: scan_repeat_party, REPEAT_PLACE: scan_repeat_place, MASS: scan_mass,
         MANY_PEOPLE: scan_many_people, VIOLENCE: scan_violence, OVERDUE: scan_overdue}

register_rule(Rule(
    key=REPEAT_PARTY, label="同一当事人再次发生纠纷", module="disputes", level="orange", scan=scan_repeat_party,
    description="同一当事人（同一公民身份号码或同一实有人口）在 N 天内又登记了另一件纠纷时预警。",
    params={"days": (30, "天数")}, source_url=_source_url))
register_rule(Rule(
    key=REPEAT_PLACE, label="同一村(社区)纠纷多发", module="disputes", level="yellow", scan=scan_repeat_place,
    description="同一村(社区)在 M 天内登记的纠纷达到 N 件时，对其中在办的纠纷预警。",
    params={"count": (3, "纠纷件数"), "days": (30, "天数")}, source_url=_source_url))
register_rule(Rule(
    key=MASS, label="群体性纠纷", module="disputes", level="orange", scan=scan_mass,
    description="事件规模为一般群体性事件（橙色）或重大群体性事件（红色）的在办纠纷。", source_url=_source_url))
register_rule(Rule(
    key=MANY_PEOPLE, label="涉及人数较多", module="disputes", level="yellow", scan=scan_many_people,
    description="涉及人数达到 N 人的在办纠纷。", params={"people": (10, "涉及人数")}, source_url=_source_url))
register_rule(Rule(
    key=VIOLENCE, label="纠纷有激化风险", module="disputes", level="red", scan=scan_violence,
    description="标记有激化风险的在办纠纷（人民调解法第二十五条）：未报告公安为红色，已报告为橙色。",
    source_url=_source_url))
register_rule(Rule(
    key=OVERDUE, label="纠纷调处超期", module="disputes", level="yellow", scan=scan_overdue,
    description="未办结且已过办理期限的纠纷；延期或办结后下一次扫描自动关闭。", source_url=_source_url))
register_rule(Rule(
    key=ANOMALY, label="村(社区)某类纠纷异常增多", module="disputes", level="orange", scan=scan_anomaly,
    description=("上一个完整月份里，某村(社区)某一大类纠纷的登记数与本村过去 N 个月的平均数相比异常偏多"
                 "（单侧泊松检验 p 小于检验水平，且至少若干件、历史至少若干个月）；次月扫描时自动关闭。"),
    params=dict(anomaly.PARAMS)))


# ------------------------------------------------------------------------------------------------ one dispute
def dispute_alerts_refresh(dispute: Dispute, *, now: dt.datetime | None = None, actor: Any = None) -> dict[str, int]:
    """Run the six rules for one dispute now: raise what is new (rules switched off at its place raise
    nothing) and close its waiting warnings of these rules that no longer hold (原因已消除)."""
    from pingan.alerts.models import ACTIVE, Alert
    from pingan.alerts.services import RESOLVED_NOTE, _close, alert_raise

    now = now or timezone.now()
    specs: dict[str, AlertSpec] = {}
    for key, scan in SCANS.items():
        params = rule_params(key, dispute.jurisdiction)
        if not params.enabled:
            continue
        for spec in scan(params, now, pks=[dispute.pk]) or ():
            specs[spec.key] = spec
    raised = 0
    for spec in specs.values():
        _alert, created = alert_raise(rule=spec.rule, jurisdiction=spec.jurisdiction, title=spec.title,
                                      reason=spec.reason, source=spec.source, level=spec.level, key=spec.key,
                                      actor=actor, at=now)
        raised += created
    stale = [a for a in Alert.objects.for_source(dispute).filter(rule__in=RULES, status__in=ACTIVE)
             if a.key not in specs]
    resolved = _close(stale, note=RESOLVED_NOTE, actor=actor, now=now) if stale else 0
    return {"raised": raised, "resolved": resolved}


def _on_case_event(sender: Any = None, *, case: Any = None, actor: Any = None, event: str = "", **kwargs: Any) -> None:
    """After a dispute is registered or takes a step (on commit): its warnings at once. Never lets a failure
    reach the request that saved the dispute (the next scan catches up)."""
    if not isinstance(case, Dispute) or event not in ("registered", "transition", "sent_back", "extension_decided"):
        return
    try:
        dispute_alerts_refresh(case, actor=actor)
    except Exception:  # a warning must never break the page that saved the dispute
        logger.exception("纠纷预警计算失败：%s", getattr(case, "number", case))


case_event.connect(_on_case_event, dispatch_uid="disputes.alerts")
