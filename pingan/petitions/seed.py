"""Demo petitions for 郊区: 2017 as the seed report says (45 上级交办 in a 省 and a 市 交办清单, all finished and
reported back; 25 积案, all 化解 or 稳控, each with a 包案领导, a plan and a 联席会议), ordinary local petitions
across 2017, the last twelve months at a plausible rate (some open, overdue, reviewed, a recent 市 list with
overdue items, group visits, one flagged 赴省进京, a petitioner coming back three times), leader reception days
twice a month, and the warnings of the rules.

The 2017 counts do not depend on the scale, so `manage.py stats --from 2017-01-01 --to 2017-12-31` gives
petitions.assigned 45 / assigned_resolved 45 / backlog 25 / backlog_resolved 25 on every demo. Deterministic per
--seed (apart from the recent dates, which follow today); idempotent (nothing is added once the district has
petitions); bulk through the case layer (`case_register_bulk`: one 演示数据 log row per petition).
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from pingan.accounts.models import User
from pingan.cases import engine
from pingan.core import personal
from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import choices as c
from .models import AssignedList, LeaderReception, Petition, Petitioner

S = c.PetitionState
ASSIGNED_2017 = [("province", "山西省信访局", "2017年省交办信访事项清单", dt.date(2017, 3, 6), dt.date(2017, 9, 30), 15),
                 ("city", "阳泉市信访工作联席会议办公室", "2017年市交办信访积案化解清单", dt.date(2017, 4, 10),
                  dt.date(2017, 11, 30), 30)]
BACKLOG_IN_LISTS = 10     # of the 45 assigned, these are also 积案
BACKLOG_LOCAL = 15        # 积案 of the district's own
LOCAL_2017 = 95
# 2016, the year before the report: a little more received (the report speaks of a steadily improving situation)
# and not yet all resolved — 52 交办 of which 4 went to the courts (转送, no result of the petition office) and 30
# 积案 of which 4 were answered (办结) without the petitioner settling. Everything of 2016 is closed.
ASSIGNED_2016 = [("province", "山西省信访局", "2016年省交办信访事项清单", dt.date(2016, 3, 14), dt.date(2016, 9, 30), 18),
                 ("city", "阳泉市信访工作联席会议办公室", "2016年市交办信访积案化解清单", dt.date(2016, 4, 18),
                  dt.date(2016, 11, 30), 34)]
ASSIGNED_2016_FORWARDED = 4
BACKLOG_2016_IN_LISTS = 12
BACKLOG_2016_LOCAL = 18
BACKLOG_2016_CONCLUDED = 4  # of the local 积案
LOCAL_2016 = 110
RECENT_PER_MONTH = 9
MATTERS = [
    ("征地拆迁", "反映{v}耕地被征收后征地补偿款未足额发放，要求按公布标准补足。"),
    ("劳资纠纷", "反映在{v}附近工地务工被拖欠工资，包工头失联，要求协调追讨。"),
    ("宅基地", "反映邻居翻建房屋占用其宅基地，村委会调解未果，要求确权。"),
    ("采煤沉陷", "反映{v}因井下采煤房屋开裂、地面沉陷，要求纳入沉陷区治理搬迁。"),
    ("物业管理", "反映小区物业服务差、电梯长期停运，要求更换物业公司。"),
    ("社会保障", "反映申请最低生活保障未获批准，认为村委会评议不公，要求重新评议。"),
    ("环境保护", "反映{v}附近企业粉尘、噪声扰民，要求停产整改。"),
    ("城乡建设", "反映所购住房交房后墙体开裂、屋顶漏水，开发商拒不维修。"),
    ("涉法涉诉", "反映对法院判决执行不到位，要求督促执行。"),
    ("农村土地", "反映土地承包经营权流转费用未按合同支付。"),
]
LEADERS = ["王志强", "赵建国", "刘振华", "陈卫东"]
DEPTS = "区信访局、区人社局、区自然资源局、区住建局、属地乡镇"


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=timezone.get_current_timezone())


class _Maker:
    def __init__(self, ctx, rng, villages, officer_of):
        self.ctx, self.rng, self.villages, self.officer_of = ctx, rng, villages, officer_of
        self.people: list[tuple[str, str]] = []
        self.petitioners: list[tuple[Petition, str, str]] = []

    def person(self, reuse: float = 0.0) -> tuple[str, str]:
        if self.people and self.rng.random() < reuse:
            return self.rng.choice(self.people)
        who = (self.ctx.name(self.rng), self.ctx.phone(self.rng))
        self.people.append(who)
        return who

    def make(self, registered: dt.date, state: str, *, source=c.Source.LOCAL, listed=None, backlog=False,
             head_count=1, person=None, today: dt.date | None = None) -> Petition:
        rng = self.rng
        village = rng.choice(self.villages)
        topic, text = rng.choice(MATTERS)
        name, phone = person or self.person()
        short = village.name.replace("村委会", "村").replace("社区居委会", "社区")
        p = Petition(jurisdiction=village, form=rng.choice([c.Form.VISIT, c.Form.VISIT, c.Form.LETTER, c.Form.ONLINE,
                                                            c.Form.CALL]),
                     registered_on=registered, petitioner_name=name, petition_type=c.PetitionType.APPEAL,
                     topic_text=topic, content=f"{short}{name}" + text.format(v=short),
                     head_count=head_count, is_group=head_count >= c.MAX_REPRESENTATIVES, source=source,
                     assigning_body=listed.assigning_body if listed else "", assigned_list=listed, state=state,
                     forward_due_on=registered + dt.timedelta(days=c.FORWARD_DAYS),
                     acknowledge_due_on=registered + dt.timedelta(days=c.ACKNOWLEDGE_DAYS),
                     reported_by=self.officer_of(village), is_backlog=backlog)
        if state == S.REGISTERED:
            p.state_changed_at = _at(registered)
        else:
            accepted = registered + dt.timedelta(days=rng.randint(1, 10))
            if today is not None and accepted > today:
                accepted = today
            p.accepted_on = accepted
            p.acknowledged_on = accepted
            p.handling_due_on = accepted + dt.timedelta(days=c.HANDLING_DAYS)
        if state in (S.REJECTED, S.FORWARDED):
            p.accepted_on = p.acknowledged_on = p.handling_due_on = None
            day = registered + dt.timedelta(days=rng.randint(3, 14))
            p.state_changed_at = p.closed_at = _at(day)
            if state == S.REJECTED:
                p.rejection_reason, p.rejected_on = c.RejectionReason.LEGAL_ROUTE, day
            else:
                p.forwarded_to, p.forwarded_on = "阳泉市中级人民法院", day
        if state in c.FINISHED_STATES:
            closed = p.accepted_on + dt.timedelta(days=rng.randint(15, 55))
            if today is not None and closed > today:
                closed = today
            p.opinion = rng.choice([c.Opinion.SUPPORT, c.Opinion.SUPPORT, c.Opinion.EXPLAIN])
            p.opinion_reasons = "经调查核实，诉求部分属实，依照有关政策作出处理。"
            p.reply_on = p.closed_on = closed
            p.sanwei_solved = p.sanwei_educated = True
            p.sanwei_assisted = rng.random() < 0.3
            p.result_note = {S.RESOLVED: "诉求已解决，信访人签字息诉罢访。", S.STABILISED: "已落实稳控措施，信访人情绪稳定。"}.get(
                state, "已书面答复信访人。")
            p.state_changed_at = p.closed_at = _at(closed)
            if state == S.REVIEWED:
                p.review_requested_on = closed + dt.timedelta(days=10)
                p.review_body = "区人民政府"
                p.review_decision = c.ReviewDecision.UPHOLD
                p.review_reasons = "原处理意见事实清楚，维持。"
                p.review_reply_on = p.review_requested_on + dt.timedelta(days=20)
                if today is not None and p.review_reply_on > today:
                    p.review_requested_on = p.review_reply_on = closed
                p.state_changed_at = p.closed_at = _at(p.review_reply_on)
        if backlog:
            p.lead_leader = self.rng.choice(LEADERS)
            p.resolution_plan = "包案领导牵头，属地乡镇和责任部门联合接访，逐户核实诉求，依法依规分类化解。"
            if state == S.RESOLVED:
                p.backlog_outcome = c.BacklogOutcome.RESOLVED
            elif state == S.STABILISED:
                p.backlog_outcome = c.BacklogOutcome.STABILISED
        self.petitioners.append((p, name, phone))
        return p


def _petitioner_rows(maker: _Maker) -> list[Petitioner]:
    rows = []
    for p, name, phone in maker.petitioners:
        rows.append(Petitioner(petition=p, name=name, phone_cipher=personal.encrypt(phone),
                               phone_hash=personal.lookup_hash(phone, namespace="phone"),
                               phone_masked=personal.mask_phone(phone), is_representative=p.head_count > 1,
                               address=p.jurisdiction.name))
    return rows


@seeder("petitions", order=75)
def seed_petitions(ctx: SeedContext) -> None:
    county = Node.objects.filter(code="140311").first()
    if county is None or ctx.structure_only:
        return
    # The hall (order 70) routes a few visitors to petitions first; the lists are this seed's own mark.
    if AssignedList.objects.filter(jurisdiction__path__startswith=county.path).exists() or \
            Petition.objects.filter(jurisdiction__path__startswith=county.path, hall_code="").exists():
        return
    villages = list(Node.objects.filter(path__startswith=county.path, level__in=[Level.VILLAGE, Level.COMMUNITY])
                    .select_related("parent").order_by("code"))
    staff = User.objects.filter(role="center_staff", scope=county).order_by("pk").first()
    if not villages or staff is None:
        return
    rng = ctx.fork("petitions")
    today = timezone.localdate()
    officers = {u.scope_id: u for u in User.objects.filter(role="township_officer").order_by("pk")}
    maker = _Maker(ctx, rng, villages, lambda v: officers.get(v.parent_id) or staff)
    finished = [S.CONCLUDED, S.RESOLVED, S.STABILISED]
    petitions: list[Petition] = []
    lists_2017 = []
    for level, body, title, received, deadline, count in ASSIGNED_2017:
        listed = AssignedList.objects.create(jurisdiction=county, title=title, assigning_body=body, level=level,
                                             received_on=received, deadline=deadline, created_by=staff,
                                             report_requirement="办结后十日内书面报告每件办理结果。")
        lists_2017.append(listed)
        for _ in range(count):
            day = received - dt.timedelta(days=rng.randint(0, 20))
            petitions.append(maker.make(day, rng.choice(finished), source=c.Source.ASSIGNED, listed=listed))
    for p in [p for p in petitions if p.source == c.Source.ASSIGNED][:BACKLOG_IN_LISTS]:
        p.state = S.RESOLVED if rng.random() < 0.7 else S.STABILISED
        p.is_backlog = True
    backlog = []
    for i in range(BACKLOG_LOCAL):
        day = dt.date(2017, 1, 5) + dt.timedelta(days=rng.randrange(300))
        backlog.append(maker.make(day, S.RESOLVED if i % 3 else S.STABILISED, backlog=True))
    for p in petitions[:BACKLOG_IN_LISTS]:  # re-make the backlog fields for the state just set
        p.lead_leader = rng.choice(LEADERS)
        p.resolution_plan = "包案领导牵头，属地乡镇和责任部门联合接访，逐户核实诉求，依法依规分类化解。"
        p.backlog_outcome = (c.BacklogOutcome.RESOLVED if p.state == S.RESOLVED else c.BacklogOutcome.STABILISED)
        p.result_note = "诉求已解决，信访人签字息诉罢访。" if p.state == S.RESOLVED else "已落实稳控措施，信访人情绪稳定。"
    petitions += backlog
    for _ in range(LOCAL_2017):
        day = dt.date(2017, 1, 2) + dt.timedelta(days=rng.randrange(360))
        state = rng.choices([S.CONCLUDED, S.RESOLVED, S.STABILISED, S.REVIEWED, S.REJECTED, S.FORWARDED],
                            [50, 25, 5, 4, 6, 5])[0]
        petitions.append(maker.make(day, state, head_count=rng.choice([1] * 12 + [3, 6])))
    # The last twelve months.
    recent_list = AssignedList.objects.create(
        jurisdiction=county, title=f"{today.year}年市交办信访事项清单", assigning_body="阳泉市信访局", level="city",
        received_on=today - dt.timedelta(days=80), deadline=today - dt.timedelta(days=10), created_by=staff,
        report_requirement="每月5日前报送办理进展，全部办结后书面报告。")
    comer = maker.person()
    for month_back in range(12):
        for k in range(RECENT_PER_MONTH):
            day = today - dt.timedelta(days=month_back * 30 + rng.randrange(1, 30))
            age = (today - day).days
            if age > 90:
                state = rng.choices([S.CONCLUDED, S.RESOLVED, S.STABILISED, S.REVIEWED, S.HANDLING, S.REJECTED],
                                    [55, 25, 5, 5, 5, 5])[0]
            elif age > 20:
                state = rng.choices([S.HANDLING, S.CONCLUDED, S.RESOLVED], [50, 35, 15])[0]
            else:
                state = rng.choices([S.REGISTERED, S.HANDLING], [45, 55])[0]
            listed = recent_list if month_back in (2, 3) and k < 3 else None
            petitions.append(maker.make(
                day, state, source=c.Source.ASSIGNED if listed else c.Source.LOCAL, listed=listed,
                backlog=month_back > 3 and k == 0 and state in (S.HANDLING, S.RESOLVED, S.STABILISED),
                head_count=rng.choice([1] * 14 + [5, 8]), person=maker.person(reuse=0.05), today=today))
    for back in (3, 12, 25):  # the same petitioner three times within 30 days
        petitions.append(maker.make(today - dt.timedelta(days=back), S.HANDLING if back > 3 else S.REGISTERED,
                                    person=comer, today=today))
    open_recent = [p for p in petitions[-40:] if p.state in (S.REGISTERED, S.HANDLING)]
    if open_recent:
        open_recent[0].heading_up = True
        open_recent[0].heading_up_note = "信访人称若月底前不解决将赴省上访。"
    # 2016 from its own random stream, so that 2017 and the last twelve months stay as they were.
    maker_2016 = _Maker(ctx, ctx.fork("petitions-2016"), villages, maker.officer_of)
    lists_2016, year_2016 = _year_2016(maker_2016, county, staff)
    petitions += year_2016
    maker.petitioners += maker_2016.petitioners
    with transaction.atomic():
        engine.case_register_bulk(actor=None, cases=petitions, action_label="演示数据", note="演示数据按台账写入当前状态",
                                  audit_action="petition.seed_state", day_of=lambda p: p.registered_on)
        Petitioner.objects.bulk_create(_petitioner_rows(maker), batch_size=2000)
    _report_lists(lists_2016 + lists_2017, staff)
    meetings = _joint_meetings(county, staff, [p for p in petitions if p.is_backlog and p.registered_on.year in (2016, 2017)])
    receptions = _receptions(rng, county, today, petitions)
    alerts = _warnings()
    year = [p for p in petitions if p.registered_on.year == 2017]
    ctx.log(f"  信访事项 {len(petitions)} 件（2016 年 {len(year_2016)} 件；2017 年 {len(year)} 件，其中交办 "
            f"{sum(1 for p in year if p.source == c.Source.ASSIGNED)} 件、积案 {sum(1 for p in year if p.is_backlog)} 件），"
            f"交办清单 {len(lists_2016) + len(lists_2017) + 1} 份，联席会议 {meetings} 次，领导接访 {receptions} 次，预警 {alerts} 条")


def _year_2016(maker: _Maker, county: Node, staff) -> tuple[list[AssignedList], list[Petition]]:
    """2016: the 省 and 市 lists (52 交办, 48 finished with a result, 4 转送 to the courts), 30 积案 (26 化解 or
    稳控, 4 办结 without the petitioner settling) and the district's own petitions; all closed."""
    rng = maker.rng
    finished = [S.CONCLUDED, S.RESOLVED, S.STABILISED]
    lists, petitions = [], []
    for level, body, title, received, deadline, count in ASSIGNED_2016:
        listed = AssignedList.objects.create(jurisdiction=county, title=title, assigning_body=body, level=level,
                                             received_on=received, deadline=deadline, created_by=staff,
                                             report_requirement="办结后十日内书面报告每件办理结果。")
        lists.append(listed)
        for _ in range(count):
            day = received - dt.timedelta(days=rng.randint(0, 20))
            petitions.append(maker.make(day, rng.choice(finished), source=c.Source.ASSIGNED, listed=listed))
    for i, p in enumerate(petitions[:BACKLOG_2016_IN_LISTS]):
        _make_backlog(rng, p, S.RESOLVED if i % 4 else S.STABILISED)
    for p in petitions[-ASSIGNED_2016_FORWARDED:]:  # 涉法涉诉: to the court, no result of the petition office
        p.state, p.opinion, p.opinion_reasons, p.reply_on, p.closed_on, p.result_note = S.FORWARDED, "", "", None, None, ""
        p.sanwei_solved = p.sanwei_educated = p.sanwei_assisted = False
        p.accepted_on = p.acknowledged_on = p.handling_due_on = None
        day = p.registered_on + dt.timedelta(days=rng.randint(3, 14))
        p.forwarded_to, p.forwarded_on = "阳泉市中级人民法院", day
        p.state_changed_at = p.closed_at = _at(day)
    for i in range(BACKLOG_2016_LOCAL):
        day = dt.date(2016, 1, 4) + dt.timedelta(days=rng.randrange(330))
        state = S.CONCLUDED if i < BACKLOG_2016_CONCLUDED else S.RESOLVED if i % 3 else S.STABILISED
        p = maker.make(day, state, backlog=True)
        if state == S.CONCLUDED:
            p.result_note = "已书面答复，信访人仍不息诉，落实包案领导继续做工作。"
        petitions.append(p)
    for _ in range(LOCAL_2016):
        day = dt.date(2016, 1, 4) + dt.timedelta(days=rng.randrange(360))
        state = rng.choices([S.CONCLUDED, S.RESOLVED, S.STABILISED, S.REVIEWED, S.REJECTED, S.FORWARDED],
                            [50, 22, 6, 5, 9, 8])[0]
        petitions.append(maker.make(day, state, head_count=rng.choice([1] * 11 + [3, 6, 9])))
    return lists, petitions


def _make_backlog(rng, p: Petition, state: str) -> None:
    p.state, p.is_backlog = state, True
    p.lead_leader = rng.choice(LEADERS)
    p.resolution_plan = "包案领导牵头，属地乡镇和责任部门联合接访，逐户核实诉求，依法依规分类化解。"
    p.backlog_outcome = c.BacklogOutcome.RESOLVED if state == S.RESOLVED else c.BacklogOutcome.STABILISED
    p.result_note = "诉求已解决，信访人签字息诉罢访。" if state == S.RESOLVED else "已落实稳控措施，信访人情绪稳定。"


def _report_lists(lists, staff) -> None:
    from .lists import list_report

    for listed in lists:
        items = list(listed.petitions.all())
        done = max(p.closed_on or timezone.localtime(p.closed_at).date() for p in items)
        forwarded = sum(1 for p in items if p.state == S.FORWARDED)
        text = (f"《{listed.title}》所列 {len(items)} 件信访事项已全部办结，逐件答复信访人，办理结果见附表。" if not forwarded
                else f"《{listed.title}》所列 {len(items)} 件信访事项，{len(items) - forwarded} 件已办结并答复信访人，"
                     "办理结果见附表。")
        list_report(actor=staff, assigned_list=listed, reported_on=max(done, listed.received_on) + dt.timedelta(days=5),
                    text=text, reason="属涉法涉诉事项，已依法转送人民法院处理。" if forwarded else "")


def _joint_meetings(county: Node, staff, backlog: list[Petition]) -> int:
    from pingan.disputes.choices import MeetingKind
    from pingan.disputes.meetings import meeting_create

    made = 0
    for p in backlog:
        held = (p.accepted_on or p.registered_on) + dt.timedelta(days=7)
        meeting = meeting_create(actor=staff, data={
            "jurisdiction": county, "kind": MeetingKind.JOINT, "held_on": held, "place": "区信访局三楼会议室",
            "chair": p.lead_leader, "attendees": DEPTS,
            "decisions": f"研究 {p.number} 化解方案：{p.lead_leader}包案，属地乡镇牵头、相关部门配合，限期化解。"})
        p.meetings.add(meeting)
        made += 1
    return made


def _receptions(rng, county: Node, today: dt.date, petitions: list[Petition]) -> int:
    """Reception days on the 10th and 25th of each month of 2016, 2017 and of the last twelve months (and the next
    two planned), some 约访 and 下访, each receiving the petitions registered in the days before."""
    leader = User.objects.filter(role="leader", scope=county).order_by("pk").first()
    days = [dt.date(year, m, d) for year in (2016, 2017) for m in range(1, 13) for d in (10, 25)]
    start = (today - dt.timedelta(days=365)).replace(day=1)
    month = start
    while month <= today + dt.timedelta(days=20):
        days += [month.replace(day=10), month.replace(day=25)]
        month = (month + dt.timedelta(days=32)).replace(day=1)
    by_day = sorted(petitions, key=lambda p: p.registered_on)
    rows = []
    links = []
    for i, day in enumerate(days):
        kind = [c.ReceptionKind.RECEPTION, c.ReceptionKind.RECEPTION, c.ReceptionKind.APPOINTMENT,
                c.ReceptionKind.VISIT_DOWN][i % 4]
        name = LEADERS[i % len(LEADERS)]
        received = [p for p in by_day if day - dt.timedelta(days=14) <= p.registered_on < day][:3] if day <= today else []
        rows.append(LeaderReception(
            jurisdiction=county, leader=leader if name == "王志强" else None, leader_name=name, held_on=day,
            place={c.ReceptionKind.VISIT_DOWN: "信访人所在村委会"}.get(kind, "区信访局接待大厅"),
            topic=rng.choice(["征地拆迁", "劳资纠纷", "涉法涉诉", "采煤沉陷", "综合"]), kind=kind,
            outcome="当场答复，交属地乡镇和责任部门限期办理。" if day <= today else ""))
        links.append(received)
    LeaderReception.objects.bulk_create(rows)
    through = LeaderReception.petitions.through
    through.objects.bulk_create([through(leaderreception_id=r.pk, petition_id=p.pk)
                                 for r, items in zip(rows, links) for p in items], ignore_conflicts=True)
    return len(rows)


def _warnings() -> int:
    try:
        from pingan.alerts.services import run_scan

        from .alerts import RULES
    except Exception:  # the alerts app is not installed
        return 0
    totals = run_scan(keys=list(RULES))
    return sum(t.get("raised", 0) for t in totals.values())
