"""Demo departments and accounts: one per role and several places, with the names outside scripts rely on."""
from __future__ import annotations

from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.geo import services as geo_services
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import services
from .choices import Role
from .models import Department, User

COUNTY_DEPARTMENTS = [
    ("区公安分局", "公安"), ("区人民法院", "法院"), ("区人民检察院", "检察院"), ("区司法局", "司法行政"),
    ("区信访局", "信访"), ("区卫生健康局", "卫健"), ("区民政局", "民政"), ("区人力资源和社会保障局", "人社"),
    ("区住房和城乡建设局", "住建"), ("区自然资源局", "自然资源"), ("区应急管理局", "应急管理"),
    ("区城市管理局", "城管"), ("区市场监督管理局", "市场监管"), ("区生态环境分局", "生态环境"), ("区教育局", "教育"),
]
TOWNSHIP_DEPARTMENTS = [("派出所", "公安"), ("司法所", "司法行政")]

# Township accounts by code: the usernames hedi and yinying are relied on by outside scripts.
TOWNSHIP_USERS = {
    "140311100": "yinying", "140311101": "hedi", "140311103": "pingtan", "140311200": "xinanyu",
    "140311201": "yangjiazhuang", "140311202": "lijiazhuang", "140311203": "jiujie", "140311400": "kaifaqu",
}


def short(name: str) -> str:
    for suffix in ("镇", "乡", "街道", "区"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _department(county_or_township: Node, name: str, category: str, phone: str) -> Department:
    department = Department.objects.filter(jurisdiction=county_or_township, name=name).first()
    if department is None:
        from pingan.core.services import model_create

        department = model_create(actor=None, model=Department, action="department.create",
                                  data={"jurisdiction": county_or_township, "name": name, "category": category,
                                        "phone": phone})
    return department


def _account(ctx: SeedContext, username: str, role: str, scope: Node, **extra) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(actor=None, username=username, password=None, password_hash=ctx.password_hash,
                                    role=role, scope=scope, **extra)
    return user


@seeder("accounts", order=20)
def seed_accounts(ctx: SeedContext) -> None:
    rng = ctx.fork("accounts")
    county = Node.objects.get(code="140311")
    depts = {name: _department(county, name, category, f"0353-{rng.randrange(2000000, 8999999)}")
             for name, category in COUNTY_DEPARTMENTS}
    townships = list(county.children.filter(level=Level.TOWNSHIP).order_by("code"))
    township_depts: dict[str, dict[str, Department]] = {}
    for township in townships:
        township_depts[township.code] = {
            suffix: _department(township, f"{short(township.name)}{suffix}", category, f"0353-{rng.randrange(2000000, 8999999)}")
            for suffix, category in TOWNSHIP_DEPARTMENTS
        }

    _account(ctx, "admin", Role.DISTRICT_ADMIN, county, full_name="赵建国", post="综治中心主任")
    _account(ctx, "zhongxin", Role.CENTER_STAFF, county, full_name="李晓东", post="综治中心受理员")
    _account(ctx, "lingdao", Role.LEADER, county, full_name="王志强", post="区委政法委书记")
    _account(ctx, "shenji", Role.AUDITOR, county, full_name="孙丽", post="审计管理员")
    _account(ctx, "anquan", Role.SECURITY_ADMIN, county, full_name="周敏", post="安全管理员")
    _account(ctx, "gongan", Role.DEPT_HANDLER, county, full_name="马勇", department=depts["区公安分局"], post="承办民警")
    _account(ctx, "xinfang", Role.DEPT_HANDLER, county, full_name="高静", department=depts["区信访局"], post="信访专员")
    _account(ctx, "sifa", Role.DEPT_HANDLER, county, full_name="郭平", department=depts["区司法局"], post="人民调解科")
    for township in townships:
        username = TOWNSHIP_USERS.get(township.code, f"xz{township.code[-3:]}")
        _account(ctx, username, Role.TOWNSHIP_OFFICER, township, full_name=ctx.name(rng), post="综治办专职副主任")
        _account(ctx, f"{username}_pcs", Role.DEPT_HANDLER, township, full_name=ctx.name(rng),
                 department=township_depts[township.code]["派出所"], post="社区民警")
        _account(ctx, f"{username}_tj", Role.MEDIATOR, township, full_name=ctx.name(rng),
                 department=township_depts[township.code]["司法所"], post="人民调解员")

    # One 综治专干 per village, and one 网格员 per grid (the 网格长 is the village's 专干 where grids are many).
    villages = Node.objects.filter(path__startswith=county.path, level__in=[Level.VILLAGE, Level.COMMUNITY]).order_by("code")
    for village in villages:
        officer = _account(ctx, f"zg{village.code}", Role.VILLAGE_OFFICER, village, full_name=ctx.name(rng),
                           post="综治专干", phone=ctx.phone(rng))
        grids = list(village.children.filter(level=Level.GRID).order_by("code"))
        for grid in grids:
            worker = _account(ctx, f"wg{grid.code}", Role.GRID_WORKER, grid, full_name=ctx.name(rng), post="专职网格员",
                              phone=ctx.phone(rng))
            leader = officer if len(grids) > 1 else worker
            if grid.grid_worker_id is None:
                geo_services.grid_assign_staff(actor=None, grid=grid, leader=leader, worker=worker)
    # Friendly aliases for the demo: a village officer and a grid worker of 河底镇固庄村.
    guzhuang = Node.objects.filter(name="固庄村委会", parent__code="140311101").first()
    if guzhuang is not None:
        first_grid = guzhuang.children.filter(level=Level.GRID).order_by("code").first()
        _account(ctx, "zhuangan", Role.VILLAGE_OFFICER, guzhuang, full_name="韩文博", post="综治专干")
        if first_grid is not None:
            _account(ctx, "wangge", Role.GRID_WORKER, first_grid, full_name="刘芳", post="专职网格员")
    ctx.log(f"  账号 {User.objects.count()} 个，部门 {Department.objects.count()} 个")


DEMO_ACCOUNTS = [
    ("admin", "区综治中心管理员", "郊区（全区）"),
    ("zhongxin", "综治中心工作人员", "郊区"),
    ("hedi", "乡镇综治办", "河底镇"),
    ("yinying", "乡镇综治办", "荫营镇"),
    ("zhuangan", "村(社区)综治专干", "河底镇固庄村"),
    ("wangge", "网格员", "固庄村第一网格"),
    ("hedi_tj", "调解员", "河底镇（河底司法所）"),
    ("gongan", "部门承办人", "区公安分局"),
    ("hedi_pcs", "部门承办人", "河底派出所"),
    ("lingdao", "领导（只读）", "郊区"),
    ("shenji", "审计管理员", "郊区（只看审计日志）"),
    ("anquan", "安全管理员", "郊区（只管账号）"),
]
