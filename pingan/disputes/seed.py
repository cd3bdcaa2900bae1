"""Demo disputes for 郊区: the mediation organisations and mediators, the district's 2016 and 2017 disputes
(2017 exactly as the seed report says: 59 screened, 53 调处成功, 调处率 89.8%), the last twelve months at the
same pace, parties (some of them people of the register), sessions, grades, approved subsidy sheets for
2017 and the past months, two 例会 a month over the last twelve months, and the warnings of the rules.

The counts do not depend on the scale (`small`, `district`, `province` alike), so `manage.py stats` for 2017
gives 59 and 53 on every demo; the recent disputes never fall in 2016 or 2017. Deterministic per --seed
(apart from the dates of the last twelve months, which follow today), idempotent (nothing is added once the
district has disputes), fast (the case layer's bulk registration: one 演示数据 log row per dispute).
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from pingan.accounts.models import Department, User
from pingan.cases import engine
from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.geo.seed import PlacePoints
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import choices as c
from .models import Dispute, DisputeParty, MediationOrg, MediationSession, Mediator

logger = logging.getLogger("pingan.disputes")
S = c.DisputeState

# (year, screened, resolved, mediating, failed, transferred): 2017 is the seed report's.
YEARS = [(2016, 64, 56, 0, 5, 3), (2017, 59, 53, 1, 3, 2)]
RECENT_PER_MONTH = 6
CATEGORY_SHARES = [
    ("0101", 10), ("0102", 6), ("0103", 5), ("0201", 12), ("0202", 9), ("0203", 4), ("0902", 12), ("0901", 6),
    ("06", 6), ("0507", 5), ("0503", 5), ("0502", 2), ("1102", 5), ("07", 5), ("0402", 3), ("0903", 3), ("99", 2),
]
TITLES = {
    "0101": ("婚姻纠纷", "夫妻双方因感情不和、财产分割发生争执"),
    "0102": ("赡养纠纷", "子女就老人赡养费用分担意见不一"),
    "0103": ("继承纠纷", "兄弟姐妹因父母遗留房屋继承发生争议"),
    "0201": ("排水通行纠纷", "邻居因院墙排水、通道占用多次争吵"),
    "0202": ("相邻建房纠纷", "新建房屋影响邻居采光，双方发生争执"),
    "0203": ("噪声污染纠纷", "养殖户噪声、气味影响邻居生活"),
    "0902": ("宅基地纠纷", "两户因宅基地界址不清长期争执"),
    "0901": ("土地承包纠纷", "承包地边界及流转费用发生争议"),
    "06": ("买卖合同纠纷", "货款结算不清，双方各执一词"),
    "0507": ("劳务损害纠纷", "雇工干活时受伤，就医疗费赔偿发生争议"),
    "0503": ("交通事故纠纷", "车辆剐蹭致人受伤，赔偿数额未达成一致"),
    "0502": ("医疗纠纷", "患者家属对诊疗结果有异议，要求赔偿"),
    "1102": ("征地补偿纠纷", "村民对集体土地征收补偿款分配有异议"),
    "07": ("欠薪纠纷", "务工人员被拖欠工资，多次讨要未果"),
    "0402": ("物业纠纷", "业主与物业公司因物业费、维修问题发生争执"),
    "0903": ("采矿影响纠纷", "矿区采空影响村民房屋，要求补偿"),
    "99": ("其他纠纷", "因琐事引发口角，双方情绪激动"),
}
INDUSTRY = {"0502": "郊区医疗纠纷人民调解委员会", "0503": "郊区道路交通事故纠纷人民调解委员会"}
SOURCE_SHARES = [(c.Source.GRID, 40), (c.Source.APPLICATION, 22), (c.Source.VISIT, 10), (c.Source.OWN_INITIATIVE, 6),
                 (c.Source.POLICE, 9), (c.Source.COURT, 6), (c.Source.PETITION, 4), (c.Source.HALL, 3)]
REFERRERS = {c.Source.POLICE: "派出所", c.Source.COURT: "区人民法院", c.Source.PETITION: "区信访局"}
GRADE_SHARES = [(c.Grade.SIMPLE, 60), (c.Grade.GENERAL, 30), (c.Grade.MAJOR, 10)]


def _pick(rng, shares):
    total = sum(w for _, w in shares)
    x = rng.uniform(0, total)
    for value, weight in shares:
        x -= weight
        if x <= 0:
            return value
    return shares[-1][0]


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _short(name: str) -> str:
    for suffix in ("居委会", "委会", "村民委员会"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _township_short(name: str) -> str:
    for suffix in ("镇", "乡", "街道", "区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


# ------------------------------------------------------------------------------------------------ registers
def _registers(ctx: SeedContext, rng, county: Node, townships: list[Node], villages: list[Node]):
    """Organisations (a committee per village and per township, two industry committees, the centre's room)
    and mediators (the village committee's chair, two or three at the township committee, one of them the
    township's demo mediator account; two at each county-level committee)."""
    if MediationOrg.objects.filter(jurisdiction__path__startswith=county.path).exists():
        orgs = list(MediationOrg.objects.filter(jurisdiction__path__startswith=county.path)
                    .select_related("jurisdiction"))
        mediators = list(Mediator.objects.filter(jurisdiction__path__startswith=county.path).select_related("org"))
        return orgs, mediators
    justice = Department.objects.filter(jurisdiction=county, name="区司法局").first()
    orgs = [MediationOrg(jurisdiction=t, name=f"{_township_short(t.name)}人民调解委员会", kind=c.OrgKind.TOWNSHIP,
                         department=Department.objects.filter(jurisdiction=t, name__endswith="司法所").first(),
                         address=f"{t.name}司法所", phone=ctx.phone(rng)) for t in townships]
    orgs += [MediationOrg(jurisdiction=v, name=f"{_short(v.name)}人民调解委员会", kind=c.OrgKind.VILLAGE,
                          address=f"{_short(v.name)}村委会") for v in villages]
    orgs += [MediationOrg(jurisdiction=county, name=name, kind=c.OrgKind.INDUSTRY, address="郊区公共法律服务中心")
             for name in INDUSTRY.values()]
    orgs.append(MediationOrg(jurisdiction=county, name="郊区综治中心矛盾纠纷调处室", kind=c.OrgKind.CENTRE,
                             department=justice, address="郊区综治中心二楼"))
    MediationOrg.objects.bulk_create(orgs)
    orgs = list(MediationOrg.objects.filter(jurisdiction__path__startswith=county.path).select_related("jurisdiction"))
    accounts = {u.scope_id: u for u in User.objects.filter(role="mediator", scope__in=townships).order_by("pk")}
    linked = set(Mediator.objects.exclude(user=None).values_list("user_id", flat=True))
    mediators = []
    for org in orgs:
        count = {c.OrgKind.VILLAGE: 1, c.OrgKind.TOWNSHIP: rng.choice([2, 3])}.get(org.kind, 2)
        for i in range(count):
            user = None
            name = ctx.name(rng)
            if org.kind == c.OrgKind.TOWNSHIP and i == 0:
                user = accounts.get(org.jurisdiction_id)
                if user is not None and user.pk not in linked:
                    name = user.full_name or name
                else:
                    user = None
            mediators.append(Mediator(
                jurisdiction=org.jurisdiction, org=org, name=name, user=user, sex=rng.choice(["1", "2"]),
                kind=(c.MediatorKind.FULL_TIME if org.kind in (c.OrgKind.TOWNSHIP, c.OrgKind.CENTRE)
                      else c.MediatorKind.PART_TIME),
                phone=ctx.phone(rng),
                specialty=rng.choice(["婚姻家庭", "邻里纠纷", "土地宅基地", "劳动争议", "交通事故", "医疗纠纷"]),
                training=f"{rng.choice([2015, 2016, 2017])}年参加区司法局人民调解员业务培训（{rng.choice([2, 3, 5])}天），考核合格",
                certified_on=dt.date(rng.choice([2012, 2013, 2014, 2015, 2016]), rng.randint(1, 12), 1)))
    Mediator.objects.bulk_create(mediators)
    mediators = list(Mediator.objects.filter(jurisdiction__path__startswith=county.path).select_related("org"))
    return orgs, mediators


# ------------------------------------------------------------------------------------------------ disputes
class _Maker:
    def __init__(self, ctx, rng, county, villages, orgs, mediators, persons_by_village, depts, officers, today):
        self.ctx, self.rng, self.county, self.villages, self.today = ctx, rng, county, villages, today
        self.village_org = {o.jurisdiction_id: o for o in orgs if o.kind == c.OrgKind.VILLAGE}
        self.township_org = {o.jurisdiction_id: o for o in orgs if o.kind == c.OrgKind.TOWNSHIP}
        self.by_name = {o.name: o for o in orgs}
        self.org_mediators: dict[int, list[Mediator]] = {}
        for m in mediators:
            self.org_mediators.setdefault(m.org_id, []).append(m)
        self.persons_by_village = persons_by_village
        self.depts = depts
        self.officers = officers
        self.parties: list[tuple[Dispute, list[DisputeParty]]] = []
        self.sessions: list[tuple[Dispute, list[MediationSession]]] = []
        self.points, self.made = PlacePoints(ctx.seed), 0  # where on the map: inside its village

    def make(self, registered: dt.date, outcome: str, *, mediator_pref: Mediator | None = None) -> Dispute:
        rng, ctx = self.rng, self.ctx
        village = rng.choice(self.villages)
        township = village.parent
        category = _pick(rng, CATEGORY_SHARES)
        title, summary = TITLES[category]
        scale = _pick(rng, [(c.Scale.INDIVIDUAL, 86), (c.Scale.GROUP, 11), (c.Scale.MAJOR_GROUP, 3)])
        people = {c.Scale.INDIVIDUAL: rng.randint(2, 4), c.Scale.GROUP: rng.randint(6, 30),
                  c.Scale.MAJOR_GROUP: rng.randint(35, 80)}[scale]
        source = _pick(rng, SOURCE_SHARES)
        if category in INDUSTRY and rng.random() < 0.7:
            source = c.Source.INDUSTRY if category == "0502" else c.Source.POLICE
        d = Dispute(jurisdiction=village, title=f"{_short(village.name)}{title}",
                    occurred_on=registered - dt.timedelta(days=rng.randint(0, 10)),
                    registered_on=registered, location=f"{_short(village.name)}{rng.randint(1, 12)}组",
                    scale=scale, category=category, people_count=people,
                    summary=f"{summary}。{'涉及村民较多，情绪激动。' if scale != c.Scale.INDIVIDUAL else ''}",
                    source=source, state=S.REGISTERED, reported_by=self.officers.get(township.pk))
        self.made += 1
        d.latitude, d.longitude = self.points.point(village, self.made)  # where on the map: inside its village
        if source in REFERRERS:
            name = REFERRERS[source]
            dept = self.depts.get(f"{_township_short(township.name)}{name}") if name == "派出所" else self.depts.get(name)
            d.referrer_department = dept
            d.referrer_name = dept.name if dept else name
            word = {c.Source.POLICE: "公调", c.Source.COURT: "诉调", c.Source.PETITION: "访调"}[source]
            d.referrer_number = f"郊{word}〔{registered.year}〕{rng.randint(1, 300)}号"
            d.referred_on = registered
        elif source == c.Source.INDUSTRY:
            d.referrer_name = "区卫生健康局"
        # Where it is mediated.
        if category in INDUSTRY and source in (c.Source.INDUSTRY, c.Source.POLICE):
            org = self.by_name[INDUSTRY[category]]
            d.resolution_method = c.ResolutionMethod.INDUSTRY_MEDIATION
        elif scale != c.Scale.INDIVIDUAL or rng.random() < 0.3:
            org = self.township_org[township.pk]
        else:
            org = self.village_org[village.pk]
        if mediator_pref is not None and mediator_pref.org.jurisdiction_id == township.pk:
            org = mediator_pref.org
        team = self.org_mediators.get(org.pk, [])
        if mediator_pref is not None and mediator_pref.org_id == org.pk:
            mediator = mediator_pref
        else:
            mediator = rng.choice(team) if team else None
        started = registered + dt.timedelta(days=rng.randint(0, 2))
        closed = min(registered + dt.timedelta(days=rng.randint(3, 28)), self.today)
        if outcome != S.REGISTERED:
            d.mediation_org, d.mediator = org, mediator
            d.state = S.MEDIATING
            d.state_changed_at = _at(started)
        if outcome in (S.SETTLED, S.ARCHIVED):
            d.state = outcome
            d.agreement_form = c.AgreementForm.WRITTEN if rng.random() < 0.8 else c.AgreementForm.ORAL
            d.facts = summary
            d.agreement_terms = rng.choice(["双方同意按现状划定界址，互不侵占", "一方一次性赔偿对方医疗费等各项损失",
                                            "子女按月轮流承担赡养费用", "双方互相谅解，今后和睦相处",
                                            "欠款分两期付清，第一期于协议签订后十日内支付"])
            d.performance = "协议签订后三十日内履行完毕"
            d.agreement_on = d.closed_on = closed
            d.followup_due_on = closed + dt.timedelta(days=15)
            d.state_changed_at = _at(closed)
            if outcome == S.ARCHIVED:
                d.followup_on = min(closed + dt.timedelta(days=rng.randint(7, 15)), self.today)
                d.followup_result = c.FollowupResult.PERFORMED
                d.followup_note = "回访双方，协议已履行，无反复。"
                d.state_changed_at = _at(d.followup_on)
                d.closed_at = _at(d.followup_on)
            if mediator is not None:
                shares = GRADE_SHARES if scale == c.Scale.INDIVIDUAL else [(c.Grade.GENERAL, 50), (c.Grade.MAJOR, 50)]
                d.grade = _pick(rng, shares)
                d.graded_on = min(closed + dt.timedelta(days=rng.randint(0, 3)), self.today)
                d.graded_by = self.officers.get(township.pk)
                d.evaluation = "调解过程规范，协议内容明确，卷宗齐全。"
        elif outcome == S.FAILED:
            d.state, d.closed_on = S.FAILED, closed
            d.failure_reason = "一方当事人拒绝继续调解"
            d.other_routes = "诉讼"
            d.state_changed_at = d.closed_at = _at(closed)
        elif outcome == S.TRANSFERRED:
            d.state, d.closed_on = S.TRANSFERRED, closed
            dept = self.depts.get("区人民法院") if rng.random() < 0.5 else self.depts.get("区信访局")
            d.transferred_to = dept
            d.transferred_to_name = dept.name if dept else "区人民法院"
            d.outcome_note = "涉及法律适用争议，经当事人同意移交处理。"
            d.state_changed_at = d.closed_at = _at(closed)
        if d.state in (S.SETTLED, S.ARCHIVED, S.FAILED, S.TRANSFERRED) and d.referrer_name:
            d.reported_back_on = min(closed + dt.timedelta(days=rng.randint(1, 5)), self.today)
            d.report_back_note = f"已将调处结果（{d.get_state_display()}）书面反馈移送单位。"
        if outcome == S.REGISTERED:
            d.state_changed_at = _at(registered)
        self._parties(d, village)
        if outcome not in (S.REGISTERED,) and mediator is not None:
            self.sessions.append((d, [MediationSession(
                held_on=min(started + dt.timedelta(days=k * 3), closed), place=f"{org.name}调解室", mediator=mediator,
                attendees="双方当事人、调解员", record=rng.choice(["听取双方陈述，释明相关法律规定。", "分别做双方工作，提出调解方案。",
                                                         "双方就赔偿数额基本达成一致。"])) for k in range(rng.randint(1, 2))]))
        return d

    def _parties(self, d: Dispute, village: Node) -> None:
        rng = self.rng
        people = self.persons_by_village.get(village.pk, [])
        parties = []
        for side in (c.PartySide.APPLICANT, c.PartySide.RESPONDENT):
            if people and rng.random() < 0.35:
                person = rng.choice(people)
                parties.append(DisputeParty(side=side, name=person.name, person=person, sex=person.sex or ""))
            else:
                parties.append(DisputeParty(side=side, name=self.ctx.name(rng), sex=rng.choice(["1", "2"])))
        if d.scale != c.Scale.INDIVIDUAL:
            parties[0].representative = parties[0].name
            parties[0].name = f"{_short(village.name)}村民（{d.people_count - 1}人）代表{parties[0].name}"[:100]
            parties[0].person = None
        self.parties.append((d, parties))


def _year_plan(rng, year: int, screened: int, resolved: int, mediating: int, failed: int, transferred: int):
    length = 365 if year % 4 else 366
    days = sorted(dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, length)) for _ in range(screened))
    outcomes = ([S.ARCHIVED] * (resolved - 3) + [S.SETTLED] * 3 + [S.MEDIATING] * mediating + [S.FAILED] * failed
                + [S.TRANSFERRED] * transferred)
    rng.shuffle(outcomes)
    return list(zip(days, outcomes))


def _recent_plan(rng, today: dt.date):
    plan = []
    for month_back in range(12):
        for _ in range(RECENT_PER_MONTH):
            registered = today - dt.timedelta(days=month_back * 30 + rng.randrange(1, 30))
            age = (today - registered).days
            if age > 60:
                outcome = _pick(rng, [(S.ARCHIVED, 84), (S.FAILED, 8), (S.TRANSFERRED, 6), (S.MEDIATING, 2)])
            elif age > 25:
                outcome = _pick(rng, [(S.ARCHIVED, 40), (S.SETTLED, 30), (S.MEDIATING, 20), (S.FAILED, 5),
                                      (S.TRANSFERRED, 5)])
            else:
                outcome = _pick(rng, [(S.REGISTERED, 30), (S.MEDIATING, 45), (S.SETTLED, 25)])
            plan.append((registered, outcome))
    return sorted(plan)


@seeder("disputes", order=55)
def seed_disputes(ctx: SeedContext) -> None:
    county = Node.objects.filter(code="140311").first()
    if county is None:
        return
    rng = ctx.fork("disputes")
    townships = list(Node.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code"))
    villages = list(Node.objects.filter(path__startswith=county.path, level__in=[Level.VILLAGE, Level.COMMUNITY])
                    .select_related("parent").order_by("code"))
    if not townships or not villages:
        return
    orgs, mediators = _registers(ctx, rng, county, townships, villages)
    if ctx.structure_only or Dispute.objects.filter(jurisdiction__path__startswith=county.path).exists():
        ctx.log(f"  调解组织 {len(orgs)} 个，调解员 {len(mediators)} 人")
        return
    from pingan.people.models import Person

    today = timezone.localdate()
    persons_by_village: dict[int, list] = {}
    village_ids = {v.path: v.pk for v in villages}
    for person in Person.objects.filter(jurisdiction__path__startswith=county.path) \
            .select_related("jurisdiction").only("pk", "name", "sex", "jurisdiction__path").order_by("pk")[:3000]:
        parts = person.jurisdiction.path.split("/")
        village_path = "/".join(parts[:3]) + "/"
        if village_path in village_ids:
            persons_by_village.setdefault(village_ids[village_path], []).append(person)
    depts = {d.name: d for d in Department.objects.filter(jurisdiction__path__startswith=county.path)}
    officers = {u.scope_id: u for u in User.objects.filter(role="township_officer").order_by("pk")}
    maker = _Maker(ctx, rng, county, villages, orgs, mediators, persons_by_village, depts, officers, today)
    disputes: list[Dispute] = []
    for year, *counts in YEARS:
        for registered, outcome in _year_plan(rng, year, *counts):
            disputes.append(maker.make(registered, outcome))
    demo_mediators = [m for m in mediators if m.user_id]
    recent = _recent_plan(rng, today)
    for i, (registered, outcome) in enumerate(recent):
        pref = demo_mediators[i % len(demo_mediators)] if demo_mediators and i % 3 == 0 else None
        d = maker.make(registered, outcome, mediator_pref=pref)
        disputes.append(d)
    # A few recent disputes to show the warnings: a violence risk (one reported to the police), a repeat party.
    open_recent = [d for d in disputes[-len(recent):] if d.state in (S.REGISTERED, S.MEDIATING)]
    for k, d in enumerate(open_recent[:2]):
        d.violence_risk = True
        d.summary += "当事人扬言报复，有激化风险。"
        if k == 0:
            d.police_informed_on = d.registered_on
    with transaction.atomic():
        engine.case_register_bulk(actor=None, cases=disputes, action_label="演示数据", note="演示数据按台账写入当前状态",
                                  audit_action="dispute.seed_state", day_of=lambda d: d.registered_on)
        parties = []
        for d, items in maker.parties:
            for p in items:
                p.dispute = d
                parties.append(p)
        # The same person again within the month: the first two recent open disputes share a party.
        if len(open_recent) >= 3 and open_recent[2].jurisdiction_id:
            shared = next((p for d, items in maker.parties if d is open_recent[0] for p in items if p.person_id), None)
            if shared is not None:
                parties.append(DisputeParty(dispute=open_recent[2], side=c.PartySide.OTHER, name=shared.name,
                                            person=shared.person, sex=shared.sex))
        DisputeParty.objects.bulk_create(parties, batch_size=2000)
        sessions = []
        for d, items in maker.sessions:
            for s in items:
                s.dispute = d
                sessions.append(s)
        MediationSession.objects.bulk_create(sessions, batch_size=2000)
    sheets = _subsidy_sheets(townships, officers, today)
    meetings = _meetings(rng, county, today)
    alerts = _warnings()
    by_year = {year: sum(1 for d in disputes if d.registered_on.year == year) for year, *_ in YEARS}
    resolved = {year: sum(1 for d in disputes if d.registered_on.year == year and d.state in c.RESOLVED_STATES)
                for year, *_ in YEARS}
    ctx.log(f"  矛盾纠纷 {len(disputes)} 件（2016 年 {by_year[2016]} 件、调处成功 {resolved[2016]}；2017 年 {by_year[2017]} 件、"
            f"调处成功 {resolved[2017]}），调解组织 {len(orgs)} 个，调解员 {len(mediators)} 人，补贴发放表 {sheets} 张，"
            f"例会 {meetings} 次，预警 {alerts} 条")


def _subsidy_sheets(townships: list[Node], officers: dict, today: dt.date) -> int:
    """Approved sheets per township and month for 2017 and for the past months up to two months ago (the
    township officer prepares, the centre approves); last month's sheets stay drafts."""
    from .subsidy import eligible_disputes, next_month, sheet_approve, sheet_build

    approver = User.objects.filter(role="center_staff", scope__level=Level.COUNTY).order_by("pk").first()
    if approver is None:
        return 0
    months = []
    month = dt.date(2017, 1, 1)
    while month < dt.date(2018, 1, 1):
        months.append(month)
        month = next_month(month)
    month = (today.replace(day=1) - dt.timedelta(days=370)).replace(day=1)
    while month < today.replace(day=1):
        months.append(month)
        month = next_month(month)
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    made = 0
    for month in months:
        for township in townships:
            preparer = officers.get(township.pk)
            if preparer is None or not eligible_disputes(township, month).exists():
                continue
            sheet = sheet_build(actor=preparer, node=township, month=month)
            made += 1
            if month < last:
                sheet_approve(actor=approver, sheet=sheet)
    return made


def _meetings(rng, county: Node, today: dt.date) -> int:
    """Two 例会 a month over the last twelve months at the district centre: the month's disputes of a group
    scale or still open discussed, decisions, one or two follow-ups (the recent ones partly not done)."""
    from .meetings import meeting_create

    chair = User.objects.filter(role="district_admin", scope=county).order_by("pk").first()
    recorder = User.objects.filter(role="center_staff", scope=county).order_by("pk").first() or chair
    if recorder is None:
        return 0
    made = 0
    for month_back in range(12, 0, -1):
        for day in (8, 23):
            held = today - dt.timedelta(days=(month_back - 1) * 30 + (30 - day))
            if held > today:
                continue
            window = Dispute.objects.filter(jurisdiction__path__startswith=county.path,
                                            registered_on__gte=held - dt.timedelta(days=20), registered_on__lte=held)
            picked = list(window.order_by("-scale", "-people_count", "pk")[:rng.randint(2, 4)])
            kind = c.MeetingKind.REGULAR if day == 8 else c.MeetingKind.ANALYSIS
            follow = []
            for d in picked[:2]:
                due = held + dt.timedelta(days=rng.choice([7, 10, 15]))
                finished = due < today - dt.timedelta(days=5) and rng.random() < 0.9
                done = due - dt.timedelta(days=rng.randint(0, 3)) if finished else None
                follow.append({"task": f"{d.number}：{rng.choice(['属地乡镇牵头，三日内再次组织调解', '司法所跟进协议履行情况', '派出所做好稳控工作'])}",
                               "responsible": f"{d.jurisdiction.parent.name if d.jurisdiction.parent_id else ''}综治办",
                               "due_on": due, "done_on": done, "result": "已落实" if done else ""})
            meeting_create(actor=recorder, data={
                "jurisdiction": county, "kind": kind, "held_on": held, "place": "区综治中心会议室",
                "chair": chair.full_name if chair else "", "attendees": "区综治中心、区司法局、区公安分局、区信访局及各乡镇综治办负责人",
                "decisions": f"研判本期矛盾纠纷 {len(picked)} 件，明确责任单位和办结时限；群体性纠纷由属地乡镇主要负责人包案。"},
                disputes=picked, follow_ups=follow)
            made += 1
    return made


def _warnings() -> int:
    """The disputes module's warnings for what the seed made (the bulk path sends no case events)."""
    try:
        from pingan.alerts.services import run_scan

        from .alerts import RULES
    except Exception:  # the alerts app is not installed
        return 0
    totals = run_scan(keys=list(RULES))
    return sum(t.get("raised", 0) for t in totals.values())


