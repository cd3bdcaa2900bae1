"""Demo hazards of 郊区: 2016 (1,185 screened, 1,043 rectified, 88.0%), 2017 exactly as the seed report says
(1,369 screened, 1,270 rectified: 整治率 92.8%) and the last twelve months (1,250, the older ones mostly
rectified, the recent ones often still open, some overdue and 督办), realistic types and levels.

The counts do not depend on the scale (`small`, `district`, `province` alike), so `manage.py stats` for 2017
gives 1369 and 92.8% on every demo. Written through the case layer's bulk registration (numbers, due moments,
one 演示数据 log row and one audit entry per hazard); the 督办 of recent overdue ones through `engine.supervise`.
Deterministic per --seed (apart from the dates of the last twelve months, which follow today); idempotent."""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from pingan.accounts.models import Department, User
from pingan.core.calendar import add_working_days
from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.cases import engine
from pingan.geo.choices import Level
from pingan.geo.models import Node

from .choices import HazardStatus, HazardType, RiskLevel
from .models import Hazard

# (screened, rectified) per year: 2017 is the seed report's (累计排查 1369 件，整治率 92.8% = 1270 / 1369).
YEARS = {2016: (1185, 1043), 2017: (1369, 1270)}
RECENT = 1250  # screened in the last twelve months
TYPE_SHARES = [
    (HazardType.FIRE, 24), (HazardType.WORK_SAFETY, 14), (HazardType.DISPUTE, 14), (HazardType.PUBLIC_ORDER, 11),
    (HazardType.VILLAGE_MINE, 10), (HazardType.LAND_EXPROPRIATION, 8), (HazardType.OTHER, 7),
    (HazardType.HAZARDOUS_CHEMICALS, 6), (HazardType.EPIDEMIC, 3), (HazardType.MASS_FINANCE, 3),
]
LEVEL_SHARES = [(RiskLevel.HIGH, 10), (RiskLevel.MEDIUM, 34), (RiskLevel.LOW, 56)]
DESCRIPTIONS = {
    HazardType.FIRE: ["村民房前屋后堆放柴草，临近电线", "废品收购站易燃物堆放，消防通道堵塞", "出租房私拉电线给电动车充电",
                      "小作坊住人，无消防器材"],
    HazardType.WORK_SAFETY: ["小煤窑关闭后井口未封堵", "建筑工地脚手架无安全网", "采石场边坡有落石风险", "村道临崖路段无护栏"],
    HazardType.DISPUTE: ["两户因宅基地界址长期争执", "土地流转费用未按期支付，村民多次聚集", "邻里因排水问题多次冲突"],
    HazardType.PUBLIC_ORDER: ["村内空置房屋有外来人员聚集赌博", "夜间路灯损坏，多次发生盗窃", "网吧接纳未成年人"],
    HazardType.VILLAGE_MINE: ["矿区运煤车辆碾压村道，村民阻路", "采空区房屋开裂，村民要求搬迁补偿", "矿井排水污染灌溉用水"],
    HazardType.LAND_EXPROPRIATION: ["征地补偿款分配争议，部分村民拒绝签字", "拆迁安置房交付延期，群众情绪不稳"],
    HazardType.OTHER: ["河道采砂后留有深坑，夏季有溺水风险", "村内危房无人居住未拆除"],
    HazardType.HAZARDOUS_CHEMICALS: ["加油点违规存放桶装汽油", "液化气站储罐未定期检测"],
    HazardType.EPIDEMIC: ["养殖场粪污直排，周边蚊蝇滋生", "学校食堂卫生许可过期"],
    HazardType.MASS_FINANCE: ["有人在村内以高息吸收存款", "养老服务机构推销“保健品投资”"],
}
UNITS = {
    HazardType.FIRE: "区应急管理局", HazardType.WORK_SAFETY: "区应急管理局", HazardType.HAZARDOUS_CHEMICALS: "区应急管理局",
    HazardType.EPIDEMIC: "区卫生健康局", HazardType.VILLAGE_MINE: "区自然资源局", HazardType.LAND_EXPROPRIATION: "区自然资源局",
    HazardType.MASS_FINANCE: "区市场监督管理局",
}


def _pick(rng, shares):
    total = sum(w for _, w in shares)
    x = rng.uniform(0, total)
    for value, weight in shares:
        x -= weight
        if x <= 0:
            return value
    return shares[-1][0]


@seeder("hazards", order=50)
def seed_hazards(ctx: SeedContext) -> None:
    if ctx.structure_only:
        return
    county = Node.objects.filter(code="140311").first()
    if county is None or Hazard.objects.filter(jurisdiction__path__startswith=county.path).exists():
        return
    rng = ctx.fork("hazards")
    villages = list(Node.objects.filter(path__startswith=county.path, level__in=[Level.VILLAGE, Level.COMMUNITY])
                    .select_related("parent").order_by("code"))
    if not villages:
        return
    departments = {d.name: d for d in Department.objects.filter(jurisdiction__path__startswith=county.path)}
    officers = {u.scope_id: u for u in User.objects.filter(role="township_officer").order_by("pk")}
    center = User.objects.filter(role="center_staff").order_by("pk").first()
    today = timezone.localdate()
    maker = _Maker(ctx, rng, villages, departments, officers)
    hazards: list[Hazard] = []
    # 2016 and 2017: exactly the planned counts; each year's rectified ones were accepted within the year or
    # soon after, the rest is in the state it was in at the year's end (as the year's ledger shows it).
    for year, (screened_n, rectified_n) in YEARS.items():
        year_end = min(dt.date(year, 12, 31), today)
        length = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
        days = sorted(dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(length)) for _ in range(screened_n))
        # The last screened of the year are the likeliest still open: the open ones are drawn from the
        # year's later part.
        open_idx = set(rng.sample(range(screened_n // 2, screened_n), screened_n - rectified_n))
        for i, screened in enumerate(days):
            hazards.append(maker.make(screened, today=year_end, rectify=i not in open_idx))
    # The last twelve months (never in 2016 or 2017): the rectified share follows age.
    first_recent = max(today - dt.timedelta(days=365), dt.date(2018, 1, 1))
    span = (today - first_recent).days
    recent = 0
    if span > 3:
        for _ in range(RECENT):
            screened = today - dt.timedelta(days=rng.randrange(3, span + 1))
            age = (today - screened).days
            done_share = 0.985 if age > 60 else (0.80 if age > 20 else 0.35)
            hazards.append(maker.make(screened, today=today, rectify=rng.random() < done_share))
            recent += 1
    overdue = supervised = 0
    with transaction.atomic():
        # The case layer's bulk path: numbers by 排查日期, due moments, audit entries and 演示数据 log lines.
        engine.case_register_bulk(actor=None, cases=hazards, action_label="演示数据", note="演示数据按台账写入当前状态",
                                  audit_action="hazard.seed_state", day_of=lambda h: h.screened_on)
        for hazard in hazards[len(hazards) - recent:]:
            if not Hazard.objects.is_overdue(hazard):
                continue
            overdue += 1
            if center and rng.random() < 0.5 and hazard.state != HazardStatus.AWAITING_ACCEPTANCE:
                engine.supervise(actor=center, case=hazard, note="该隐患已超期，请责任单位加快整治并反馈进展。",
                                 due_on=add_working_days(today, 3))
                supervised += 1
    for year in YEARS:
        of_year = [h for h in hazards if h.screened_on.year == year]
        done = sum(1 for h in of_year if h.state == HazardStatus.RECTIFIED)
        ctx.log(f"  风险隐患 {year} 年 {len(of_year)} 条：已整治 {done}（{done / max(len(of_year), 1):.1%}）")
    last = hazards[len(hazards) - recent:]
    done = sum(1 for h in last if h.state == HazardStatus.RECTIFIED)
    ctx.log(f"  风险隐患近十二个月 {recent} 条：已整治 {done}，超期 {overdue}（督办 {supervised}）")


class _Maker:
    """One hazard as the ledger holds it: its place, type, level, unit and the state it is in on `today`."""

    def __init__(self, ctx, rng, villages, departments, officers):
        from pingan.geo.seed import PlacePoints

        self.ctx, self.rng, self.villages, self.departments, self.officers = ctx, rng, villages, departments, officers
        self.points, self.made = PlacePoints(ctx.seed), 0  # where on the map: inside its village

    def make(self, screened: dt.date, *, today: dt.date, rectify: bool) -> Hazard:
        rng, ctx = self.rng, self.ctx
        village = rng.choice(self.villages)
        township = village.parent
        hazard_type = _pick(rng, TYPE_SHARES)
        level = _pick(rng, LEVEL_SHARES)
        unit = UNITS.get(hazard_type)
        if unit is None:
            suffix = "派出所" if hazard_type in (HazardType.PUBLIC_ORDER, HazardType.DISPUTE) else "司法所"
            unit = next((n for n in self.departments if n.endswith(suffix) and n.startswith(township.name[:2])), None)
        dept = self.departments.get(unit) if unit else None
        days = {RiskLevel.HIGH: 10, RiskLevel.MEDIUM: 20, RiskLevel.LOW: 30}[level] + rng.choice([0, 0, 5, 10])
        hazard = Hazard(
            jurisdiction=village, screened_on=screened, hazard_type=hazard_type, risk_level=level,
            description=rng.choice(DESCRIPTIONS[hazard_type]), responsible_department=dept,
            responsible_unit_name=dept.name if dept else f"{village.short_name}村委会",
            responsible_person=ctx.name(rng), responsible_phone=ctx.phone(rng),
            rectify_deadline=add_working_days(screened, days), state=HazardStatus.PENDING,
            state_changed_at=_start(screened))
        self.made += 1
        hazard.latitude, hazard.longitude = self.points.point(village, self.made)
        officer = self.officers.get(township.pk)
        if rectify:
            finished = min(hazard.rectify_deadline - dt.timedelta(days=rng.randrange(0, 8)), today)
            finished = max(finished, screened)
            accepted = min(add_working_days(finished, rng.randrange(1, 5)), today)
            _set_state(hazard, HazardStatus.RECTIFIED, rectified_on=finished, accepted_on=accepted,
                       accepted_by=officer, measures="已按要求整治完毕，现场复查无隐患。", acceptance_note="验收合格。",
                       state_changed_at=_start(accepted), closed_at=_start(accepted))
        else:
            state = rng.choice([HazardStatus.PENDING, HazardStatus.RECTIFYING, HazardStatus.RECTIFYING,
                                HazardStatus.AWAITING_ACCEPTANCE])
            if state == HazardStatus.AWAITING_ACCEPTANCE:
                done = max(min(today, hazard.rectify_deadline), screened)
                _set_state(hazard, state, rectified_on=done, measures="整治完成，申请验收。", state_changed_at=_start(done))
            elif state == HazardStatus.RECTIFYING:
                _set_state(hazard, state, measures="正在整治：已落实责任人，制定整改方案。")
        return hazard


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _set_state(hazard: Hazard, state: str, **fields) -> None:
    """Seed history as a ledger would: the state the hazard is in now, with its fields (the case layer's
    bulk registration gives it its due moment and log line)."""
    hazard.state = state
    for name, value in fields.items():
        setattr(hazard, name, value)
