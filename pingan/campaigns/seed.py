"""Demo campaigns: the district's "村霸" 整治 from April 2017 (the seed report) with its clues — most closed,
some still with the police, some 查否 — and a 扫黑除恶 campaign in the last twelve months with open clues and
some existing hazards and events tagged to it. The same at every scale (a district's campaigns)."""
from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from pingan.accounts.models import Department
from pingan.cases import engine
from pingan.core import audit
from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.geo.models import Node

from .choices import DISCIPLINE, POLICE, CampaignKind, CampaignStatus, ClueSource, ClueState
from .models import Campaign, CampaignTag, Clue
from .services import taggable_models

COUNTY = "140311"
SUMMARIES = ["村委会主任亲属强揽村内工程，威胁其他施工队", "有人在村道设卡向运煤车辆收取“过路费”",
             "村民反映某人长期霸占集体土地，拒不交还", "有人纠集人员在集市强买强卖", "举报某村干部操纵选举、贿选",
             "有人以暴力威胁阻挠土地流转", "反映某人放高利贷并暴力催收", "有人垄断砂石运输，排挤其他车辆"]
RESULTS = ["已立案侦查，涉案人员被依法刑事拘留", "已给予治安管理处罚", "已移送检察机关审查起诉",
           "涉事村干部已被免职并立案审查"]


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@seeder("campaigns", order=65)
def seed_campaigns(ctx: SeedContext) -> None:
    if ctx.structure_only:
        return
    county = Node.objects.filter(code=COUNTY).first()
    if county is None or Campaign.objects.filter(jurisdiction__path__startswith=county.path).exists():
        return
    rng = ctx.fork("campaigns")
    villages = list(Node.objects.filter(path__startswith=county.path, level__in=["village", "community"])
                    .order_by("code"))
    if not villages:
        return
    departments = list(Department.objects.filter(jurisdiction__path__startswith=county.path))
    police = [d for d in departments if d.category == POLICE] or [None]
    discipline = next((d for d in departments if d.category == DISCIPLINE), None)
    if discipline is None:
        discipline = Department.objects.create(jurisdiction=county, name="区纪委监委", category=DISCIPLINE)
        audit.record(actor=None, action="department.create", obj=discipline, detail="演示数据")
    lead = next((d for d in police if d and d.name == "区公安分局"), police[0])
    today = timezone.localdate()
    with transaction.atomic():
        bully = Campaign.objects.create(
            name="“村霸”问题专项整治", kind=CampaignKind.VILLAGE_BULLY, jurisdiction=county,
            start_on=dt.date(2017, 4, 1), end_on=dt.date(2017, 12, 31), lead_department=lead,
            goals="全面摸排“村霸”及宗族恶势力线索，依法打击，净化农村基层政治生态。", status=CampaignStatus.ENDED)
        sweep = Campaign.objects.create(
            name="扫黑除恶专项斗争", kind=CampaignKind.CRIME_AND_EVIL, jurisdiction=county,
            start_on=today - dt.timedelta(days=300), lead_department=lead,
            goals="深挖涉黑涉恶线索，打伞破网，依法严惩。", status=CampaignStatus.ONGOING)
        for campaign in (bully, sweep):
            audit.record(actor=None, action="campaign.create", obj=campaign, detail="演示数据")
        clues = []
        # 村霸: 24 clues from April to November 2017: 12 closed after the police, 4 closed after 纪检监察, 5 查否,
        # 3 still with the police (history: the campaign ended, the cases run on).
        plan = ["closed_police"] * 12 + ["closed_discipline"] * 4 + ["unfounded"] * 5 + ["handed_police"] * 3
        rng.shuffle(plan)
        for i, outcome in enumerate(plan):
            received = dt.date(2017, 4, 1) + dt.timedelta(days=rng.randrange(0, 230))
            clues.append(_clue(rng, bully, villages, received, outcome, police, discipline))
        # 扫黑除恶: 16 clues in the last ten months, more of them still open.
        plan = ["closed_police"] * 4 + ["unfounded"] * 3 + ["handed_police"] * 4 + ["handed_discipline"] * 1 + \
            ["verifying"] * 3 + ["received"] * 1
        rng.shuffle(plan)
        for outcome in plan:
            received = today - dt.timedelta(days=rng.randrange(3, 290))
            clues.append(_clue(rng, sweep, villages, received, outcome, police, discipline))
        engine.case_register_bulk(actor=None, cases=clues, action_label="演示数据", note="演示数据按台账写入当前状态",
                                  audit_action="clue.seed_state", day_of=lambda c: c.received_on)
        tagged = 0
        for model in taggable_models():
            if model._meta.label_lower not in ("hazards.hazard", "events.event"):
                continue
            qs = model.objects.filter(jurisdiction__path__startswith=county.path)
            if model._meta.label_lower == "hazards.hazard":
                qs = qs.filter(hazard_type__in=["02", "03"])
            picked = list(qs.order_by("pk")[:8])
            ct = ContentType.objects.get_for_model(model)
            for obj in picked:
                tag = CampaignTag.objects.create(campaign=sweep, content_type=ct, object_id=obj.pk,
                                                 jurisdiction=obj.jurisdiction)
                audit.record(actor=None, action="campaigntag.create", obj=tag, detail=f"演示数据：{obj} 加入专项行动")
                tagged += 1
    ctx.log(f"  专项行动 2 项，线索 {len(clues)} 条，关联事项 {tagged} 件")


def _clue(rng, campaign, villages, received, outcome, police, discipline) -> Clue:
    """A clue in its current state, with the fields that state carries (the bulk registration gives it its
    number, due moment, audit entry and 演示数据 log line)."""
    village = rng.choice(villages)
    anonymous = rng.random() < 0.3
    clue = Clue(campaign=campaign, jurisdiction=village, received_on=received,
                source=rng.choice([ClueSource.PUBLIC_REPORT] * 3 + [ClueSource.GRID_SCREENING,
                                                                   ClueSource.DEPARTMENT_REFERRAL]),
                anonymous=anonymous, summary=rng.choice(SUMMARIES), involved=rng.choice(["某甲", "某乙等3人", "某丙"]),
                reporter_name="" if anonymous else rng.choice(["王", "李", "张", "赵"]) + rng.choice(["某", "先生"]),
                state=ClueState.RECEIVED, state_changed_at=_start(received))
    today = timezone.localdate()
    if outcome == "received":
        return clue
    clue.verification_note = "经初步核查，线索反映的问题基本属实。" if outcome != "unfounded" else "已组织核查。"
    verified = min(received + dt.timedelta(days=rng.randrange(2, 10)), today)
    clue.state, clue.state_changed_at = ClueState.VERIFYING, _start(verified)
    if outcome == "verifying":
        return clue
    if outcome == "unfounded":
        done = min(verified + dt.timedelta(days=rng.randrange(3, 12)), today)
        clue.state, clue.unfounded_reason, clue.closed_on = ClueState.UNFOUNDED, "经核查，反映问题不属实。", done
        clue.state_changed_at = clue.closed_at = _start(done)
        return clue
    to_discipline = outcome.endswith("discipline")
    clue.handed_to_department = discipline if to_discipline else rng.choice(police)
    clue.handed_on = min(verified + dt.timedelta(days=rng.randrange(1, 8)), today)
    clue.state = ClueState.HANDED_DISCIPLINE if to_discipline else ClueState.HANDED_POLICE
    clue.state_changed_at = _start(clue.handed_on)
    if outcome.startswith("closed"):
        done = min(clue.handed_on + dt.timedelta(days=rng.randrange(10, 40)), today)
        clue.state, clue.result, clue.closed_on = ClueState.CLOSED, rng.choice(RESULTS), done
        clue.state_changed_at = clue.closed_at = _start(done)
    return clue
