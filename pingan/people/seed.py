"""Demo people: households, residents with valid ID numbers (GB 11643 check digits, real birth dates, region
codes of 郊区 and its neighbours), the six kinds of special population at realistic rates, visit history
with some visits overdue, the 200,000 元 fund and the 4 compulsory treatments of the seed report.

Written with bulk_create in batches (and one bulk audit entry per record) so that `--scale small` takes a
few seconds and `--scale district` (about 300,000 people) a few minutes. `--structure-only` creates none.
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from pingan.core import personal
from pingan.ledgers.spec import bulk_audit
from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import choices as c
from . import services
from .models import (
    AidsDetail, CorrectionDetail, DrugDetail, Fund, FundSpending, Household, MentalDetail, Person, ReleasedDetail,
    SpecialEnrollment, TreatmentEpisode, Visit, YouthDetail,
)

PEOPLE_PER_GRID = {"small": (1, 3), "district": (430, 570), "province": (40, 60)}
SMALL_FOCUS_TOWNSHIP = "140311101"  # 河底镇: the demo accounts' township gets a fuller registry at small scale
SMALL_FOCUS_PER_GRID = (30, 40)
HOME_REGIONS = ["140311"] * 14 + ["140302", "140303", "140321", "140322"]
FLOATING_REGIONS = ["140302", "140303", "140321", "140322", "140702", "130102", "410102", "150102", "140105"]
# Share of residents in each special kind (per person; the seed's district has ~1,200 severe mental disorders).
KIND_RATES = {c.SpecialKind.MENTAL: 0.0042, c.SpecialKind.RELEASED: 0.0030, c.SpecialKind.CORRECTION: 0.0006,
              c.SpecialKind.DRUG: 0.0012, c.SpecialKind.AIDS: 0.0002, c.SpecialKind.YOUTH: 0.0015}
SMALL_KIND_MINIMUM = {c.SpecialKind.MENTAL: 14, c.SpecialKind.RELEASED: 8, c.SpecialKind.CORRECTION: 4,
                      c.SpecialKind.DRUG: 5, c.SpecialKind.AIDS: 2, c.SpecialKind.YOUTH: 5}
STREETS = ["东街", "西街", "南街", "北街", "前街", "后街", "中街", "新村", "老村"]
OCCUPATIONS = ["农民", "个体经营", "煤矿工人", "教师", "司机", "退休", "学生", "务工", "无业", "公司职员"]
HOSPITALS = ["阳泉市第三人民医院", "阳泉市精神卫生中心", "山西省精神卫生中心"]
BATCH = 5000


def make_id(rng: random.Random, region: str, born: dt.date, sex: str) -> str:
    seq = rng.randrange(0, 100)
    digit = rng.randrange(0, 5) * 2 + (1 if sex == "1" else 0)
    first17 = f"{region}{born:%Y%m%d}{seq:02d}{digit}"
    return first17 + personal.check_char(first17)


def _birth(rng: random.Random, today: dt.date) -> dt.date:
    age = min(int(abs(rng.gauss(38, 20))), 95)
    return today - dt.timedelta(days=age * 365 + rng.randrange(365))


@seeder("people", order=40)
def seed_people(ctx: SeedContext) -> None:
    if ctx.structure_only:
        return
    county = Node.objects.filter(code="140311").first()
    if county is None or Person.objects.filter(jurisdiction__path__startswith=county.path).exists():
        return
    rng = ctx.fork("people")
    today = dt.date.today()
    grids = list(Node.objects.filter(path__startswith=county.path, level=Level.GRID).order_by("code"))
    low, high = PEOPLE_PER_GRID.get(ctx.scale, PEOPLE_PER_GRID["small"])
    used_hashes: set[str] = set()
    people_made = 0
    with transaction.atomic():
        for batch_grids in _chunks(grids, 40):
            people: list[Person] = []
            households: list[tuple[Household, list[int]]] = []
            for grid in batch_grids:
                lo, hi = (SMALL_FOCUS_PER_GRID if ctx.scale == "small" and grid.code.startswith(SMALL_FOCUS_TOWNSHIP)
                          else (low, high))
                target = rng.randint(lo, hi)
                made = 0
                house_no = 0
                while made < target:
                    house_no += 1
                    size = min(rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5]), target - made)
                    surname = ctx.name(rng)[0]
                    street = rng.choice(STREETS)
                    address = f"{grid.parent.short_name}{street}{rng.randint(1, 120)}号"
                    household = Household(jurisdiction=grid, number=f"{grid.code[-6:]}{house_no:04d}", address=address)
                    members: list[int] = []
                    for i in range(size):
                        person = _person(ctx, rng, grid, today, surname if i < 3 else None, address, used_hashes,
                                         head=i == 0)
                        members.append(len(people))
                        people.append(person)
                    households.append((household, members))
                    made += size
            Household.objects.bulk_create([h for h, _ in households], batch_size=BATCH)
            for household, members in households:
                for index in members:
                    people[index].household = household
            Person.objects.bulk_create(people, batch_size=BATCH)
            heads = []
            for household, members in households:
                household.head = people[members[0]]
                heads.append(household)
            Household.objects.bulk_update(heads, ["head"], batch_size=BATCH)
            bulk_audit(actor=None, action="person.seed", instances=people, created=True,
                       changes=[{"after": {"name": p.name, "id_masked": p.id_masked}} for p in people])
            people_made += len(people)
        special = _special(ctx, rng, county, today)
        special += _demo_grid(county, today)
    ctx.log(f"  实有人口 {people_made} 人，特殊人群 {special} 人次")


def _demo_grid(county: Node, today: dt.date) -> int:
    """The demo grid worker (wangge, 固庄村第一网格) has patients due this week, one of them overdue."""
    grid = Node.objects.filter(path__startswith=county.path, level=Level.GRID, parent__name="固庄村委会").order_by("code").first()
    if grid is None:
        return 0
    adults = Person.objects.filter(jurisdiction=grid, birth_date__lte=today - dt.timedelta(days=20 * 365)) \
        .exclude(enrollments__kind=c.SpecialKind.MENTAL).order_by("id")[:3]
    plans = [("1", 20), ("2", 12), ("0", 85)]  # due 6 days ago, in 2 days, in 5 days
    made = 0
    for person, (level, days_ago) in zip(adults, plans):
        enrollment = services.special_person_enroll(
            actor=None, person=person, kind=c.SpecialKind.MENTAL, enrolled_on=today - dt.timedelta(days=days_ago),
            risk_level=level, measures="监护人看护，按时服药", details={"diagnosis": c.MentalDiagnosis.SCHIZOPHRENIA,
                                                                     "treatment": c.MentalTreatment.CONTINUOUS},
            responsible_users=[grid.grid_worker] if grid.grid_worker_id else [])
        made += 1 if enrollment else 0
    return made


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _person(ctx, rng, grid, today, surname, address, used, head: bool) -> Person:
    roll = rng.random()
    person_type = (c.PersonType.FLOATING if roll < 0.10 else c.PersonType.LEFT_BEHIND if roll < 0.14
                   else c.PersonType.FOREIGN if roll < 0.1403 else c.PersonType.REGISTERED)
    sex = rng.choice("12")
    born = _birth(rng, today)
    if head and today.year - born.year < 20:
        born = born - dt.timedelta(days=25 * 365)
    name = ctx.name(rng)
    if surname:
        name = surname + name[1:]
    extra: dict = {}
    if person_type == c.PersonType.FOREIGN:
        number = f"E{rng.randrange(10**7, 10**8)}"
        doc_type = c.ForeignDocType.PASSPORT
        id_hash = personal.lookup_hash(f"{doc_type}:{number}", namespace="doc")
        extra.update(doc_type=doc_type, nationality=rng.choice(["韩国", "越南", "美国", "俄罗斯"]),
                     id_cipher=personal.encrypt(number), id_masked=personal.mask_id(number), id_tail=number[-4:])
    else:
        region = rng.choice(FLOATING_REGIONS if person_type == c.PersonType.FLOATING else HOME_REGIONS)
        while True:
            number = make_id(rng, region, born, sex)
            id_hash = personal.lookup_hash(number)
            if id_hash not in used:
                break
        extra.update(id_cipher=personal.encrypt(number), id_masked=personal.mask_id(number), id_tail=number[-4:])
    used.add(id_hash)
    if person_type == c.PersonType.FLOATING:
        extra.update(inflow_reason=rng.choice(["01", "01", "01", "02", "03", "04"]),
                     residence_permit=f"1403{rng.randrange(10**9, 10**10)}" if rng.random() < 0.6 else "")
    if person_type == c.PersonType.LEFT_BEHIND:
        age = today.year - born.year
        extra["left_behind_type"] = "03" if age < 16 else "01" if age >= 60 else "02"
    phone = ctx.phone(rng) if today.year - born.year >= 16 and rng.random() < 0.8 else ""
    return Person(
        jurisdiction=grid, name=name, sex=sex, birth_date=born, id_hash=id_hash, person_type=person_type,
        ethnicity="01" if rng.random() < 0.985 else rng.choice(["03", "11", "02"]),
        marital_status=("10" if today.year - born.year < 24 else rng.choice(["20", "20", "20", "40", "30"])),
        political_status=rng.choice(["13"] * 8 + ["01", "03"]), education=rng.choice(["60", "70", "70", "80", "30", "20"]),
        occupation=rng.choice(OCCUPATIONS), current_address=address,
        household_address=address if person_type != c.PersonType.FLOATING else "",
        relation=c.Relation.HEAD if head else rng.choice([c.Relation.SPOUSE, c.Relation.CHILD, c.Relation.CHILD,
                                                          c.Relation.PARENT]),
        phone_cipher=personal.encrypt(phone), phone_hash=personal.lookup_hash(phone, namespace="phone"),
        phone_masked=personal.mask_phone(phone), phone_tail=phone[-4:], registered_on=today - dt.timedelta(days=rng.randrange(30, 3000)),
        **extra)


def _special(ctx: SeedContext, rng: random.Random, county: Node, today: dt.date) -> int:
    """Enrol people in the six kinds, with their details, responsible grid worker and a visit history."""
    rules = services._rules()
    total = Person.objects.filter(jurisdiction__path__startswith=county.path).count()
    ids = list(Person.objects.filter(jurisdiction__path__startswith=county.path, person_type__in=[
        c.PersonType.REGISTERED, c.PersonType.FLOATING, c.PersonType.LEFT_BEHIND]).values_list(
        "pk", "jurisdiction_id", "birth_date", "jurisdiction__grid_worker_id", "jurisdiction__path"))
    workers = dict(Node.objects.filter(path__startswith=county.path, level=Level.GRID).values_list("pk", "grid_worker__full_name"))
    ids = [row[:4] for row in ids]
    focus_grids = set(Node.objects.filter(path__contains=f"/{SMALL_FOCUS_TOWNSHIP}/", level=Level.GRID).values_list("pk", flat=True))
    focus = [row for row in ids if row[1] in focus_grids] if ctx.scale == "small" else []
    enrollments: list[SpecialEnrollment] = []
    details: list = []
    responsible: list[tuple[int, int]] = []
    for kind, share in KIND_RATES.items():
        count = max(int(total * share), SMALL_KIND_MINIMUM[kind] if ctx.scale == "small" else 0)
        pool = focus if focus and len(focus) > count * 3 else ids
        for pk, grid_id, born, worker_id in rng.sample(pool, min(count, len(pool))):
            age = today.year - born.year if born else 40
            if kind == c.SpecialKind.YOUTH and age > 25:
                continue
            if kind != c.SpecialKind.YOUTH and age < 18:
                continue
            enrolled = today - dt.timedelta(days=rng.randrange(60, 2500))
            level = (rng.choices(["0", "1", "2", "3", "4", "5"], [55, 20, 12, 8, 4, 1])[0] if kind == c.SpecialKind.MENTAL
                     else rng.choices(["low", "medium", "high"], [60, 30, 10])[0])
            e = SpecialEnrollment(person_id=pk, jurisdiction_id=grid_id, kind=kind, enrolled_on=enrolled,
                                  risk_level=level, responsible_name=workers.get(grid_id) or "",
                                  measures=rng.choice(["定期走访，了解思想动态", "落实监护责任，按时服药", "帮助就业，联系技能培训",
                                                       "每月谈话教育", "联系社区医生随访"]))
            detail = _detail(rng, kind, enrolled, today)
            if kind == c.SpecialKind.RELEASED:
                e.planned_end_on = detail.release_date.replace(year=detail.release_date.year + 5) \
                    if not (detail.release_date.month == 2 and detail.release_date.day == 29) else None
            if kind == c.SpecialKind.CORRECTION:
                e.planned_end_on = detail.ends_on
            rule = rules.get((kind, level)) or rules.get((kind, ""))
            days = rule.effective_days if rule else 90
            # Most were visited on time; about 8% are overdue now.
            overdue = rng.random() < 0.08
            gap = rng.randrange(days + 1, days + 30) if overdue else rng.randrange(0, days)
            last = max(today - dt.timedelta(days=gap), enrolled)
            e.last_visit_on = last if last > enrolled else None
            e.next_visit_on = (e.last_visit_on or enrolled) + dt.timedelta(days=days) if e.is_active else None
            enrollments.append(e)
            details.append(detail)
            if worker_id:
                responsible.append((len(enrollments) - 1, worker_id))
    SpecialEnrollment.objects.bulk_create(enrollments, batch_size=BATCH, ignore_conflicts=False)
    for e, d in zip(enrollments, details):
        d.enrollment = e
    for model in (ReleasedDetail, CorrectionDetail, MentalDetail, DrugDetail, AidsDetail, YouthDetail):
        model.objects.bulk_create([d for d in details if isinstance(d, model)], batch_size=BATCH)
    through = SpecialEnrollment.responsible_users.through
    through.objects.bulk_create([through(specialenrollment_id=enrollments[i].pk, user_id=u) for i, u in responsible],
                                batch_size=BATCH)
    visits = []
    for e in enrollments:
        if e.last_visit_on:
            visits.append(Visit(enrollment=e, jurisdiction_id=e.jurisdiction_id, visited_on=e.last_visit_on,
                                visitor_name=e.responsible_name or "网格员", form=rng.choice(["home", "home", "phone", "appointment"]),
                                findings=rng.choice(["情绪稳定，按时服药。", "在家务农，生活正常。", "思想稳定，无异常。",
                                                     "监护人在家，配合随访。", "已落实帮扶措施。"]),
                                risk_before=e.risk_level, risk_after=e.risk_level, due_on=e.last_visit_on, on_time=True))
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    bulk_audit(actor=None, action="special_person.seed", instances=enrollments, created=True,
               changes=[{"after": {"kind": e.kind, "risk_level": e.risk_level}} for e in enrollments])
    _fund(rng, county, enrollments, today)
    return len(enrollments)


def _detail(rng: random.Random, kind: str, enrolled: dt.date, today: dt.date):
    if kind == c.SpecialKind.MENTAL:
        return MentalDetail(diagnosis=rng.choices(c.MentalDiagnosis.values[:6], [60, 5, 5, 15, 10, 5])[0],
                            guardian_name="家属", treatment=rng.choice(c.MentalTreatment.values),
                            help_note="纳入以奖代补" if rng.random() < 0.3 else "", reward_subsidy=rng.random() < 0.3)
    if kind == c.SpecialKind.RELEASED:
        released = enrolled - dt.timedelta(days=rng.randrange(0, 30))
        return ReleasedDetail(crime=rng.choice(["盗窃罪", "故意伤害罪", "诈骗罪", "寻衅滋事罪", "交通肇事罪"]),
                              sentence=f"{rng.randint(1, 8)}年", release_date=released,
                              assist_level=rng.choice(["general", "general", "key"]), handed_over=True,
                              settled=rng.random() < 0.8)
    if kind == c.SpecialKind.CORRECTION:
        start = enrolled
        return CorrectionDetail(category=rng.choices(c.CorrectionCategory.values, [5, 80, 12, 3])[0],
                                judgment_on=start - dt.timedelta(days=rng.randrange(3, 15)), reported_on=start,
                                starts_on=start, ends_on=start + dt.timedelta(days=rng.randrange(365, 1800)),
                                history_drug=rng.random() < 0.05, group_members="司法所工作人员、村干部、家属")
    if kind == c.SpecialKind.DRUG:
        return DrugDetail(control_status=rng.choices(c.DrugControl.values, [60, 3, 2, 1, 20, 14])[0],
                          first_found_on=enrolled, drug_type=rng.choice(["海洛因", "冰毒", "氯胺酮"]))
    if kind == c.SpecialKind.AIDS:
        return AidsDetail(route=rng.choice(c.AidsRoute.values), attention=rng.choice(c.AidsAttention.values),
                          care=c.AidsCare.TREATED)
    return YouthDetail(youth_type=rng.choice(c.YouthType.values[:5]), guardian_name="父母",
                       help_means=rng.choice(["学业帮扶", "技能培训", "心理辅导", "结对帮扶"]))


def _fund(rng: random.Random, county: Node, enrollments: list[SpecialEnrollment], today: dt.date) -> None:
    """The seed report: a 200,000 元 fund for severe mental disorders and 4 patients sent for treatment."""
    fund = Fund.objects.create(jurisdiction=county, name="严重精神障碍患者救治救助资金", year=today.year, amount=Decimal("200000"))
    # The four riskiest patients (risk level 5 down, then the register's order): four at every scale, as the
    # report says, even when a small register has fewer than four at level 3 or above.
    mental = [e for e in enrollments if e.kind == c.SpecialKind.MENTAL]
    severe = sorted(mental, key=lambda e: (-int(e.risk_level) if str(e.risk_level).isdigit() else 0, e.pk))[:4]
    for e in severe:
        started = today - dt.timedelta(days=rng.randrange(20, 200))
        episode = TreatmentEpisode.objects.create(enrollment=e, jurisdiction_id=e.jurisdiction_id, compulsory=True,
                                                  hospital=rng.choice(HOSPITALS), started_on=started,
                                                  ended_on=started + dt.timedelta(days=rng.randrange(20, 60)),
                                                  reason="肇事肇祸风险，经评估送治")
        FundSpending.objects.create(fund=fund, enrollment=e, jurisdiction_id=e.jurisdiction_id, episode=episode,
                                    spent_on=episode.ended_on if episode.ended_on <= today else today,
                                    amount=Decimal(rng.randrange(8000, 20000)), purpose="住院治疗费用救助")
