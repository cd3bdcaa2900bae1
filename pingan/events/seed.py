"""Demo grid events: the district's category list and dispatch rules (through the configuration services,
audited), then a year of events registered in bulk through the case layer (`engine.case_register_bulk`: numbers,
due moments, one audit entry and one 演示数据 log line per event) — 2016 (720) and 2017 (960) at every scale and the last twelve
months (360 at small scale, 6,000 at district scale) —, each in the final state of a simulated history
(上报 → 立案 → 派遣 → 签收 → 反馈 → [退回重办 → 反馈] → 结案 → 评价) with the dates, handling unit, result and
evaluation it left, and 督办 (through the engine) on some of the overdue ones still being handled.

Events go through a simulated timeline from their report time; whatever lies after "now" has not happened yet,
so recent events are still open. Some are handled late (超期结案), some are stuck and overdue, about 8% are sent
back once (返工), grid workers evaluate most of their closed reports. Idempotent: each demo event carries an
idempotency key `demo:<seed>:<n>`, and existing keys are skipped.
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from pingan.accounts.models import Department, User
from pingan.cases import engine
from pingan.cases.deadlines import due
from pingan.core.calendar import add_working_hours
from pingan.core.personal import mask_phone
from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import deadlines, intake, services
from .choices import DeadlineUnit, EventState, Satisfaction, Source, Urgency
from .models import Category, DispatchRule, Event

S = EventState
H, D = DeadlineUnit.WORKING_HOURS, DeadlineUnit.WORKING_DAYS
COUNTS = {"small": 360, "district": 6000, "province": 6000}  # the last twelve months
YEARS = {2016: 720, 2017: 960}  # 2016 and 2017 (the platform's first full year), at every scale
CLUSTER, CLUSTER_SIZE, CLUSTER_CATEGORY = "cluster", 7, "0103"  # last month's planted rise in one village

# 大类 → [(小类代码, 名称, 时限, 单位, 紧急时限, 敏感, 群众可报, 承办 ("dept:名称" | "town:派出所" | "township"), 描述)]
CATEGORIES: list[tuple[str, str, list[tuple]]] = [
    ("01", "矛盾纠纷线索", [
        ("0101", "邻里纠纷", 3, D, 1, False, True, "town:司法所",
         ["两户因排水沟走向发生争吵，要求村里调解", "邻居在公共通道堆放杂物引发口角", "楼上漏水殃及楼下，双方协商不成"]),
        ("0102", "婚姻家庭纠纷", 3, D, 1, True, False, "town:司法所",
         ["夫妻长期争吵，女方回娘家后双方家庭发生冲突", "老人赡养费分摊兄弟之间有争议"]),
        ("0103", "土地宅基地纠纷", 5, D, None, False, True, "township",
         ["两户宅基地界址不清，一方砌墙被另一方推倒", "土地流转费用未按期支付，多户村民到村委会反映"]),
        ("0104", "劳资纠纷", 5, D, 2, False, True, "dept:区人力资源和社会保障局",
         ["工地拖欠农民工工资，十余人到项目部讨薪", "小作坊辞退工人不结工资"]),
    ]),
    ("02", "治安隐患", [
        ("0201", "可疑人员聚集", 8, H, 2, True, False, "town:派出所",
         ["空置民房夜间常有外来人员聚集", "网吧门口多名青少年深夜滞留"]),
        ("0202", "治安防范设施缺失", 5, D, None, False, True, "town:派出所",
         ["小区监控探头损坏多日无人修理", "村口卡口道闸失灵"]),
    ]),
    ("03", "安全隐患", [
        ("0301", "燃气泄漏隐患", 4, H, 2, False, True, "dept:区应急管理局",
         ["餐馆液化气瓶放在灶台下，软管老化", "居民楼道内闻到燃气味"]),
        ("0302", "消防通道堵塞", 1, D, None, False, True, "dept:区应急管理局",
         ["小区消防通道被私家车长期占用", "商铺在疏散通道堆放货物"]),
        ("0303", "危房险房", 5, D, 2, False, True, "dept:区住房和城乡建设局",
         ["采空区民房墙体开裂，仍有老人居住", "废弃厂房屋顶塌陷，临近村道"]),
        ("0304", "道路交通安全隐患", 3, D, None, False, True, "dept:区公安分局",
         ["学校门口无减速带，接送车辆车速快", "村道急弯处护栏缺失"]),
    ]),
    ("04", "环境卫生", [
        ("0401", "垃圾堆放", 2, D, None, False, True, "dept:区城市管理局",
         ["村口垃圾池满溢多日未清运", "河边有人倾倒建筑垃圾", "集贸市场散场后垃圾遍地"]),
        ("0402", "污水外溢", 2, D, None, False, True, "dept:区生态环境分局",
         ["化粪池满溢，污水流到路面", "养殖场污水直排进沟渠"]),
        ("0403", "露天焚烧", 4, H, None, False, True, "dept:区生态环境分局",
         ["田间焚烧秸秆，浓烟影响道路视线", "废品站露天焚烧电线"]),
    ]),
    ("05", "市政设施", [
        ("0501", "路灯损坏", 5, D, None, False, True, "dept:区城市管理局",
         ["主街路灯连续五盏不亮", "路灯杆被车撞歪，电线外露"]),
        ("0502", "道路破损", 5, D, None, False, True, "dept:区住房和城乡建设局",
         ["村道路面塌陷出现深坑", "人行道地砖松动翘起"]),
        ("0503", "井盖缺失", 4, H, 2, False, True, "dept:区城市管理局",
         ["人行道雨水井盖丢失，已用树枝临时围挡", "窨井盖破损下陷"]),
        ("0504", "供水管道漏水", 1, D, None, False, True, "dept:区住房和城乡建设局",
         ["主管道漏水，路面积水结冰", "小区供水管爆裂，多户停水"]),
    ]),
    ("06", "民生服务", [
        ("0601", "困难群众救助", 5, D, None, False, True, "dept:区民政局",
         ["独居老人生病无人照料，需要临时救助", "因病致贫家庭申请低保未有答复"]),
        ("0602", "就业社保诉求", 5, D, None, False, True, "dept:区人力资源和社会保障局",
         ["灵活就业人员咨询养老保险补缴", "失业人员申领失业金遇到困难"]),
    ]),
    ("07", "特殊人群异常", [
        ("0701", "严重精神障碍患者异常", 4, H, 2, True, False, "dept:区卫生健康局",
         ["在册患者近日停药，情绪激动", "患者家属反映其夜间外出游荡"]),
        ("0702", "社区矫正对象异常", 1, D, None, True, False, "town:司法所",
         ["社区矫正对象连续两次未按时报到", "矫正对象擅自外出务工"]),
    ]),
]
URGENCY_SHARES = [(Urgency.NORMAL, 86), (Urgency.URGENT, 12), (Urgency.CRITICAL, 2)]
CATEGORY_WEIGHTS = {"01": 18, "02": 8, "03": 16, "04": 24, "05": 20, "06": 9, "07": 5}
RESULTS = ["已到现场处置，问题已解决。", "已联系相关责任人整改完毕，现场复查无问题。", "已组织调解，双方达成一致。",
           "已清理完毕，并安排专人定期巡查。", "已维修完成，恢复正常使用。"]
SEND_BACK_NOTES = ["现场核查问题仍未解决，请重新处置。", "处置照片与现场不符，请补充处置。", "群众反映仍有问题，请再次处理。"]
UNSATISFIED_NOTES = ["处理时间太长。", "问题反复出现，希望彻底解决。", "没有回访告知处理结果。"]


def _pick(rng: random.Random, shares):
    total = sum(w for _, w in shares)
    x = rng.uniform(0, total)
    for value, weight in shares:
        x -= weight
        if x <= 0:
            return value
    return shares[-1][0]


# --- configuration ---------------------------------------------------------------------------------------
def seed_configuration(county: Node) -> tuple[dict[str, Category], int]:
    """The category list and dispatch rules, through the audited services; existing codes are kept."""
    existing = {c.code: c for c in Category.objects.all()}
    made = 0
    for order, (code, name, leaves) in enumerate(CATEGORIES, start=1):
        parent = existing.get(code)
        if parent is None:
            parent = existing[code] = services.category_save(actor=None, data={
                "jurisdiction": county, "code": code, "name": name, "order": order})
            made += 1
        for leaf_order, (lcode, lname, amount, unit, urgent, sensitive, public, _, _) in enumerate(leaves, start=1):
            if lcode not in existing:
                existing[lcode] = services.category_save(actor=None, data={
                    "jurisdiction": county, "code": lcode, "name": lname, "parent": parent, "order": leaf_order,
                    "deadline_amount": amount, "deadline_unit": unit, "urgent_deadline_amount": urgent,
                    "is_sensitive": sensitive, "is_public": public})
                made += 1
    departments = {d.name: d for d in Department.objects.filter(jurisdiction__path__startswith=county.path)}
    townships = list(Node.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code"))
    rules = {(r.category_id, r.jurisdiction_id) for r in DispatchRule.objects.all()}
    for _, _, leaves in CATEGORIES:
        for lcode, *_, target, _ in leaves:
            category = existing[lcode]
            if target.startswith("dept:"):
                department = departments.get(target[5:])
                if department is not None and (category.pk, county.pk) not in rules:
                    services.dispatch_rule_save(actor=None, data={
                        "category": category, "jurisdiction": county, "department": department})
                    made += 1
                continue
            for township in townships:
                if (category.pk, township.pk) in rules:
                    continue
                department = _township_department(township, target, departments)
                data = {"category": category, "jurisdiction": township}
                if department is not None:
                    data["department"] = department
                else:
                    data["township"] = township
                services.dispatch_rule_save(actor=None, data=data)
                made += 1
    return existing, made


def _township_department(township: Node, target: str, departments: dict[str, Department]) -> Department | None:
    if not target.startswith("town:"):
        return None
    suffix = target[5:]
    return next((d for d in departments.values()
                 if d.jurisdiction_id == township.pk and d.name.endswith(suffix)), None)


# --- events ----------------------------------------------------------------------------------------------
def _add_hours(start: dt.datetime, hours: float) -> dt.datetime:
    whole = int(hours)
    moment = add_working_hours(start, whole) if whole else start
    return moment + dt.timedelta(minutes=int((hours - whole) * 60))


@seeder("events", order=60)
def seed_events(ctx: SeedContext) -> None:
    county = Node.objects.filter(code="140311").first()
    if county is None:
        return
    with transaction.atomic():
        categories, config_made = seed_configuration(county)
    if ctx.structure_only:
        if config_made:
            ctx.log(f"  网格事件类别与派遣规则 {config_made} 条")
        return
    rng = ctx.fork("events")
    total = COUNTS.get(ctx.scale, COUNTS["small"])
    # (key, year or None): the last twelve months' keys as before, then 2016's and 2017's (every scale alike).
    wanted = [(f"demo:{ctx.seed}:{i}", None) for i in range(total)]
    for year, count in YEARS.items():
        wanted += [(f"demo:{ctx.seed}:{year}:{i}", year) for i in range(count)]
    # A planted rise: one village's land and homestead disputes reported last month, far above its own history,
    # so the demo's 预警中心 shows the anomaly warning (events.anomaly) with its expected value and its test.
    wanted += [(f"demo:{ctx.seed}:cluster:{i}", CLUSTER) for i in range(CLUSTER_SIZE)]
    keys = [k for k, _ in wanted]
    done = set()
    for start in range(0, len(keys), 500):
        done |= set(Event.objects.filter(idempotency_key__in=keys[start:start + 500])
                    .values_list("idempotency_key", flat=True))
    if len(done) == len(keys):
        return
    grids = list(Node.objects.filter(path__startswith=county.path, level=Level.GRID).select_related("parent__parent")
                 .order_by("code"))
    if not grids:
        return
    workers = {u.scope_id: u for u in User.objects.filter(role="grid_worker", is_active=True).order_by("pk")}
    center = User.objects.filter(role__in=["center_staff", "district_admin"], scope=county).order_by("role", "pk").first()
    leaves = [c for c in categories.values() if c.parent_id and c.code[:2] in CATEGORY_WEIGHTS]
    by_group: dict[str, list[Category]] = {}
    for c in sorted(leaves, key=lambda c: c.code):
        by_group.setdefault(c.code[:2], []).append(c)
    texts = {lcode: texts for _, _, ls in CATEGORIES for lcode, *_, texts in ls}
    rules = list(DispatchRule.objects.select_related("jurisdiction", "department", "township"))
    now = timezone.now()
    sim = _Simulation(rng, ctx, now, center, rules)
    # Past years: every event has run its course (none left stuck years later).
    history = _Simulation(ctx.fork("events-history"), ctx, now, center, rules, history=True)
    events, plans = [], []
    cluster_rng = ctx.fork("events-cluster")
    cluster_village = grids[0].parent_id
    cluster_grids = [g for g in grids if g.parent_id == cluster_village]
    last_month_end = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for key, year in wanted:
        if year == CLUSTER:
            r = cluster_rng
            grid = r.choice(cluster_grids)
            category = categories.get(CLUSTER_CATEGORY) or leaves[0]
            reported = last_month_end - dt.timedelta(days=r.uniform(1, 25))
            year = None
        else:
            r = rng if year is None else history.rng
            grid = r.choice(grids)
            group = _pick(r, list(CATEGORY_WEIGHTS.items()))
            category = r.choice(by_group.get(group) or leaves)
            if year is None:
                reported = now - dt.timedelta(days=r.uniform(0.05, 365))
            else:
                reported = timezone.make_aware(dt.datetime(year, 1, 1)) + dt.timedelta(days=r.uniform(0, 364.9))
        reported = reported.replace(hour=r.choice([7, 8, 9, 9, 10, 10, 11, 14, 15, 15, 16, 17, 19]),
                                    minute=r.randrange(60))
        if reported > now:
            reported -= dt.timedelta(days=1)
        # Draw everything for every index, so the stream does not depend on what already exists.
        source = _pick(r, [(Source.GRID, 72), (Source.PUBLIC, 14), (Source.CENTRE, 14)])
        text = r.choice(texts.get(category.code) or [category.name])
        urgency = _pick(r, URGENCY_SHARES)
        name, phone = ctx.name(r), ctx.phone(r)
        plan = (sim if year is None else history).plan(category, grid, urgency, reported, source)
        if key in done:
            continue
        reporter = workers.get(grid.pk) if source == Source.GRID else (center if source == Source.CENTRE else None)
        if source == Source.GRID and reporter is None:
            source = Source.CENTRE
            reporter = center
        event = Event(
            jurisdiction=grid, category=category, description=f"{grid.parent.short_name if grid.parent else ''}"
                                                                f"{text}。", urgency=urgency,
            source=source, channel="hotline_12345" if source == Source.CENTRE else "",
            reporter=reporter, reporter_name=name if source == Source.PUBLIC else "",
            reporter_phone=phone if source == Source.PUBLIC else "",
            reporter_phone_masked=mask_phone(phone) if source == Source.PUBLIC else "",
            reported_at=reported, idempotency_key=key,
            lookup_code_hash=intake.hash_secret(intake.new_lookup_code(), "lookup") if source == Source.PUBLIC else "",
            latitude=grid.latitude, longitude=grid.longitude, address="",
        )
        plan.apply(event)
        events.append(event)
        plans.append(plan)
    with transaction.atomic():
        # The case layer's bulk path: numbers by the day of the report, due moments from the declaration,
        # one audit entry and one log line per event.
        for start in range(0, len(events), 1000):
            engine.case_register_bulk(actor=None, cases=events[start:start + 1000], log_kind="create",
                                      action_label="登记（演示数据）", note="演示数据：按模拟的办理过程写入当前状态",
                                      audit_action="events.event.seed",
                                      day_of=lambda e: timezone.localtime(e.reported_at).date())
        supervised = 0
        for event, plan in zip(events, plans):
            if plan.supervisor is not None and Event.objects.is_overdue(event):
                engine.supervise(actor=plan.supervisor, case=event,
                                 note="该事件已超过处置期限，请承办单位加快处置并反馈进展。")
                supervised += 1
    for year in YEARS:
        of_year = [e for e in events if e.reported_at.year == year]
        if of_year:
            shut = sum(1 for e in of_year if e.state == S.CLOSED)
            ctx.log(f"  网格事件 {year} 年 {len(of_year)} 件：已结案 {shut}")
    events = [e for e in events if e.reported_at.year > 2017]
    made = len(events)
    closed = sum(1 for e in events if e.state == S.CLOSED)
    overdue = sum(1 for e in events if Event.objects.is_overdue(e))
    reworked = sum(1 for e in events if e.sent_back_count)
    ctx.log(f"  网格事件 {made} 件：已结案 {closed}（{closed / max(made, 1):.1%}），超期未办结 {overdue}（督办 {supervised}），"
            f"返工 {reworked}")


class _Plan:
    """One event's simulated history: the fields the steps that happened before now leave on it (its state
    among them, given to the bulk registration as history), and who would supervise it if it is overdue."""

    def __init__(self):
        self.fields: dict[str, Any] = {}
        self.supervisor: Any = None

    def apply(self, event: Event) -> None:
        for name, value in self.fields.items():
            setattr(event, name, value)


class _Simulation:
    def __init__(self, rng, ctx, now, center, rules, history=False):
        self.rng, self.ctx, self.now = rng, ctx, now
        self.center, self.rules = center, rules
        self.history = history  # a past year's event: never left stuck

    def _rule(self, category: Category, place: Node) -> DispatchRule | None:
        best = None
        for r in self.rules:
            if r.category_id not in (category.pk, category.parent_id) or not place.path.startswith(r.jurisdiction.path):
                continue
            rank = (r.category_id == category.pk, len(r.jurisdiction.path))
            if best is None or rank > best[0]:
                best = (rank, r)
        return best[1] if best else None

    def plan(self, category: Category, grid: Node, urgency: str, reported: dt.datetime, source: str) -> _Plan:
        rng, now = self.rng, self.now
        p = _Plan()
        f = p.fields
        # Random draws up front (fixed count per event keeps the stream stable).
        r_fate, r_late, r_stuck, r_rework, r_eval, r_sat = (rng.random() for _ in range(6))
        reg_h, disp_h, acc_h, work_frac, late_frac, check_h, rework_h, eval_h = (
            rng.uniform(0.3, 6), rng.uniform(0.2, 4), rng.uniform(0.2, 6), rng.uniform(0.15, 0.9),
            rng.uniform(1.2, 3.0), rng.uniform(1, 14), rng.uniform(2, 16), rng.uniform(2, 40))
        result, sat_note = rng.choice(RESULTS), rng.choice(UNSATISFIED_NOTES)
        rng.choice(SEND_BACK_NOTES)  # drawn as before (the stream stays the same), no longer written
        center = self.center
        f.update(state=S.REPORTED, state_changed_at=reported, sent_back_count=0)

        def done(at):
            return at <= now

        registered = _add_hours(reported, reg_h)
        if not done(registered):
            return p
        if r_fate < 0.035:  # 不予立案
            f.update(state=S.REJECTED, state_changed_at=registered, closed_at=registered)
            return p
        f.update(state=S.REGISTERED, state_changed_at=registered, registered_at=registered)
        dispatched = _add_hours(registered, disp_h)
        if not done(dispatched):
            return p
        rule = self._rule(category, grid)
        department = rule.department if rule else None
        township = rule.township if rule else None
        if department is None and township is None:
            township = grid.parent.parent if grid.parent else None
        # What the declaration gives (deadlines.handling_time): the rule's deadline for the rule's unit.
        amount, unit = deadlines.handling_rule(_Shim(category, urgency), rule)
        handling_due = due(dispatched, amount, unit)
        f.update(state=S.DISPATCHED, state_changed_at=dispatched, dispatched_at=dispatched,
                 assigned_department=department, assigned_township=township)
        accepted = _add_hours(dispatched, acc_h)
        if not done(accepted):
            return p
        f.update(state=S.HANDLING, state_changed_at=accepted)
        span = max(handling_due - dispatched, dt.timedelta(hours=1))
        if r_stuck < 0.025 and not self.history:  # stuck: never handled, overdue, supervised
            p.supervisor = center
            return p
        late = r_late < 0.12
        handled = dispatched + span * (late_frac if late else work_frac)
        handled = max(handled, accepted + dt.timedelta(minutes=20))
        reworked = r_rework < 0.08
        if not done(handled):
            if late:
                p.supervisor = center
            return p
        # 处置反馈: the engine stamps when, and the handling due moment then in force (for 按期结案).
        f.update(state=S.CHECKING, state_changed_at=handled, handled_at=handled, handled_due_at=handling_due,
                 handling_result=result)
        checked = _add_hours(handled, check_h)
        if not done(checked):
            return p
        if reworked:
            # 退回重办: handling starts again with a new due moment from the send-back (the engine's rule).
            handling_due = due(checked, amount, unit)
            f.update(state=S.HANDLING, state_changed_at=checked, sent_back_count=1)
            handled = _add_hours(checked, rework_h)
            if not done(handled):
                return p
            f.update(state=S.CHECKING, state_changed_at=handled, handled_at=handled, handled_due_at=handling_due,
                     handling_result="已按核查意见重新处置，问题已解决。")
            checked = _add_hours(handled, check_h)
            if not done(checked):
                return p
        f.update(state=S.CLOSED, state_changed_at=checked, closed_at=checked, checked_by=center,
                 check_note="现场核查属实，同意结案。")
        evaluated = checked + dt.timedelta(hours=eval_h)
        if source != Source.PUBLIC and r_eval < 0.7 and done(evaluated):
            satisfaction = _pick(_Fixed(r_sat), [(Satisfaction.SATISFIED, 78), (Satisfaction.BASIC, 17),
                                                 (Satisfaction.UNSATISFIED, 5)])
            note = sat_note if satisfaction == Satisfaction.UNSATISFIED else ""
            f.update(satisfaction=satisfaction, evaluation_note=note)
        return p


class _Shim:
    """What deadlines.handling_rule reads of an event."""

    def __init__(self, category, urgency):
        self.category, self.urgency = category, urgency


class _Fixed:
    """A 'random' source returning a value already drawn (keeps one draw per event)."""

    def __init__(self, value: float):
        self.value = value

    def uniform(self, a: float, b: float) -> float:
        return a + (b - a) * self.value
