"""Demo data of the one window: the district centre's hall with a year of visits (a few per working day at
district scale, fewer at small scale), routes mixed with mediation first, some visitors who come back, the
units in the centre with their duty schedule for last week and the next two, counsellors and appointments
(their notes fake text).

Last year's visits are written as the hall's book would be imported (bulk rows, one audit entry each, routes
and outcomes as recorded); the last two weeks go through the services, so their matters carry the disputes,
petitions and events they became when those modules are installed."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pingan.accounts.models import User
from pingan.cases import deadlines
from pingan.core import audit, bulk, personal
from pingan.core.calendar import is_workday
from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import choices as c
from . import services
from .models import Counsellor, DutySlot, DutyUnit, HallVisitor, Matter

PER_DAY = {"small": (0, 2), "district": (2, 6), "province": (2, 6)}
OPENED = dt.date(2017, 3, 1)  # the centre's 群众接待大厅 (the seed report's 2017 standardisation)
PER_DAY_2017 = (1, 3)  # the same at every scale, so the 2017 report reads alike
TOPICS = {
    c.Category.FAMILY: ["离婚后子女抚养费给付", "赡养老人费用分担", "分家析产争议"],
    c.Category.NEIGHBOUR: ["楼上装修漏水", "宅前通道被堵", "邻居养狗扰民"],
    c.Category.LABOUR: ["工地拖欠工资", "工伤赔偿协商", "未签劳动合同"],
    c.Category.LAND: ["宅基地界址争议", "土地承包经营权纠纷"],
    c.Category.EXPROPRIATION: ["征地补偿款分配", "拆迁安置房交付延迟"],
    c.Category.CONTRACT: ["民间借贷到期未还", "装修合同质量纠纷"],
    c.Category.PROPERTY: ["物业费与服务质量", "小区停车位管理"],
    c.Category.LITIGATION: ["判决执行进度", "不服派出所处理结果"],
    c.Category.POLICY: ["低保申请条件", "医保异地报销政策"],
    c.Category.PSYCH: ["家庭矛盾导致情绪低落", "考试压力大睡眠差"],
    c.Category.CITY: ["路灯不亮", "占道经营"],
    c.Category.OTHER: ["咨询办事流程"],
}
CATEGORY_SHARES = [(c.Category.NEIGHBOUR, 18), (c.Category.FAMILY, 14), (c.Category.LABOUR, 14),
                   (c.Category.LAND, 8), (c.Category.EXPROPRIATION, 5), (c.Category.CONTRACT, 9),
                   (c.Category.PROPERTY, 7), (c.Category.LITIGATION, 6), (c.Category.POLICY, 8),
                   (c.Category.PSYCH, 4), (c.Category.CITY, 5), (c.Category.OTHER, 2)]
OTHER_ROUTE = {c.Category.LITIGATION: c.Route.PETITION, c.Category.POLICY: c.Route.ANSWERED,
               c.Category.PSYCH: c.Route.PSYCH, c.Category.CITY: c.Route.DEPARTMENT, c.Category.OTHER: c.Route.ANSWERED}
REFERRAL_UNITS = {c.Route.LITIGATION: "区人民法院诉讼服务中心", c.Route.ARBITRATION: "区劳动人事争议仲裁院",
                  c.Route.LEGAL_AID: "区法律援助中心", c.Route.LEGAL_ADVICE: "公共法律服务工作站"}
UNITS = [("区司法局公共法律服务中心", c.DutyKind.RESIDENT, "1号窗口", "法律咨询、人民调解"),
         ("区公安分局派出所驻点", c.DutyKind.RESIDENT, "2号窗口", "治安纠纷"),
         ("区人民法院诉讼服务站", c.DutyKind.RESIDENT, "3号窗口", "诉讼服务、诉前调解"),
         ("区信访局", c.DutyKind.RESIDENT, "4号窗口", "信访事项"),
         ("区人社局", c.DutyKind.ROTATING, "5号窗口", "劳动保障监察、劳动仲裁"),
         ("区自然资源局", c.DutyKind.ROTATING, "5号窗口", "土地权属"),
         ("区住建局", c.DutyKind.ROTATING, "5号窗口", "物业、房屋"),
         ("区市场监管局", c.DutyKind.ROTATING, "5号窗口", "消费纠纷"),
         ("特邀律师", c.DutyKind.INVITED, "调解室", "法律咨询、特邀调解"),
         ("退休法官调解工作室", c.DutyKind.INVITED, "调解室", "疑难纠纷调解")]
NOTES = ["来访者情绪平稳，约定两周后复诊。", "讨论家庭沟通方式，布置练习。", "评估睡眠情况，建议规律作息。"]


def _pick(rng, shares):
    total = sum(w for _v, w in shares)
    roll = rng.uniform(0, total)
    for value, weight in shares:
        roll -= weight
        if roll <= 0:
            return value
    return shares[-1][0]


def _route_for(rng, category) -> str:
    if category in c.MEDIATION_APPLICABLE:
        roll = rng.random()
        if roll < 0.7:
            return c.Route.MEDIATION
        if category == c.Category.LABOUR and roll < 0.85:
            return c.Route.ARBITRATION
        return rng.choice([c.Route.LEGAL_ADVICE, c.Route.LITIGATION, c.Route.LEGAL_AID, c.Route.PETITION])
    return OTHER_ROUTE.get(category, c.Route.ANSWERED)


def _visitor_row(ctx, rng, hall):
    name = ctx.name(rng)
    phone = ctx.phone(rng)
    return {"jurisdiction_id": hall.pk, "name": name, "id_cipher": "", "id_hash": "", "id_masked": "",
            "phone_cipher": personal.encrypt(phone), "phone_hash": personal.lookup_hash(phone, namespace="phone"),
            "phone_masked": personal.mask_phone(phone), "phone_tail": services.tail_hash(phone[-4:])}


def _book(ctx, rng, county, staff, days, per_day, visitor_rows, matter_rows, used) -> None:
    """The hall's book for `days`: (visitor index, matter row) pairs appended to `matter_rows`."""
    low, high = per_day
    for day in days:
        if not is_workday(day):
            continue
        for _ in range(rng.randint(low, high)):
            if visitor_rows and rng.random() < 0.12:
                visitor_index = rng.randrange(max(0, len(visitor_rows) - 40), len(visitor_rows))
            else:
                visitor_rows.append(_visitor_row(ctx, rng, county))
                visitor_index = len(visitor_rows) - 1
            category = _pick(rng, CATEGORY_SHARES)
            route = _route_for(rng, category)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randrange(60))))
            status = {c.Route.ANSWERED: c.Status.ANSWERED}.get(route, c.Status.REFERRED if route in
                                                                 c.REFERRAL_ROUTES else c.Status.ROUTED)
            followed = rng.random() < 0.6
            code = services.new_code(day)
            while code in used:
                code = services.new_code(day)
            used.add(code)
            matter_rows.append((visitor_index, {
                "jurisdiction_id": county.pk, "code": code, "pin": personal.encrypt(f"{rng.randrange(10000):04d}"),
                "channel": _pick(rng, [(c.Channel.VISIT, 70), (c.Channel.CALL, 18), (c.Channel.LETTER, 7),
                                       (c.Channel.ONLINE, 5)]),
                "window": f"{rng.randint(1, 5)}号窗口", "head_count": 1 if rng.random() < 0.9 else rng.randint(2, 8),
                "topic": rng.choice(TOPICS[category]), "category": category,
                "summary": f"{rng.choice(TOPICS[category])}，请求中心协调处理。",
                "mediation_applicable": category in c.MEDIATION_APPLICABLE, "route": route,
                "route_unit": REFERRAL_UNITS.get(route, ""), "route_note": "",
                "non_mediation_reason": "当事人不同意调解" if category in c.MEDIATION_APPLICABLE
                and route != c.Route.MEDIATION else "",
                "status": c.Status.CLOSED if followed else status,
                "answer_note": "已当场解释政策并告知办理渠道。" if route == c.Route.ANSWERED else "",
                "followup_on": day + dt.timedelta(days=rng.randint(7, 14)) if followed else None,
                "followup_note": "电话回访，群众表示问题已得到处理。" if followed else "",
                "satisfaction": c.Satisfaction.SATISFIED if followed else "",
                "registered_by_id": staff.pk if staff else None, "registered_at": at,
                "route_due_at": deadlines.due(at, *services.ROUTE_DUE),
                "routed_at": at + dt.timedelta(minutes=rng.randint(10, 90)),
                "routed_by_id": staff.pk if staff else None, "reroute_count": 0, "case_number": "",
            }))


@seeder("hall", order=70)
def seed_hall(ctx: SeedContext) -> None:
    if ctx.structure_only:
        return
    county = Node.objects.filter(code="140311").first()
    if county is None or Matter.objects.filter(jurisdiction=county).exists():
        return
    rng = ctx.fork("hall")
    staff = User.objects.filter(role="center_staff", scope=county).order_by("pk").first()
    today = timezone.localdate()
    _seed_duty(ctx, rng, county, staff, today)
    counsellors = _seed_counsellors(ctx, county, staff)
    # Visitors: a pool, some of whom come back. 2017 (the hall's first year, from its opening in March) at
    # every scale from its own random stream, then the last year up to two weeks ago.
    low, high = PER_DAY.get(ctx.scale, PER_DAY["small"])
    visitor_rows, matter_rows, used = [], [], set()
    opened = OPENED
    days_2017 = [opened + dt.timedelta(days=n) for n in range((dt.date(2017, 12, 31) - opened).days + 1)]
    _book(ctx, ctx.fork("hall-2017"), county, staff, days_2017, PER_DAY_2017, visitor_rows, matter_rows, used)
    days = [today - dt.timedelta(days=n) for n in range(365, 14, -1)]
    _book(ctx, rng, county, staff, [d for d in days if d.year > 2017], (low, high), visitor_rows, matter_rows, used)
    visitors = bulk.build_instances(HallVisitor, visitor_rows)
    bulk.bulk_insert(HallVisitor, visitors)
    bulk.bulk_audit(actor=None, action="hallvisitor.create", instances=visitors, created=True)
    rows = []
    for visitor_index, row in matter_rows:
        row["visitor_id"] = visitors[visitor_index].pk
        rows.append(row)
    matters = bulk.build_instances(Matter, rows)
    bulk.bulk_insert(Matter, matters)
    bulk.bulk_audit(actor=None, action="matter.create", instances=matters, created=True)
    recent = _seed_recent(ctx, rng, county, staff, counsellors, today)
    ctx.log(f"  一窗受理：{len(matters) + recent} 件事项，{len(visitors)} 位来访人，{len(counsellors)} 位心理咨询师")


def _seed_duty(ctx, rng, county, staff, today) -> None:
    units = []
    for name, kind, window, services_text in UNITS:
        units.append(services.duty_unit_create(actor=None, hall=county, data={
            "name": name, "kind": kind, "window": window, "services": services_text}))
    monday = today - dt.timedelta(days=today.weekday())
    rotating = [u for u in units if u.kind == c.DutyKind.ROTATING]
    invited = [u for u in units if u.kind == c.DutyKind.INVITED]
    for n in range(-7, 14):
        day = monday + dt.timedelta(days=n)
        if not is_workday(day):
            continue
        for unit in units:
            if unit.kind == c.DutyKind.RESIDENT:
                services.duty_slot_create(actor=None, unit=unit, date=day, person=ctx.name(rng))
        services.duty_slot_create(actor=None, unit=rotating[n % len(rotating)], date=day, person=ctx.name(rng))
        if day.weekday() in (1, 3):
            services.duty_slot_create(actor=None, unit=invited[(n // 2) % len(invited)], date=day,
                                      period=c.Period.AFTERNOON, person=ctx.name(rng))


def _seed_counsellors(ctx, county, staff) -> list[Counsellor]:
    made = []
    for name, org in (("郝心怡", "区心理咨询协会"), ("贺明远", "区精神卫生中心")):
        made.append(services.counsellor_create(actor=None, data={"jurisdiction": county, "name": name,
                                                                 "organisation": org}))
    user = User.objects.filter(username="counsellor").first()
    if user is not None:
        try:
            services.counsellor_update(actor=None, instance=made[0], data={"user": user})
        except ValidationError as exc:  # an account of a role that cannot read the appointments: left unlinked
            ctx.log(f"  心理咨询师账号未关联：{'；'.join(exc.messages)}")
    return made


def _seed_recent(ctx, rng, county, staff, counsellors, today) -> int:
    """The last two weeks through the services: matters routed to mediation, petitions and departments become
    real cases when those modules' services are there; the others are answered, referred or booked."""
    if staff is None:
        return 0
    villages = list(Node.objects.filter(path__startswith=county.path, level__in=[Level.VILLAGE, Level.COMMUNITY])
                    .order_by("code")[:60])
    made = 0
    for n in range(14, 0, -1):
        day = today - dt.timedelta(days=n)
        if not is_workday(day):
            continue
        for _ in range(rng.randint(1, 3)):
            category = _pick(rng, CATEGORY_SHARES)
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.randrange(60))))
            matter = services.matter_register(actor=staff, hall=county, data={
                "name": ctx.name(rng), "phone": ctx.phone(rng), "channel": c.Channel.VISIT,
                "window": f"{rng.randint(1, 5)}号窗口", "category": category,
                "topic": rng.choice(TOPICS[category]), "summary": f"{rng.choice(TOPICS[category])}，请求协调处理。",
                "registered_at": at})
            made += 1
            route = _route_for(rng, category)
            data = {"place": rng.choice(villages) if villages else None, "non_mediation_reason": "当事人不同意调解",
                    "unit": REFERRAL_UNITS.get(route, ""), "note": "已当场解释政策并告知办理渠道。"}
            if route == c.Route.PSYCH:
                start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=rng.randint(1, 10)),
                                                                dt.time(rng.choice([9, 10, 14, 15]))))
                data.update(counsellor=rng.choice(counsellors), starts_at=start)
            if route == c.Route.DEPARTMENT:
                from pingan.events.models import Category as EventCategory

                data["event_category"] = EventCategory.objects.filter(parent__isnull=False, is_active=True) \
                    .order_by("code").first()
            try:
                services.matter_route(actor=staff, matter=matter, route=route, data=data)
            except (ValidationError, PermissionDenied):  # a module not installed, a slot taken: it waits
                continue
    for appointment in counsellors[0].appointments.all()[:3] if counsellors else []:
        # Fake session notes (the counsellor's own record; audited as the system's write, values redacted).
        appointment.notes = rng.choice(NOTES)
        appointment.save(update_fields=["notes"])
        audit.record(actor=None, action="appointment.update", obj=appointment, changes={"notes": ["", "x"]})
    return made
