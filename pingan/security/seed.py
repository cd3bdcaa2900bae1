"""Demo data at the seed's orders of magnitude (every scale, since `make run` — scale small — is the demo the
2017 statistics are read from): a 治安联络点 in every village, 8 volunteer teams (志愿者队伍, one per township, four
kinds of service) holding 2,861 平安志愿者, a 专职巡防队 per township and 义务巡防队 in some villages, 100 治安管理员,
a year of patrols, 7,500 cameras of the rural video network, and 12 training sessions in 2017 with 300 trained.

Bulk inserts with one audit entry per record (core.bulk), deterministic (ctx.fork), and run once: when the
district already has teams nothing but the missing liaison points is added."""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from pingan.accounts.models import User
from pingan.core.bulk import build_instances, bulk_audit, bulk_insert
from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.geo import services as geo_services
from pingan.geo.choices import Level
from pingan.geo.models import LiaisonPoint, Node
from pingan.people.models import Person

from .choices import AudienceKind, CameraStatus, CameraType, ForceType, MemberRole
from .models import Attendance, Camera, Patrol, SecurityOfficer, Team, TeamMember, TrainingSession

VOLUNTEERS = 2861
VOLUNTEER_SERVICES = ("治安巡逻", "矛盾调解", "法治宣传", "平安创建宣传")  # two teams of each
OFFICERS = 100
CAMERAS = 7500
TRAINING_2017 = [  # (month, day, audience, topic, attendees) — 300 trained in 2017
    (3, 15, AudienceKind.SECURITY_COMMITTEE, "治保会工作职责与矛盾纠纷排查", 30),
    (4, 12, AudienceKind.MEDIATION_COMMITTEE, "人民调解法与调解文书制作", 25),
    (5, 10, AudienceKind.GRID_WORKER, "网格事件采集与上报规范", 30),
    (5, 24, AudienceKind.SECURITY_COMMITTEE, "治安防范与重点人员管理", 25),
    (6, 14, AudienceKind.MEDIATION_COMMITTEE, "婚姻家庭纠纷调解实务", 20),
    (7, 12, AudienceKind.GRID_WORKER, "实有人口信息采集", 25),
    (8, 16, AudienceKind.SECURITY_COMMITTEE, "村级治安联络点工作规范", 25),
    (9, 13, AudienceKind.MEDIATION_COMMITTEE, "土地流转与征地拆迁纠纷调处", 20),
    (10, 18, AudienceKind.GRID_WORKER, "风险隐患排查与报送", 30),
    (11, 8, AudienceKind.SECURITY_COMMITTEE, "冬季防火防盗", 25),
    (11, 22, AudienceKind.MEDIATION_COMMITTEE, "矛盾纠纷多元化解", 20),
    (12, 6, AudienceKind.GRID_WORKER, "平安建设宣传与群众满意度", 25),
]
FINDINGS = ["村口路灯损坏两盏，夜间照明不足", "废品收购点门前堆放杂物，堵塞消防通道", "空置院落有外来人员留宿",
            "河道护栏缺失一段，有落水风险", "集市周边电动车乱停放", "出租房屋私拉电线充电"]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


_PATHS: dict[int, str] = {}


def _insert(model, rows: list[dict], action: str) -> list:
    """Bulk insert with one audit entry per row; the rows' scope paths from memory (no query per row)."""
    if not _PATHS:
        _PATHS.update(Node.objects.values_list("pk", "path"))
    instances = build_instances(model, rows)
    bulk_insert(model, instances)
    bulk_audit(actor=None, action=action, instances=instances, created=True,
               scope_paths=[_PATHS.get(row["jurisdiction_id"], "") for row in rows])
    return instances


def _liaison_points(ctx: SeedContext, county: Node) -> int:
    """geo's seed covers most villages; every village gets one (the seed: a point in each village)."""
    rng = ctx.fork("security-liaison")
    have = set(LiaisonPoint.objects.filter(jurisdiction__path__startswith=county.path).values_list("jurisdiction_id", flat=True))
    made = 0
    for village in Node.objects.villages().filter(path__startswith=county.path).order_by("code"):
        if village.pk in have:
            continue
        geo_services.liaison_point_save(actor=None, data={
            "jurisdiction": village, "name": f"{village.short_name}治安联络点",
            "address": f"{village.short_name}村委会院内" if village.level == Level.VILLAGE else f"{village.short_name}服务中心",
            "contact_name": ctx.name(rng), "contact_phone": ctx.phone(rng),
            "latitude": village.latitude, "longitude": village.longitude})
        made += 1
    return made


def _residents(township: Node) -> list[tuple[int, int, str]]:
    """(person id, grid id, name) of a few thousand people of the township, to link volunteers to."""
    return list(Person.objects.filter(jurisdiction__path__startswith=township.path, deregistered_on__isnull=True)
                .order_by("pk").values_list("pk", "jurisdiction_id", "name")[:4000])


def _forces(ctx: SeedContext, county: Node, townships: list[Node], grids: dict[int, list[Node]],
            villages: dict[int, list[Node]]) -> None:
    rng = ctx.fork("security-forces")
    teams = []
    for i, township in enumerate(townships):
        service = VOLUNTEER_SERVICES[i % len(VOLUNTEER_SERVICES)]
        teams.append({"name": f"{township.name}{service}志愿服务队", "kind": ForceType.VOLUNTEERS,
                      "jurisdiction_id": township.pk, "leader_name": ctx.name(rng), "phone": ctx.phone(rng),
                      "area": f"{township.name}全域", "founded_on": dt.date(2013, rng.randint(1, 12), 1)})
        teams.append({"name": f"{township.name}专职巡防队", "kind": ForceType.FULL_TIME_PATROL,
                      "jurisdiction_id": township.pk, "leader_name": ctx.name(rng), "phone": ctx.phone(rng),
                      "area": f"{township.name}集镇及主要道路", "founded_on": dt.date(2012, rng.randint(1, 12), 1)})
        for village in villages[township.pk][::3]:
            teams.append({"name": f"{village.short_name}义务巡防队", "kind": ForceType.VOLUNTARY_PATROL,
                          "jurisdiction_id": village.pk, "leader_name": ctx.name(rng), "phone": ctx.phone(rng),
                          "area": f"{village.short_name}村内", "founded_on": dt.date(2014, rng.randint(1, 12), 1)})
    teams.append({"name": "郊区保安服务公司驻村保安队", "kind": ForceType.SECURITY_COMPANY, "jurisdiction_id": county.pk,
                  "leader_name": ctx.name(rng), "phone": ctx.phone(rng), "area": "各乡镇重点单位",
                  "founded_on": dt.date(2011, 6, 1)})
    teams = _insert(Team, teams, "team.seed")

    volunteer_teams = [t for t in teams if t.kind == ForceType.VOLUNTEERS]
    # 2,861 volunteers over the 8 teams: shares by weight, the remainder to the first teams.
    weights = [rng.randint(8, 14) for _ in volunteer_teams]
    sizes = [VOLUNTEERS * w // sum(weights) for w in weights]
    for i in range(VOLUNTEERS - sum(sizes)):
        sizes[i % len(sizes)] += 1
    members = []
    by_township = {t.pk: t for t in townships}
    for team, size in zip(volunteer_teams, sizes):
        township = by_township[team.jurisdiction_id]
        people = _residents(township)
        rng.shuffle(people)
        linked = people[: int(size * 0.6)]
        for k in range(size):
            if k < len(linked):
                person_id, grid_id, name = linked[k]
            else:
                person_id, grid_id, name = None, rng.choice(grids[township.pk]).pk, ctx.name(rng)
            members.append({"team_id": team.pk, "person_id": person_id, "name": name, "jurisdiction_id": grid_id,
                            "role": MemberRole.LEADER if k == 0 else MemberRole.MEMBER, "phone": ctx.phone(rng),
                            "joined_on": _day(rng, dt.date(2013, 3, 1), dt.date(2017, 11, 30))})
    for team in teams:
        if team.kind in (ForceType.VOLUNTEERS, ForceType.SECURITY_COMPANY):
            continue
        pool = grids.get(team.jurisdiction_id) or grids.get(-team.jurisdiction_id) or []
        size = 12 if team.kind == ForceType.FULL_TIME_PATROL else 6
        for k in range(size):
            members.append({"team_id": team.pk, "person_id": None, "name": ctx.name(rng),
                            "jurisdiction_id": rng.choice(pool).pk if pool else team.jurisdiction_id,
                            "role": MemberRole.LEADER if k == 0 else MemberRole.MEMBER, "phone": ctx.phone(rng),
                            "joined_on": _day(rng, dt.date(2012, 1, 1), dt.date(2017, 6, 30))})
    _insert(TeamMember, members, "team_member.seed")

    all_villages = [v for vs in villages.values() for v in vs]
    officers = []
    for village in sorted(rng.sample(all_villages, min(OFFICERS, len(all_villages))), key=lambda v: v.code):
        officers.append({"name": ctx.name(rng), "jurisdiction_id": village.pk, "phone": ctx.phone(rng),
                         "since": _day(rng, dt.date(2014, 1, 1), dt.date(2017, 10, 31))})
    _insert(SecurityOfficer, officers, "security_officer.seed")

    patrols = []
    for team in teams:
        if team.kind not in (ForceType.FULL_TIME_PATROL, ForceType.VOLUNTARY_PATROL):
            continue
        per_year = 24 if team.kind == ForceType.FULL_TIME_PATROL else 12
        for k in range(per_year):
            day = dt.date(2017, 1, 1) + dt.timedelta(days=k * 365 // per_year + rng.randrange(5))
            found = rng.random() < 0.15
            patrols.append({"team_id": team.pk, "jurisdiction_id": team.jurisdiction_id, "patrolled_on": day,
                            "area": team.area, "findings": rng.choice(FINDINGS) if found else "未发现异常"})
    _insert(Patrol, patrols, "patrol.seed")


def _cameras(ctx: SeedContext, villages: list[Node]) -> None:
    rng = ctx.fork("security-cameras")
    weights = [rng.randint(20, 90) for _ in villages]
    counts = [CAMERAS * w // sum(weights) for w in weights]
    for i in range(CAMERAS - sum(counts)):
        counts[i % len(counts)] += 1
    owners = ["区综治中心（雪亮工程）", "乡镇综治中心", "村委会自建", "中国电信阳泉分公司"]
    rows = []
    for village, count in zip(villages, counts):
        for k in range(1, count + 1):
            lat = lng = None
            if village.latitude is not None and rng.random() < 0.9:
                lat = (village.latitude + Decimal(str(round(rng.uniform(-0.008, 0.008), 6)))).quantize(Decimal("0.000001"))
                lng = (village.longitude + Decimal(str(round(rng.uniform(-0.01, 0.01), 6)))).quantize(Decimal("0.000001"))
            code = f"{village.code}132{k:05d}"  # GB/T 28181-style 20 digits: place + device type 132 (IPC) + number
            rows.append({"code": code, "name": f"{village.short_name}{rng.choice(['村口', '主街', '广场', '学校门口', '村委会', '路口'])}{k}号",
                         "jurisdiction_id": village.pk,
                         "camera_type": rng.choices(list(CameraType.values), weights=[55, 25, 15, 5])[0],
                         "hd": rng.random() < 0.72, "owner": rng.choice(owners), "networked": rng.random() < 0.86,
                         "watched_24h": rng.random() < 0.4,
                         "status": CameraStatus.FAULTY if rng.random() < 0.04 else CameraStatus.IN_USE,
                         "stream_id": f"34020000001320{village.code[-6:]}{k:04d}", "latitude": lat, "longitude": lng,
                         "installed_on": _day(rng, dt.date(2015, 1, 1), dt.date(2017, 12, 31))})
    _insert(Camera, rows, "camera.seed")


def _training(ctx: SeedContext, county: Node, townships: list[Node]) -> None:
    rng = ctx.fork("security-training")
    grid_workers = list(User.objects.filter(role="grid_worker", scope__path__startswith=county.path, is_active=True)
                        .order_by("pk").values_list("pk", "full_name", "username"))
    rng.shuffle(grid_workers)
    used = 0
    for i, (month, day, audience, topic, size) in enumerate(TRAINING_2017):
        unit = county if i % 3 == 0 else townships[i % len(townships)]
        [session] = _insert(TrainingSession, [{
            "held_on": dt.date(2017, month, day), "topic": topic, "trainer": f"{ctx.name(rng)}（区综治中心）",
            "audience": audience, "jurisdiction_id": unit.pk, "hours": Decimal("3.0")}], "training.seed")
        rows: list[dict] = []
        names: set[str] = set()
        for _k in range(size):
            if audience == AudienceKind.GRID_WORKER and used < len(grid_workers):
                pk, full_name, username = grid_workers[used]
                used += 1
                rows.append({"session_id": session.pk, "user_id": pk, "person_id": None, "name": full_name or username,
                             "unit": "网格员", "jurisdiction_id": unit.pk})
            else:
                name = ctx.name(rng)
                while name in names:  # once per session
                    name = ctx.name(rng)
                names.add(name)
                rows.append({"session_id": session.pk, "user_id": None, "person_id": None, "name": name,
                             "unit": f"{rng.choice(townships).name}{AudienceKind(audience).label}",
                             "jurisdiction_id": unit.pk})
        _insert(Attendance, rows, "attendance.seed")


@seeder("security", order=70)
def seed_security(ctx: SeedContext) -> None:
    county = Node.objects.filter(code="140311").first()
    if county is None:
        return
    if ctx.structure_only:
        return  # structure only: geo's own liaison points stay as they are (real ledgers come next)
    _PATHS.clear()
    with transaction.atomic():
        made = _liaison_points(ctx, county)
        if Team.objects.filter(jurisdiction__path__startswith=county.path).exists():
            ctx.log(f"  社会治安：补充治安联络点 {made} 个")
            return
        townships = list(Node.objects.townships().filter(path__startswith=county.path).order_by("code"))
        villages = {t.pk: list(Node.objects.villages().filter(parent=t).order_by("code")) for t in townships}
        grids: dict[int, list[Node]] = {}
        for g in Node.objects.grids().filter(path__startswith=county.path).select_related("parent").order_by("code"):
            grids.setdefault(g.parent.parent_id, []).append(g)
            grids.setdefault(-g.parent_id, []).append(g)  # by village (negative key)
        _forces(ctx, county, townships, grids, villages)
        _cameras(ctx, [v for t in townships for v in villages[t.pk]])
        _training(ctx, county, townships)
    ctx.log(f"  社会治安：队伍、志愿者 {VOLUNTEERS} 名、治安管理员 {OFFICERS} 名、探头 {CAMERAS} 个、2017 年培训 300 人次；"
            f"补充治安联络点 {made} 个")
