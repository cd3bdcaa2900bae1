"""Demo people: households, residents with valid ID numbers (GB 11643 check digits, real birth dates, region
codes of 郊区 and its neighbours), the six kinds of special population at realistic rates, visit history
with some visits overdue, the 200,000 元 fund and the 4 compulsory treatments of the seed report.

The register has a past, so that 2016 and 2017 (the seed report's years) have plausible figures: residents
registered (登记日期) mostly before 2016, some in 2016, 2017 and since, a few deregistered; enrolments under
management today (列管日期 of the lasting kinds mostly before 2016) and enrolments that ended before today
(帮教 and 矫正 periods over, 重点青少年 aged out, 吸毒 released, patients moved away), each kind with at least
one under management through 2016 and 2017; visits of 2016 and 2017 at each kind's interval and of the last
twelve months. The 2017 fund of 200,000 元 paid for the 4 patients sent for compulsory treatment in 2017 (the
report's "去年…落实了20万元的收治养护资金", "已将4名…强制送医治疗"); this year's fund and the same four sent
again recently.

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
# The register's history: residents registered from 2008, enrolments from 2010; the demo's reports tell 2016 and
# 2017 (visits at each kind's interval) and the last twelve months.
REGISTER_START, ENROL_START = dt.date(2008, 1, 1), dt.date(2010, 1, 1)
STORY_START, STORY_END = dt.date(2016, 1, 1), dt.date(2018, 1, 1)
DEREGISTERED_SHARE = 0.04
# Enrolments ended before today, per enrolment under management today: 帮教 lasts five years and 矫正 one to
# five, so their past is several times today's number; 重点青少年 age out; 吸毒 are released after three years.
ENDED_SHARE = {c.SpecialKind.MENTAL: 0.15, c.SpecialKind.RELEASED: 2.1, c.SpecialKind.CORRECTION: 4.0,
               c.SpecialKind.DRUG: 0.6, c.SpecialKind.AIDS: 0.15, c.SpecialKind.YOUTH: 2.0}
ON_TIME = {2016: 0.88, 2017: 0.94}
FINDINGS = ["情绪稳定，按时服药。", "在家务农，生活正常。", "思想稳定，无异常。", "监护人在家，配合随访。", "已落实帮扶措施。"]


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
    adults = Person.objects.filter(jurisdiction=grid, birth_date__lte=today - dt.timedelta(days=20 * 365),
                                   deregistered_on__isnull=True) \
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
    registered, deregistered = _registration(rng, born, today)
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
        phone_masked=personal.mask_phone(phone), phone_tail=phone[-4:], registered_on=registered,
        deregistered_on=deregistered, **extra)


def _registration(rng: random.Random, born: dt.date, today: dt.date) -> tuple[dt.date, dt.date | None]:
    """登记 and 注销 dates: most residents were registered before 2016 (the register was built from 2008), some in
    2016, 2017 and since; a few of those registered before 2018 have been deregistered (moved away, died)."""
    roll = rng.random()
    first, last = next((a, b) for share, a, b in _registration_windows(today) if roll < share)
    registered = min(max(_between(rng, first, last), born), today)
    deregistered = None
    if registered < STORY_END and rng.random() < DEREGISTERED_SHARE:
        deregistered = _between(rng, registered + dt.timedelta(days=365), today - dt.timedelta(days=30))
    return registered, deregistered


def _registration_windows(today: dt.date):
    return [(0.80, REGISTER_START, dt.date(2015, 12, 31)), (0.85, dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
            (0.90, dt.date(2017, 1, 1), STORY_END - dt.timedelta(days=1)),
            (1.01, STORY_END, today - dt.timedelta(days=30))]


def _between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day from first to last (both included); first when the range is empty."""
    return first + dt.timedelta(days=rng.randrange(max((last - first).days, 0) + 1))


def _years_after(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years) if (day.month, day.day) != (2, 29) else dt.date(day.year + years, 2, 28)


def _eligible(kind: str, age: int, ended: bool) -> bool:
    """Who can be in a kind today (current) or have been in it in 2016–2017 (ended: at least nine years older)."""
    if kind == c.SpecialKind.YOUTH:
        return 26 <= age <= 34 if ended else 8 <= age <= 25
    return age >= 27 if ended else age >= 18


def _enrolled_current(rng: random.Random, kind: str, born: dt.date, registered: dt.date, today: dt.date,
                      early: bool = False) -> dt.date:
    """列管日期 of an enrolment under management today. 刑满释放 and 社区矫正 are recent by nature (five-year 帮教,
    one- to five-year 矫正); the lasting kinds mostly go back before 2016, some were added in 2016, 2017 and since."""
    if kind == c.SpecialKind.RELEASED:
        day = today - dt.timedelta(days=rng.randrange(60, 1800))
    elif kind == c.SpecialKind.CORRECTION:
        day = today - dt.timedelta(days=rng.randrange(60, 1000))
    elif kind == c.SpecialKind.YOUTH:
        day = max(today - dt.timedelta(days=rng.randrange(60, 2200)), _years_after(born, 10))
    else:  # `early`: the first of each kind was there before 2016 (so that every kind has a 2016 and a 2017)
        roll = 0.0 if early else rng.random()
        first, last = next((a, b) for share, a, b in [
            (0.62, ENROL_START, dt.date(2015, 12, 31)), (0.69, dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
            (0.76, dt.date(2017, 1, 1), STORY_END - dt.timedelta(days=1)),
            (1.01, STORY_END, today - dt.timedelta(days=60))] if roll < share)
        day = max(_between(rng, first, last), _years_after(born, 18))
    return min(max(day, registered), today - dt.timedelta(days=14))


def _enrolled_ended(rng: random.Random, kind: str, born: dt.date, registered: dt.date,
                    today: dt.date) -> tuple[dt.date, dt.date]:
    """列管日期 and end (解除列管 or 期满) of an enrolment that ended before today: the register's past, so that
    2016 and 2017 have about as many under management as today."""
    latest = today - dt.timedelta(days=60)
    if kind == c.SpecialKind.RELEASED:  # five years of 帮教 from release (the release is up to 30 days earlier)
        start = min(max(_between(rng, dt.date(2011, 6, 1), today - dt.timedelta(days=1830)), registered),
                    today - dt.timedelta(days=1830))
        return start, start  # the end is the detail's release date + 5 years (set by the caller)
    if kind == c.SpecialKind.CORRECTION:
        start = _between(rng, dt.date(2011, 1, 1), today - dt.timedelta(days=800))
        return start, start + dt.timedelta(days=rng.randrange(365, min(1800, (latest - start).days)))
    if kind == c.SpecialKind.YOUTH:
        start = _between(rng, max(_years_after(born, 12), ENROL_START), min(_years_after(born, 23), STORY_END))
        end = min(start + dt.timedelta(days=rng.randrange(365, 5 * 365)), _years_after(born, 26), latest)
    elif kind == c.SpecialKind.DRUG:  # 解除 after three years without relapse, or later
        start = _between(rng, ENROL_START, dt.date(2021, 12, 31))
        end = min(start + dt.timedelta(days=rng.randrange(3 * 365, 6 * 365)), latest)
    else:  # 严重精神障碍, 艾滋病: moved away or died
        start = _between(rng, ENROL_START, dt.date(2020, 12, 31))
        end = _between(rng, start + dt.timedelta(days=365), latest)
    start = max(start, min(registered, end - dt.timedelta(days=200)))
    return start, max(end, start + dt.timedelta(days=90))


def _early_first(kind: str, rows: list, pool: list) -> list:
    """Put first a person registered before 2014 (and adult by then, but for 重点青少年): the one whose
    enrolment spans 2016 and 2017. From the sample if one is there, else the pool's first in place of the
    sample's first."""
    def early(row) -> bool:
        born = row[2] or dt.date(1980, 1, 1)
        return row[4] < dt.date(2014, 1, 1) and (kind == c.SpecialKind.YOUTH or _years_after(born, 18) < ENROL_START)

    if not rows:
        return rows
    for i, row in enumerate(rows):
        if early(row):
            return [row] + rows[:i] + rows[i + 1:]
    chosen = {row[0] for row in rows}
    substitute = next((row for row in pool if early(row) and row[0] not in chosen), None)
    return [substitute] + rows[1:] if substitute else rows


def _spanning(rng: random.Random, kind: str, born: dt.date) -> tuple[dt.date, dt.date]:
    """An ended enrolment under management through 2016 and 2017 (the first ended one of each kind)."""
    if kind == c.SpecialKind.CORRECTION:
        start = _between(rng, dt.date(2015, 9, 1), dt.date(2016, 6, 30))
        return start, start + dt.timedelta(days=rng.randrange(900, 1300))
    start = _between(rng, dt.date(2014, 1, 1), dt.date(2016, 6, 30))
    if kind == c.SpecialKind.RELEASED:
        return start, start  # the end is the release date + 5 years
    end = _between(rng, dt.date(2018, 3, 1), dt.date(2021, 12, 31))
    if kind == c.SpecialKind.YOUTH:  # aged out at 26 (the ended ones are 26 to 34 today)
        end = max(min(end, _years_after(born, 26)), dt.date(2018, 1, 2))
    return start, end


def _special(ctx: SeedContext, rng: random.Random, county: Node, today: dt.date) -> int:
    """Enrol people in the six kinds, with their details, responsible grid worker and a visit history: those
    under management today (about the kinds' rates) and those whose management ended before today (the
    register's past), so that the end of 2016 and of 2017 have about as many under management as today."""
    rules = services._rules()
    total = Person.objects.filter(jurisdiction__path__startswith=county.path).count()
    ids = list(Person.objects.filter(jurisdiction__path__startswith=county.path, deregistered_on__isnull=True,
                                     person_type__in=[c.PersonType.REGISTERED, c.PersonType.FLOATING,
                                                      c.PersonType.LEFT_BEHIND]).order_by("pk").values_list(
        "pk", "jurisdiction_id", "birth_date", "jurisdiction__grid_worker_id", "registered_on"))
    workers = dict(Node.objects.filter(path__startswith=county.path, level=Level.GRID).values_list("pk", "grid_worker__full_name"))
    focus_grids = set(Node.objects.filter(path__contains=f"/{SMALL_FOCUS_TOWNSHIP}/", level=Level.GRID).values_list("pk", flat=True))
    focus = [row for row in ids if row[1] in focus_grids] if ctx.scale == "small" else []
    enrollments: list[SpecialEnrollment] = []
    ends: list[dt.date | None] = []  # the end of each enrolment that ended before today
    details: list = []
    responsible: list[tuple[int, int]] = []
    for kind, share in KIND_RATES.items():
        count = max(int(total * share), SMALL_KIND_MINIMUM[kind] if ctx.scale == "small" else 0)
        ended_count = int(count * ENDED_SHARE[kind] + 0.5)
        for ended in (False, True):
            wanted = ended_count if ended else count
            candidates = [row for row in ids if _eligible(kind, _age(row[2], today), ended)]
            focused = [row for row in focus if _eligible(kind, _age(row[2], today), ended)]
            pool = focused if focused and len(focused) > wanted * 3 else candidates
            taken = {e.person_id for e in enrollments if e.kind == kind}
            pool = [row for row in pool if row[0] not in taken]
            sampled = _early_first(kind, rng.sample(pool, min(wanted, len(pool))), pool)
            for index, (pk, grid_id, born, worker_id, registered) in enumerate(sampled):
                born = born or dt.date(1980, 1, 1)
                if ended:
                    enrolled, end = (_spanning(rng, kind, born) if index == 0 else
                                     _enrolled_ended(rng, kind, born, registered, today))
                else:
                    enrolled, end = _enrolled_current(rng, kind, born, registered, today, early=index == 0), None
                level = (rng.choices(["0", "1", "2", "3", "4", "5"], [55, 20, 12, 8, 4, 1])[0] if kind == c.SpecialKind.MENTAL
                         else rng.choices(["low", "medium", "high"], [60, 30, 10])[0])
                e = SpecialEnrollment(person_id=pk, jurisdiction_id=grid_id, kind=kind, enrolled_on=enrolled,
                                      risk_level=level, responsible_name=workers.get(grid_id) or "",
                                      measures=rng.choice(["定期走访，了解思想动态", "落实监护责任，按时服药", "帮助就业，联系技能培训",
                                                           "每月谈话教育", "联系社区医生随访"]))
                detail = _detail(rng, kind, enrolled, today)
                if kind == c.SpecialKind.RELEASED:
                    e.planned_end_on = _years_after(detail.release_date, 5)
                    end = e.planned_end_on if ended else None
                elif kind == c.SpecialKind.CORRECTION:
                    if ended:
                        detail.ends_on = end
                        detail.end_type = c.CorrectionEnd.EXPIRED
                    e.planned_end_on = detail.ends_on
                elif ended:
                    e.released_on = end
                enrollments.append(e)
                ends.append(end)
                details.append(detail)
                if worker_id and not ended:
                    responsible.append((len(enrollments) - 1, worker_id))
    severe = _severe_four(enrollments, ends, ids)
    visits: list[Visit] = []
    for e, end in zip(enrollments, ends):
        rule = rules.get((e.kind, e.risk_level)) or rules.get((e.kind, ""))
        days = rule.effective_days if rule else 90
        own = _story_visits(rng, e, end, days)
        if end is not None and end > STORY_END:  # the visit before the management ended
            closing = max(end - dt.timedelta(days=rng.randrange(1, 20)), e.enrolled_on)
            own.append(_visit(rng, e, closing, closing))
        visits += own
        if end is not None:
            e.last_visit_on = own[-1].visited_on if own else None
            e.next_visit_on = None
            continue
        # Under management today: most were visited on time; about 8% are overdue now.
        overdue = rng.random() < 0.08
        gap = rng.randrange(days + 1, days + 30) if overdue else rng.randrange(0, days)
        last = max(today - dt.timedelta(days=gap), e.enrolled_on)
        e.last_visit_on = last if last > e.enrolled_on else None
        e.next_visit_on = (e.last_visit_on or e.enrolled_on) + dt.timedelta(days=days) if e.is_active else None
        if e.last_visit_on:
            visits += _recent_visits(rng, e, days, today)
    SpecialEnrollment.objects.bulk_create(enrollments, batch_size=BATCH, ignore_conflicts=False)
    for e, d in zip(enrollments, details):
        d.enrollment = e
    for model in (ReleasedDetail, CorrectionDetail, MentalDetail, DrugDetail, AidsDetail, YouthDetail):
        model.objects.bulk_create([d for d in details if isinstance(d, model)], batch_size=BATCH)
    through = SpecialEnrollment.responsible_users.through
    through.objects.bulk_create([through(specialenrollment_id=enrollments[i].pk, user_id=u) for i, u in responsible],
                                batch_size=BATCH)
    for v in visits:
        v.enrollment_id = v.enrollment.pk
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    bulk_audit(actor=None, action="special_person.seed", instances=enrollments, created=True,
               changes=[{"after": {"kind": e.kind, "risk_level": e.risk_level}} for e in enrollments])
    _fund(rng, county, severe, today)
    return len(enrollments)


def _age(born: dt.date | None, today: dt.date) -> int:
    return today.year - born.year if born else 40


def _severe_four(enrollments: list[SpecialEnrollment], ends: list, ids: list) -> list[SpecialEnrollment]:
    """The four riskiest severe-mental-disorder patients under management today (risk level 5 down, then the
    register's order) among those registered and adult before 2016: the four sent for treatment in 2017 and
    again this year. Four at every scale, even when a small register has fewer than four at level 3 or above;
    each is under management from before 2017 (an enrolment added later is moved back into 2016)."""
    rows = {row[0]: row for row in ids}

    def before_2016(e: SpecialEnrollment) -> bool:
        _pk, _grid, born, _worker, registered = rows[e.person_id]
        return registered < STORY_START and (born is None or _years_after(born, 18) < STORY_START)

    mental = [(i, e) for i, (e, end) in enumerate(zip(enrollments, ends)) if e.kind == c.SpecialKind.MENTAL and end is None]
    mental.sort(key=lambda pair: (not before_2016(pair[1]),
                                  -int(pair[1].risk_level) if str(pair[1].risk_level).isdigit() else 0, pair[0]))
    four = [e for _i, e in mental[:4]]
    for e in four:
        if e.enrolled_on >= dt.date(2016, 12, 1):
            e.enrolled_on = max(dt.date(2016, 6, 1), rows[e.person_id][4])
    return four


def _visit(rng: random.Random, e: SpecialEnrollment, visited: dt.date, due: dt.date) -> Visit:
    return Visit(enrollment=e, jurisdiction_id=e.jurisdiction_id, visited_on=visited,
                 visitor_name=e.responsible_name or "网格员", form=rng.choice(["home", "home", "phone", "appointment"]),
                 findings=rng.choice(FINDINGS), risk_before=e.risk_level, risk_after=e.risk_level, due_on=due,
                 on_time=visited <= due)


def _story_visits(rng: random.Random, e: SpecialEnrollment, end: dt.date | None, days: int) -> list[Visit]:
    """The visits of 2016 and 2017 (the years the demo's reports tell) at the kind's interval: most on time
    (88% in 2016, 94% in 2017), the others a few days late."""
    stop = min(end or STORY_END, STORY_END)
    planned = e.enrolled_on + dt.timedelta(days=days)
    if e.enrolled_on < STORY_START:
        planned = STORY_START + dt.timedelta(days=rng.randrange(days))
    out = []
    while planned < stop:
        if rng.random() < ON_TIME.get(planned.year, 0.9):
            visited = max(planned - dt.timedelta(days=rng.randrange(0, min(4, days // 3 + 1))), e.enrolled_on)
        else:
            visited = planned + dt.timedelta(days=rng.randrange(1, 12))
        if visited >= stop:
            break
        out.append(_visit(rng, e, visited, planned))
        planned = visited + dt.timedelta(days=days)
    return out


def _recent_visits(rng: random.Random, e: SpecialEnrollment, days: int, today: dt.date) -> list[Visit]:
    """The last twelve months' visits up to the last one (the plan follows the last; about 5% were late)."""
    out = [_visit(rng, e, e.last_visit_on, e.last_visit_on)]
    visited = e.last_visit_on
    while True:
        visited = visited - dt.timedelta(days=days + rng.randrange(-2, 3))
        if visited <= max(e.enrolled_on, today - dt.timedelta(days=365)):
            break
        late = rng.random() < 0.05
        out.append(_visit(rng, e, visited, visited - dt.timedelta(days=rng.randrange(1, 8)) if late else visited))
    return out


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


def _fund(rng: random.Random, county: Node, severe: list[SpecialEnrollment], today: dt.date) -> None:
    """The seed report (2017): a 200,000 元 fund for severe mental disorders and the 4 patients sent for
    treatment that year; this year's fund and the same four sent again in the last 200 days."""
    name = "严重精神障碍患者救治救助资金"
    for year, first_day, last_day in ((2017, dt.date(2017, 3, 1), dt.date(2017, 10, 31)),
                                      (today.year, today - dt.timedelta(days=199), today - dt.timedelta(days=20))):
        if year == 2017 and today.year == 2017:
            continue
        fund = Fund.objects.create(jurisdiction=county, name=name, year=year, amount=Decimal("200000"))
        for e in severe:
            started = _between(rng, first_day, last_day)
            ended = started + dt.timedelta(days=rng.randrange(20, 60))
            episode = TreatmentEpisode.objects.create(enrollment=e, jurisdiction_id=e.jurisdiction_id, compulsory=True,
                                                      hospital=rng.choice(HOSPITALS), started_on=started,
                                                      ended_on=ended if ended <= today else None,  # still in hospital
                                                      reason="肇事肇祸风险，经评估送治")
            FundSpending.objects.create(fund=fund, enrollment=e, jurisdiction_id=e.jurisdiction_id, episode=episode,
                                        spent_on=min(ended, today), amount=Decimal(rng.randrange(8000, 20000)),
                                        purpose="住院治疗费用救助")
