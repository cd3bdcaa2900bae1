"""Demo grid events: the district's category list and dispatch rules (through the configuration services,
audited), then a year of events written in bulk, consistently: each event's final state with its dates,
deadlines and handling unit, the whole transition log (上报 → 立案 → 派遣 → 签收 → 反馈 → [退回重办 → 反馈] →
结案 → 评价), 督办 on some overdue ones, one audit entry per event, and the case-number counters advanced.

Events go through a simulated timeline from their report time; whatever lies after "now" has not happened yet,
so recent events are still open. Some are handled late (超期结案), some are stuck and overdue, about 8% are sent
back once (返工), grid workers evaluate most of their closed reports. Idempotent: each demo event carries an
idempotency key `demo:<seed>:<n>`, and existing keys are skipped.
"""
from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import timezone

from pingan.accounts.models import Department, User
from pingan.core import audit
from pingan.core.personal import mask_phone
from pingan.core.calendar import add_working_days
from pingan.ledgers import bulk_insert
from pingan.core.models import AuditEntry
from pingan.cases.models import CaseCounter, Supervision, TransitionLog
from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import deadlines, intake, services
from .choices import DeadlineUnit, EventState, Satisfaction, Source, Urgency
from .models import Category, DispatchRule, Event

S = EventState
H, D = DeadlineUnit.WORKING_HOURS, DeadlineUnit.WORKING_DAYS
COUNTS = {"small": 360, "district": 6000, "province": 6000}

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
@contextmanager
def _historical_timestamps():
    """Log rows and 督办 carry the simulated moment, not the seeding moment: auto_now_add off while seeding."""
    fields = [TransitionLog._meta.get_field("at"), Supervision._meta.get_field("created_at")]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


class _Numbers:
    """Case numbers SJ + township code + day + sequence, continuing the engine's counters."""

    def __init__(self):
        self.last = {(c.township_code, c.day): c.last for c in CaseCounter.objects.filter(prefix="SJ")}
        self.touched: set[tuple[str, dt.date]] = set()

    def next(self, township_code: str, day: dt.date) -> str:
        key = (township_code, day)
        self.last[key] = self.last.get(key, 0) + 1
        self.touched.add(key)
        return f"SJ{township_code}{day:%Y%m%d}{self.last[key]:03d}"

    def save(self) -> None:
        existing = {(c.township_code, c.day): c for c in
                    CaseCounter.objects.filter(prefix="SJ", day__in={d for _, d in self.touched})}
        new = []
        for key in self.touched:
            if key in existing:
                CaseCounter.objects.filter(pk=existing[key].pk).update(last=self.last[key])
            else:
                new.append(CaseCounter(prefix="SJ", township_code=key[0], day=key[1], last=self.last[key]))
        CaseCounter.objects.bulk_create(new, batch_size=500)


def _add_hours(start: dt.datetime, hours: float) -> dt.datetime:
    whole = int(hours)
    moment = deadlines.add_working_hours(start, whole) if whole else start
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
    keys = [f"demo:{ctx.seed}:{i}" for i in range(total)]
    done = set(Event.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
    if len(done) == total:
        return
    grids = list(Node.objects.filter(path__startswith=county.path, level=Level.GRID).select_related("parent__parent")
                 .order_by("code"))
    if not grids:
        return
    workers = {u.scope_id: u for u in User.objects.filter(role="grid_worker", is_active=True).order_by("pk")}
    center = User.objects.filter(role__in=["center_staff", "district_admin"], scope=county).order_by("role", "pk").first()
    townships = {n.pk: n for n in Node.objects.filter(parent=county, level=Level.TOWNSHIP)}
    leaves = [c for c in categories.values() if c.parent_id and c.code[:2] in CATEGORY_WEIGHTS]
    by_group: dict[str, list[Category]] = {}
    for c in sorted(leaves, key=lambda c: c.code):
        by_group.setdefault(c.code[:2], []).append(c)
    texts = {lcode: texts for _, _, ls in CATEGORIES for lcode, *_, texts in ls}
    rules = list(DispatchRule.objects.select_related("jurisdiction", "department", "township"))
    handlers = {}
    for u in User.objects.filter(role="dept_handler", is_active=True).exclude(department=None).order_by("pk"):
        handlers.setdefault(u.department_id, u)
    officers = {u.scope_id: u for u in User.objects.filter(role="township_officer", is_active=True).order_by("pk")}
    now = timezone.now()
    sim = _Simulation(rng, ctx, now, center, handlers, officers, rules)
    numbers = _Numbers()
    events, plans = [], []
    for i in range(total):
        grid = rng.choice(grids)
        group = _pick(rng, list(CATEGORY_WEIGHTS.items()))
        category = rng.choice(by_group.get(group) or leaves)
        reported = now - dt.timedelta(days=rng.uniform(0.05, 365))
        reported = reported.replace(hour=rng.choice([7, 8, 9, 9, 10, 10, 11, 14, 15, 15, 16, 17, 19]),
                                    minute=rng.randrange(60))
        if reported > now:
            reported -= dt.timedelta(days=1)
        # Draw everything for every index, so the stream does not depend on what already exists.
        source = _pick(rng, [(Source.GRID, 72), (Source.PUBLIC, 14), (Source.CENTRE, 14)])
        text = rng.choice(texts.get(category.code) or [category.name])
        urgency = _pick(rng, URGENCY_SHARES)
        name, phone = ctx.name(rng), ctx.phone(rng)
        plan = sim.plan(category, grid, urgency, reported, source)
        if keys[i] in done:
            continue
        township = townships.get(grid.parent.parent_id) if grid.parent else None
        township_code = township.code if township else grid.code[:9]
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
            reported_at=reported, idempotency_key=keys[i],
            lookup_code_hash=intake.hash_secret(intake.new_lookup_code(), "lookup") if source == Source.PUBLIC else "",
            number=numbers.next(township_code, timezone.localtime(reported).date()),
            latitude=grid.latitude, longitude=grid.longitude, address="",
        )
        plan.apply(event)
        events.append(event)
        plans.append(plan)
    with transaction.atomic(), _historical_timestamps():
        for start in range(0, len(events), 1000):
            chunk, chunk_plans = events[start:start + 1000], plans[start:start + 1000]
            bulk_insert(Event, chunk)
            logs, supervisions = [], []
            for event, plan in zip(chunk, chunk_plans):
                logs.extend(plan.logs(event))
                supervisions.extend(plan.supervisions(event))
            bulk_insert(TransitionLog, logs)
            bulk_insert(Supervision, supervisions)
            bulk_insert(AuditEntry, [_audit(event) for event in chunk])
        numbers.save()
    made = len(events)
    closed = sum(1 for e in events if e.state == S.CLOSED)
    overdue = sum(1 for e in events if e.due_at and e.due_at < now and e.state not in (S.CLOSED, S.REJECTED, S.DUPLICATE))
    reworked = sum(1 for e in events if e.sent_back_count)
    ctx.log(f"  网格事件 {made} 件：已结案 {closed}（{closed / max(made, 1):.1%}），超期未办结 {overdue}，返工 {reworked}")


def _audit(event: Event) -> AuditEntry:
    return AuditEntry(
        actor=None, actor_name="系统", request_id="seed_demo", channel="command", action="events.event.seed",
        object_type="events.event", object_id=str(event.pk), object_repr=event.number,
        scope_path=event.jurisdiction.path, detail="演示数据：按模拟的办理过程写入事件及其流转记录",
        changes=audit.jsonable({"after": {"number": event.number, "state": event.state,
                                          "category": event.category.code, "reported_at": event.reported_at,
                                          "closed_at": event.closed_at, "sent_back_count": event.sent_back_count}}),
    )


class _Plan:
    """One event's simulated history: the steps that happened before now, and the fields they leave."""

    def __init__(self):
        self.steps: list[tuple[dt.datetime, str, str, str, str, Any, str, dict]] = []
        self.fields: dict[str, Any] = {}
        self.supervise_at: dt.datetime | None = None
        self.supervisor: Any = None

    def step(self, at, action, label, from_state, to_state, actor, note="", data=None, kind="transition"):
        self.steps.append((at, action, label, from_state, to_state, actor, note, data or {}, kind))

    def apply(self, event: Event) -> None:
        for name, value in self.fields.items():
            setattr(event, name, value)

    def logs(self, event: Event) -> list[TransitionLog]:
        result = []
        for at, action, label, from_state, to_state, actor, note, data, kind in self.steps:
            if action == "create":
                actor = event.reporter
            result.append(TransitionLog(
                case_type="events.event", case_id=event.pk, jurisdiction_id=event.jurisdiction_id,
                department_id=event.assigned_department_id, kind=kind, action=action, action_label=label,
                from_state=from_state, to_state=to_state, actor=actor,
                actor_name=(actor.full_name or actor.username) if actor else "系统", note=note,
                data=audit.jsonable(data), at=at))
        return result

    def supervisions(self, event: Event) -> list[Supervision]:
        if self.supervise_at is None:
            return []
        by = self.supervisor
        return [Supervision(case_type="events.event", case_id=event.pk, jurisdiction_id=event.jurisdiction_id,
                            department_id=event.assigned_department_id, by=by,
                            by_name=(by.full_name or by.username) if by else "系统",
                            note="该事件已超过处置期限，请承办单位加快处置并反馈进展。",
                            due_on=add_working_days(timezone.localtime(self.supervise_at).date(), 2),
                            created_at=self.supervise_at)]


class _Simulation:
    def __init__(self, rng, ctx, now, center, handlers, officers, rules):
        self.rng, self.ctx, self.now = rng, ctx, now
        self.center, self.handlers, self.officers = center, handlers, officers
        self.rules = rules

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
        result, send_note, sat_note = rng.choice(RESULTS), rng.choice(SEND_BACK_NOTES), rng.choice(UNSATISFIED_NOTES)
        center = self.center
        f.update(state=S.REPORTED, state_changed_at=reported, sent_back_count=0)
        day = timezone.localtime(reported).date()
        f["deadline"] = add_working_days(day, 1)
        p.step(reported, "create", "登记", "", S.REPORTED, None, Source(source).label, kind="create")

        def done(at):
            return at <= now

        def finish():
            f["due_at"] = None
            if f["state"] in (S.DISPATCHED, S.HANDLING) and f.get("handling_due_at"):
                f["due_at"] = f["handling_due_at"]
            elif f.get("deadline"):
                f["due_at"] = deadlines.end_of_working_day(f["deadline"])
            return p

        registered = _add_hours(reported, reg_h)
        if not done(registered):
            return finish()
        if r_fate < 0.035:  # 不予立案
            p.step(registered, "reject", "不予立案", S.REPORTED, S.REJECTED, center, "不属于网格事件受理范围，已告知上报人。")
            f.update(state=S.REJECTED, state_changed_at=registered, closed_at=registered, deadline=None)
            return finish()
        p.step(registered, "register", "受理立案", S.REPORTED, S.REGISTERED, center)
        f.update(state=S.REGISTERED, state_changed_at=registered, registered_at=registered,
                 deadline=add_working_days(timezone.localtime(registered).date(), 1))
        dispatched = _add_hours(registered, disp_h)
        if not done(dispatched):
            return finish()
        rule = self._rule(category, grid)
        department = rule.department if rule else None
        township = rule.township if rule else None
        if department is None and township is None:
            township = grid.parent.parent if grid.parent else None
        amount, unit = deadlines.handling_rule(_Shim(category, urgency), rule)
        due = deadlines.due(dispatched, amount, unit)
        unit_name = department.name if department else (township.name if township else "")
        f.update(state=S.DISPATCHED, state_changed_at=dispatched, dispatched_at=dispatched,
                 assigned_department=department, assigned_township=township, handling_due_at=due,
                 handling_deadline=timezone.localtime(due).date(), deadline=timezone.localtime(due).date(),
                 deadline_text=deadlines.describe(amount, unit))
        p.step(dispatched, "dispatch", "派遣", S.REGISTERED, S.DISPATCHED, center, data={"承办单位": unit_name})
        handler = self.handlers.get(department.pk) if department else self.officers.get(township.pk if township else None)
        accepted = _add_hours(dispatched, acc_h)
        if not done(accepted):
            return finish()
        p.step(accepted, "accept", "签收处置", S.DISPATCHED, S.HANDLING, handler)
        f.update(state=S.HANDLING, state_changed_at=accepted)
        span = max(due - dispatched, dt.timedelta(hours=1))
        if r_stuck < 0.025:  # stuck: never handled, overdue, supervised
            if due < now:
                p.supervise_at = min(now, due + dt.timedelta(days=1))
                p.supervisor = center
                p.step(p.supervise_at, "supervise", "督办", S.HANDLING, S.HANDLING, center,
                       "该事件已超过处置期限，请承办单位加快处置并反馈进展。", kind="supervise")
            return finish()
        late = r_late < 0.12
        handled = dispatched + span * (late_frac if late else work_frac)
        handled = max(handled, accepted + dt.timedelta(minutes=20))
        reworked = r_rework < 0.08
        if not done(handled):
            if due < now and late:
                p.supervise_at = due + dt.timedelta(hours=2)
                p.supervisor = center
                p.step(p.supervise_at, "supervise", "督办", S.HANDLING, S.HANDLING, center,
                       "该事件已超过处置期限，请承办单位加快处置并反馈进展。", kind="supervise")
            return finish()
        p.step(handled, "feedback", "处置反馈", S.HANDLING, S.CHECKING, handler, data={"handling_result": result})
        checking_deadline = add_working_days(timezone.localtime(handled).date(), 2)
        f.update(state=S.CHECKING, state_changed_at=handled, handled_at=handled, handling_result=result,
                 deadline=checking_deadline)
        checker = center
        checked = _add_hours(handled, check_h)
        if not done(checked):
            return finish()
        if reworked:
            p.step(checked, "send_back", "核查不通过，退回重办", S.CHECKING, S.HANDLING, checker, send_note,
                   kind="send_back")
            f.update(state=S.HANDLING, state_changed_at=checked, sent_back_count=1, deadline=f["handling_deadline"])
            handled = _add_hours(checked, rework_h)
            if not done(handled):
                return finish()
            p.step(handled, "feedback", "处置反馈", S.HANDLING, S.CHECKING, handler,
                   data={"handling_result": "已按核查意见重新处置，问题已解决。"})
            f.update(state=S.CHECKING, state_changed_at=handled, handled_at=handled,
                     handling_result="已按核查意见重新处置，问题已解决。",
                     deadline=add_working_days(timezone.localtime(handled).date(), 2))
            checked = _add_hours(handled, check_h)
            if not done(checked):
                return finish()
        p.step(checked, "close", "核查通过，结案", S.CHECKING, S.CLOSED, checker, "现场核查属实，同意结案。")
        f.update(state=S.CLOSED, state_changed_at=checked, closed_at=checked, deadline=None, checked_by=checker,
                 check_note="现场核查属实，同意结案。")
        evaluated = checked + dt.timedelta(hours=eval_h)
        if source != Source.PUBLIC and r_eval < 0.7 and done(evaluated):
            satisfaction = _pick(_Fixed(r_sat), [(Satisfaction.SATISFIED, 78), (Satisfaction.BASIC, 17),
                                                 (Satisfaction.UNSATISFIED, 5)])
            note = sat_note if satisfaction == Satisfaction.UNSATISFIED else ""
            f.update(satisfaction=satisfaction, evaluation_note=note)
            p.step(evaluated, "evaluate", "评价", S.CLOSED, S.CLOSED, checker, note,
                   data={"satisfaction": satisfaction})
        return finish()


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
