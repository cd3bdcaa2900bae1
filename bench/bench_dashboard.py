"""Benchmark: the dashboard's data call (pingan.analytics.figures.build — the 驾驶舱 page, the big screen and
/api/v1/analytics/dashboard/ all call it) on PostgreSQL, for the district and for a province-like dataset.

For each dataset it times N calls of `build(user, this year so far, node)` — the district as the centre's
staff (zhongxin, 郊区), the province as a centre user scoped to 山西省 — and, in the same run and interleaved
with them, hand-written SQL producing the same figures (per measure one pass with FILTER clauses for the period,
a year earlier, today and the "now" figures and the key indicators' counts, one GROUPING SETS pass for the
months, the child places and the categories; the children; the active alerts). The figures of both are
compared (a difference fails the benchmark), then p50/p95 and the ratio build / hand SQL are printed with the
issue's targets: district p95 < 150 ms, province p95 < 1 s, ratio < 2.

Data (kept between runs, in its own database `<bench database>_dash`, so the other benchmarks' rows do not
change these figures):
  - the district: `seed_demo --scale district` (the first run takes several minutes);
  - the province: 山西省 with the demo's 10 synthetic counties (geo/seed.py); the district's counted records
    (events, hazards, disputes, petitions, clues, patrols, alerts, crime counts, special enrolments with their
    people, open 督办) are copied by INSERT … SELECT into `--counties − 1` of them, each record to the
    same-rank node of the same level, so each county holds a district's volumes.

    make bench                                   # all benchmarks
    .venv/bin/python bench/bench_dashboard.py [--runs N] [--counties 2,5,10] [--factor 1,3,6] [--skip-district]

`--counties 2,5,10` grows the province step by step and measures it at each size, then `--factor 3,6` puts 3,
then 6 copies of the district in each synthetic county (the raw-table sizes at which a target breaks); the
copies beyond the first step's are removed at the start, so every run measures the dataset its arguments
name. The district is measured in the database of the first step (by default: the 10-county province).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import ROUND_HALF_UP, Decimal

import dj_database_url
import psycopg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")
os.environ.setdefault("DEBUG", "0")
_base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pingan_bench")
_config = dj_database_url.parse(_base_url)
DB_NAME = _config["NAME"] if _config["NAME"].endswith("_dash") else f"{_config['NAME']}_dash"
os.environ["DATABASE_URL"] = _base_url.rsplit("/", 1)[0] + "/" + DB_NAME

with psycopg.connect(host=_config["HOST"] or "127.0.0.1", port=_config["PORT"] or 5432,
                     user=_config["USER"] or "postgres", dbname="postgres", autocommit=True) as _conn:
    if not _conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
        _conn.execute(f'CREATE DATABASE "{DB_NAME}"')

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from pingan.accounts.choices import Role  # noqa: E402
from pingan.accounts.models import User  # noqa: E402
from pingan.analytics import figures  # noqa: E402
from pingan.core import measures as registry_of_measures  # noqa: E402
from pingan.geo.models import Node  # noqa: E402
from pingan.geo.params import default_period  # noqa: E402

DISTRICT = "140311"
PROVINCE = "140000"
PROVINCE_USER = "bench_sheng"
TZ = settings.TIME_ZONE
TARGETS = {"district": 150.0, "province": 1000.0}
RATIO_TARGET = 2.0


# --- data --------------------------------------------------------------------------------------------------
def table_rows(table: str, path: str) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table} t JOIN geo_node n ON n.id = t.jurisdiction_id "
                    "WHERE n.path LIKE %s", [path + "%"])
        return cur.fetchone()[0]


def ensure_district() -> None:
    county = Node.objects.filter(code=DISTRICT).first()
    from pingan.hazards.models import Hazard

    if county is not None and Hazard.objects.filter(jurisdiction__path__startswith=county.path).exists() \
            and User.objects.filter(username="zhongxin").exists():
        return
    print("  生成全区演示数据（seed_demo --scale district，首次运行需数分钟）…", flush=True)
    began = time.perf_counter()
    call_command("seed_demo", scale="district", verbosity=0, stdout=open(os.devnull, "w"))
    print(f"  全区演示数据：{time.perf_counter() - began:.0f} 秒", flush=True)


def ensure_province_structure() -> Node:
    """山西省 › 阳泉市 › 郊区 and the demo's 10 synthetic counties (8 townships, 12–18 villages each) with 3–6
    grids per village, as seed_demo --scale province builds them (grids inserted in bulk: no audit)."""
    from pingan.core.seed import SeedContext
    from pingan.geo import services as geo_services
    from pingan.geo.choices import Level
    from pingan.geo.seed import DATA, _province_csv

    province = Node.objects.filter(code=PROVINCE).first()
    if province is not None and Node.objects.filter(path__startswith=province.path, level=Level.GRID) \
            .exclude(path__contains=f"/{DISTRICT}/").exists():
        return province
    print("  生成省级区划：山西省与 10 个示范县 …", flush=True)
    ctx = SeedContext(seed=2017, scale="province", structure_only=True, password="x", password_hash="!")
    csv = _province_csv(ctx)
    with transaction.atomic():
        geo_services.jurisdictions_load(actor=None, data="\n".join(csv.split("\n")[:3]), source="bench")
        geo_services.jurisdictions_load(actor=None, data=DATA.read_bytes(), source="bench")  # 郊区 under 阳泉市
        geo_services.jurisdictions_load(actor=None, data=csv, source="bench-province")
        province = Node.objects.get(code=PROVINCE)
        grids = []
        rng = ctx.fork("bench-grids")
        for village in Node.objects.filter(path__startswith=province.path, level=Level.VILLAGE) \
                .exclude(path__contains=f"/{DISTRICT}/").order_by("code"):
            if village.children.exists():
                continue
            for i in range(1, rng.randint(3, 6) + 1):
                code = f"{village.code}{i:03d}"
                grids.append(Node(code=code, name=f"{village.name}第{i}网格", level=Level.GRID, parent=village,
                                  parent_code=village.code, path=f"{village.path}{code}/", depth=village.depth + 1))
        Node.objects.bulk_create(grids, batch_size=2000)
    return province


# (table, case_type of its 督办 or None, unique text columns get the county's prefix)
CLONED = [
    ("events_event", "events.event"), ("hazards_hazard", "hazards.hazard"), ("disputes_dispute", "disputes.dispute"),
    ("petitions_petition", "petitions.petition"), ("campaigns_clue", "campaigns.clue"), ("security_patrol", None),
    ("alerts_alert", None), ("crimes_crimecount", None), ("people_specialenrollment", None),
]


def _columns(table: str) -> list[tuple[str, str, int | None, bool]]:
    """(name, type, max length, nullable) of the table's columns."""
    with connection.cursor() as cur:
        cur.execute("SELECT column_name, data_type, character_maximum_length, is_nullable = 'YES' "
                    "FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", [table])
        return cur.fetchall()


def _unique_columns(table: str) -> set[str]:
    """Columns that alone carry a unique index (other than the primary key)."""
    with connection.cursor() as cur:
        cur.execute("""
            SELECT a.attname FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
            WHERE c.relname = %s AND i.indisunique AND NOT i.indisprimary AND i.indnatts = 1""", [table])
        return {row[0] for row in cur.fetchall()}


def _stride(table: str) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
        biggest = cur.fetchone()[0]
    # Fixed by the district's rows (the copies come after them): a power of ten above the original ids.
    return 10 ** max(7, len(str(biggest)))


def _copy_sql(table: str, k: int, stride: int, remap: dict[str, str]) -> str:
    cols = _columns(table)
    unique = _unique_columns(table)
    names, values = [], []
    for name, dtype, length, nullable in cols:
        names.append(f'"{name}"')
        if name == "id":
            values.append(f"t.id + {k * stride}")
        elif name == "jurisdiction_id":
            values.append("m.new_id")
        elif name in remap:
            values.append(remap[name])
        elif name in unique and dtype in ("character varying", "text"):
            values.append(f"left('P{k:02d}' || t.\"{name}\", {length or 1000})")  # P01 … P99, P100
        elif name in unique and nullable:
            values.append("NULL")
        else:
            values.append(f't."{name}"')
    return (f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} FROM {table} t "
            f"JOIN bench_node_map m ON m.old_id = t.jurisdiction_id AND m.k = {k}")


def ensure_province_data(counties: int, factor: int = 1) -> int:
    """`factor` copies of the district's counted records in each of synthetic counties 1 … counties − 1 (copy k =
    10 × j + i: the j-th copy in the i-th county; crime counts, one row per township, month and category, are
    copied once); returns the copies made."""
    from pingan.geo.choices import Level

    district = Node.objects.get(code=DISTRICT)
    synthetic = list(Node.objects.filter(level=Level.COUNTY, path__startswith=Node.objects.get(code=PROVINCE).path)
                     .exclude(code=DISTRICT).order_by("code"))
    wanted = synthetic[:max(0, counties - 1)]
    made = 0
    strides = {table: _stride(table) for table, _ in CLONED + [("people_person", None), ("cases_supervision", None)]}
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_node_map (k int, old_id bigint, new_id bigint, "
                    "PRIMARY KEY (k, old_id))")
        cur.execute("CREATE TABLE IF NOT EXISTS bench_strides (tbl text PRIMARY KEY, stride bigint)")
        for table, stride in strides.items():
            cur.execute("INSERT INTO bench_strides VALUES (%s, %s) ON CONFLICT DO NOTHING", [table, stride])
        cur.execute("SELECT tbl, stride FROM bench_strides")
        strides = dict(cur.fetchall())
        cur.execute("CREATE TABLE IF NOT EXISTS bench_copies (k int PRIMARY KEY)")
        cur.execute("SELECT k FROM bench_copies")
        done = {row[0] for row in cur.fetchall()}
    for k, county in [(10 * j + i, county) for j in range(factor) for i, county in enumerate(wanted, start=1)]:
        if k in done:
            continue
        if k <= 10 and table_rows("hazards_hazard", county.path):  # copied before copies were recorded
            with connection.cursor() as cur:
                cur.execute("INSERT INTO bench_copies VALUES (%s) ON CONFLICT DO NOTHING", [k])
            continue
        began = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("DELETE FROM bench_node_map WHERE k = %s", [k])
            # The district's nodes, level by level in code order, onto the county's (rank modulo their number).
            cur.execute("""
                INSERT INTO bench_node_map (k, old_id, new_id)
                SELECT %s, s.id, d.id FROM
                  (SELECT id, lv, row_number() OVER (PARTITION BY lv ORDER BY code) - 1 AS r
                   FROM (SELECT id, code, CASE level WHEN 'community' THEN 'village' ELSE level END AS lv
                         FROM geo_node WHERE path LIKE %s) x) s
                JOIN (SELECT level AS lv, count(*) AS n FROM geo_node WHERE path LIKE %s GROUP BY level) c
                  ON c.lv = s.lv
                JOIN (SELECT id, level AS lv, row_number() OVER (PARTITION BY level ORDER BY code) - 1 AS r
                      FROM geo_node WHERE path LIKE %s) d ON d.lv = s.lv AND d.r = s.r %% c.n""",
                        [k, district.path + "%", county.path + "%", county.path + "%"])
            # The people under management (only those: the dashboard counts enrolments, not the register).
            cur.execute(_copy_sql("people_person", k, strides["people_person"], {}) +
                        " WHERE t.id < %s AND t.id IN (SELECT person_id FROM people_specialenrollment)",
                        [strides["people_person"]])
            for table, _case_type in CLONED:
                remap = {}
                if table == "people_specialenrollment":
                    remap["person_id"] = f"t.person_id + {k * strides['people_person']}"
                conflict = " ON CONFLICT DO NOTHING" if table == "crimes_crimecount" else ""
                cur.execute(_copy_sql(table, k, strides[table], remap) + " WHERE t.id < %s" + conflict,
                            [strides[table]])
            for table, case_type in CLONED:
                if case_type:
                    cur.execute(_copy_sql("cases_supervision", k, strides["cases_supervision"],
                                          {"case_id": f"t.case_id + {k * strides[table]}"})
                                + " WHERE t.id < %s AND t.case_type = %s", [strides["cases_supervision"], case_type])
            cur.execute("INSERT INTO bench_copies VALUES (%s) ON CONFLICT DO NOTHING", [k])
        made += 1
        print(f"  复制全区数据到 {county.name}：{time.perf_counter() - began:.1f} 秒", flush=True)
    if made:
        with connection.cursor() as cur:
            for table in strides:
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                            f"(SELECT coalesce(max(id), 1) FROM {table}))")
            for table in strides:
                cur.execute(f"VACUUM ANALYZE {table}")
    return made


def trim_province_data(counties: int, factor: int) -> int:
    """Remove the copies a larger earlier run left beyond `factor` copies in counties 1 … counties − 1, so that
    each run measures the dataset its arguments name; returns the copies removed."""
    wanted = {10 * j + i for j in range(factor) for i in range(1, counties)}
    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_strides') IS NOT NULL")
        if not cur.fetchone()[0]:
            return 0
        cur.execute("SELECT tbl, stride FROM bench_strides")
        strides = dict(cur.fetchall())
        stride = strides["hazards_hazard"]
        cur.execute("SELECT DISTINCT id / %s FROM hazards_hazard WHERE id >= %s", [stride, stride])
        extra = sorted({row[0] for row in cur.fetchall()} - wanted)
        if not extra:
            return 0
        began = time.perf_counter()
        # 督办 and enrolments before the people they point to; every copied table by its copies' id ranges.
        order = ["cases_supervision"] + [table for table, _ in CLONED] + ["people_person"]
        with transaction.atomic():
            for table in order:
                ranges = " OR ".join(f"(id >= {k * strides[table]} AND id < {(k + 1) * strides[table]})" for k in extra)
                cur.execute(f"DELETE FROM {table} WHERE {ranges}")
            cur.execute("DELETE FROM bench_copies WHERE k = ANY(%s)", [extra])
        for table in order:
            cur.execute(f"VACUUM ANALYZE {table}")
    print(f"  删除多余的复制数据 {len(extra)} 份：{time.perf_counter() - began:.1f} 秒", flush=True)
    return len(extra)


def province_user(province: Node) -> User:
    from pingan.accounts import services

    user = User.objects.filter(username=PROVINCE_USER).first()
    if user is None:
        user = services.user_create(actor=None, username=PROVINCE_USER, password=None, password_hash="!",
                                    role=Role.CENTER_STAFF, scope=province, full_name="省综治中心（基准测试）")
    return user


# --- hand-written SQL ----------------------------------------------------------------------------------------
def _local_date(column: str) -> str:
    return f"(({column}) AT TIME ZONE '{TZ}')::date"


def _open_states(label: str) -> list[str]:
    from pingan.cases.definitions import get_kind

    return list(get_kind(label).open_states)


def _specs(user: User) -> dict[str, dict]:
    """Per measure: the table, its date (a local date), category expression and joins, base filter, the "now"
    figures and the key indicators' counts, as SQL text. %(name)s placeholders take the period's dates."""
    from pingan.alerts.models import ACTIVE
    from pingan.disputes.choices import RESOLVED_STATES
    from pingan.people.choices import HEALTH_KINDS
    from pingan.petitions.choices import FINISHED_STATES

    def quoted(values) -> str:
        return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)

    def case(label: str) -> dict:
        states = quoted(_open_states(label))
        return {"open": f"t.state IN ({states})",
                "overdue": f"t.state IN ({states}) AND t.due_at < %(now)s",
                "supervised": f"t.state IN ({states}) AND EXISTS (SELECT 1 FROM cases_supervision s "
                              f"WHERE s.case_type = '{label}' AND s.case_id = t.id AND s.status = 'open')"}

    health_hidden = user.data_access("health") is None
    specs = {
        "events": {"table": "events_event", "date": _local_date("t.reported_at"), "moment": "t.reported_at",
                   "base": "t.state <> 'duplicate'",
                   "joins": "JOIN events_category c ON c.id = t.category_id "
                            "LEFT JOIN events_category pc ON pc.id = c.parent_id",
                   "category": "pc.code",
                   "now": {"overdue": case("events.event")["overdue"]},
                   "kpi": {"events.reported": "TRUE", "events.closed": "t.state = 'closed'",
                           "events.closed_on_time": "t.state = 'closed' AND t.handled_at <= t.handled_due_at"}},
        "disputes": {"table": "disputes_dispute", "date": "t.registered_on", "category": "t.category",
                     "now": case("disputes.dispute"),
                     "kpi": {"disputes.screened": "TRUE",
                             "disputes.resolved": f"t.state IN ({quoted(RESOLVED_STATES)})"}},
        "hazards": {"table": "hazards_hazard", "date": "t.screened_on", "category": "t.hazard_type",
                    "now": case("hazards.hazard"),
                    "kpi": {"hazards.screened": "TRUE", "hazards.rectified": "t.state = 'rectified'"}},
        "petitions": {"table": "petitions_petition", "date": "t.registered_on", "category": "t.petition_type",
                      "now": case("petitions.petition"),
                      "kpi": {"petitions.assigned": "t.source = 'assigned'",
                              "petitions.assigned_resolved": f"t.source = 'assigned' AND t.state IN "
                                                             f"({quoted(FINISHED_STATES)})"}},
        "special": {"table": "people_specialenrollment", "date": "t.enrolled_on", "category": "t.kind",
                    "base": f"t.kind NOT IN ({quoted(HEALTH_KINDS)})" if health_hidden else "",
                    "now": {"overdue": "t.enrolled_on <= %(sysday)s AND (t.released_on IS NULL OR t.released_on > "
                                       "%(sysday)s) AND (t.planned_end_on IS NULL OR t.planned_end_on >= %(sysday)s) "
                                       "AND t.next_visit_on < %(sysday)s"}},
        "clues": {"table": "campaigns_clue", "date": "t.received_on", "category": "t.source",
                  "now": case("campaigns.clue")},
        "patrols": {"table": "security_patrol", "date": "t.patrolled_on", "category": None},
        "alerts": {"table": "alerts_alert", "date": _local_date("t.raised_at"), "moment": "t.raised_at",
                   "category": "t.module",
                   "now": {"open": f"t.status IN ({quoted(ACTIVE)})"}},
        "crimes": {"table": "crimes_crimecount", "date": "t.month", "category": "t.category_id::text",
                   "sum": "t.count", "kpi": {"crimes.total": "TRUE"}},
    }
    for spec in specs.values():
        spec.setdefault("base", "")
        spec.setdefault("joins", "")
        spec.setdefault("now", {})
        spec.setdefault("kpi", {})
        spec.setdefault("sum", None)
        spec.setdefault("moment", None)
    return specs


def _rate(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return float((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


KPI_FORMULAS = {  # key indicator -> (value, its parts), from the counts of hand_figures
    "events.closure_rate": (lambda c: _rate(c["events.closed"], c["events.reported"]),
                            ("events.reported", "events.closed")),
    "events.on_time_rate": (lambda c: _rate(c["events.closed_on_time"], c["events.reported"]), ()),
    "hazards.rectification_rate": (lambda c: _rate(c["hazards.rectified"], c["hazards.screened"]),
                                   ("hazards.screened", "hazards.rectified")),
    "disputes.resolution_rate": (lambda c: _rate(c["disputes.resolved"], c["disputes.screened"]),
                                 ("disputes.screened", "disputes.resolved")),
    "petitions.resolution_rate": (lambda c: _rate(c["petitions.assigned_resolved"], c["petitions.assigned"]),
                                  ("petitions.assigned", "petitions.assigned_resolved")),
    "crimes.total": (lambda c: c["crimes.total"], ()),
}


def hand_figures(user: User, node: Node, start: dt.date, end: dt.date, now: dt.datetime, keys: list[str]) -> dict:
    """The dashboard's figures by hand-written SQL: {measure: {...}}, {"kpis": ...}, children, alerts."""
    specs = _specs(user)
    today = timezone.localdate(now)
    last = end.replace(day=1)
    first = figures.add_months(last, -(figures.MONTHS - 1))
    window = min(start, figures.add_months(first, -12))
    prev_start, prev_end = figures.minus_year(start), figures.minus_year(end)
    params = {"path": node.path + "%", "start": start, "end": end, "pstart": prev_start, "pend": prev_end,
              "today": today, "now": now, "sysday": dt.date.today(), "window": window}
    zone = timezone.get_current_timezone()
    for name in ("start", "pstart", "today", "window"):
        params[f"{name}_at"] = timezone.make_aware(dt.datetime.combine(params[name], dt.time.min), zone)
    for name, day in (("end", end), ("pend", prev_end), ("today", today)):
        following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
        params[f"{name}_before"] = timezone.make_aware(following, zone)
    out: dict = {"measures": {}, "counts": {}, "previous_counts": {}}
    from pingan.alerts.models import ACTIVE

    active_sql = ", ".join(f"'{status}'" for status in ACTIVE)
    with connection.cursor() as cur:
        cur.execute("SELECT code, name FROM geo_node WHERE parent_id = %s ORDER BY code", [node.pk])
        children = cur.fetchall()
        length = max((len(code) for code, _ in children), default=0)
        for key in keys:
            spec = specs[key]
            base = f"AND {spec['base']}" if spec["base"] else ""
            d = spec["date"]

            def between(low: str, high: str) -> str:
                if spec["moment"]:
                    return f"{spec['moment']} >= %({low}_at)s AND {spec['moment']} < %({high}_before)s"
                return f"{d} BETWEEN %({low})s AND %({high})s"

            def agg(condition: str | None = None, value: str = spec["sum"] or "") -> str:
                where = f" FILTER (WHERE {condition})" if condition else ""
                return f"coalesce(sum({value}){where}, 0)" if value else f"count(*){where}"

            columns = [agg(between("start", "end")), agg(between("pstart", "pend")), agg(between("today", "today"))]
            names = ["total", "previous", "today"]
            for name, condition in spec["now"].items():
                columns.append(agg(condition))
                names.append(name)
            for kpi_key, condition in spec["kpi"].items():
                columns.append(agg(f"{between('start', 'end')} AND {condition}"))
                columns.append(agg(f"{between('pstart', 'pend')} AND {condition}"))
                names += [kpi_key, "previous:" + kpi_key]
            cur.execute(f"SELECT {', '.join(columns)} FROM {spec['table']} t "
                        f"JOIN geo_node n ON n.id = t.jurisdiction_id "
                        f"WHERE n.path LIKE %(path)s {base}", params)
            head = dict(zip(names, cur.fetchone()))
            for kpi_key in spec["kpi"]:
                out["counts"][kpi_key] = head.pop(kpi_key)
                out["previous_counts"][kpi_key] = head.pop("previous:" + kpi_key)
            category = spec["category"] or "NULL::text"
            cur.execute(f"""
                SELECT GROUPING(mth, child, cat), mth, child, cat, {agg(None, "t.count" if spec["sum"] else "")},
                       {agg("in_period", "t.count" if spec["sum"] else "")}
                FROM (SELECT {between("start", "end")} AS in_period, date_trunc('month', {d})::date AS mth,
                             substring(n.path from {len(node.path) + 1} for {length or 1}) AS child,
                             {category} AS cat{', ' + spec['sum'] + ' AS count' if spec['sum'] else ''}
                      FROM {spec['table']} t JOIN geo_node n ON n.id = t.jurisdiction_id {spec['joins']}
                      WHERE n.path LIKE %(path)s {base} AND {between("window", "end")}) t
                GROUP BY GROUPING SETS ((mth), (child), (cat))""", params)
            months, places, cats = {}, {}, {}
            for grouping, mth, child, cat, value_all, value_period in cur.fetchall():
                if grouping == 3:  # by month (child and cat rolled up)
                    months[mth] = value_all
                elif grouping == 5:
                    places[child] = value_period
                elif grouping == 6:
                    cats[cat] = value_period
            series = []
            for i in range(figures.MONTHS):
                month = figures.add_months(first, i)
                series.append((f"{month:%Y-%m}", months.get(month, 0), months.get(figures.add_months(month, -12), 0)))
            by_place = [(code, places.get(code) or 0) for code, _name in children]
            if children and places.get(""):
                by_place.append((node.code, places[""]))
            by_category = sorted(((str(c), v) for c, v in cats.items() if c not in (None, "") and v),
                                 key=lambda x: x[0])
            out["measures"][key] = {**head, "months": series, "by_place": by_place if children else [],
                                    "by_category": by_category if spec["category"] else []}
        cur.execute("""
            SELECT a.title FROM alerts_alert a JOIN geo_node n ON n.id = a.jurisdiction_id
            WHERE n.path LIKE %(path)s AND a.status IN ({active})
            ORDER BY CASE a.level WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END, a.raised_at DESC, a.id DESC
            LIMIT 8""".format(active=active_sql), params)
        out["alerts"] = [row[0] for row in cur.fetchall()]
    out["kpis"] = {}
    for key, (formula, parts) in KPI_FORMULAS.items():
        try:
            out["kpis"][key] = (formula(out["counts"]), formula(out["previous_counts"]),
                                tuple(out["counts"][p] for p in parts))
        except KeyError:  # its measure is not counted here
            continue
    return out


def comparable(data: dict) -> dict:
    """The figures of build() in hand_figures' shape."""
    result = {"measures": {}, "kpis": {}, "alerts": [a["title"] for a in data["alerts"]]}
    for m in data["measures"]:
        entry = {k: m[k] for k in ("total", "previous", "today", "overdue", "supervised", "open") if k in m}
        entry["months"] = [(row["month"], row["value"], row["previous"]) for row in m["months"]]
        entry["by_place"] = [(row["code"], row["value"]) for row in m["by_place"]]
        entry["by_category"] = sorted((row["code"], row["value"]) for row in m["by_category"])
        result["measures"][m["key"]] = entry
    for k in data["kpis"]:
        result["kpis"][k["key"]] = (k["value"], k["previous"], tuple(p["value"] for p in k["parts"]))
    return result


def differences(built: dict, hand: dict) -> list[str]:
    wrong = []
    for key, figures_ in built["measures"].items():
        other = hand["measures"].get(key)
        if other is None:
            wrong.append(f"{key}：手写 SQL 未覆盖此指标")
            continue
        for name, value in figures_.items():
            if other.get(name) != value:
                wrong.append(f"{key}.{name}：驾驶舱 {value!r} ≠ 手写 SQL {other.get(name)!r}")
    for key, value in built["kpis"].items():
        if key not in hand["kpis"]:
            wrong.append(f"关键指标 {key}：手写 SQL 未覆盖")
        elif hand["kpis"][key] != value:
            wrong.append(f"关键指标 {key}：驾驶舱 {value!r} ≠ 手写 SQL {hand['kpis'][key]!r}")
    if built["alerts"] != hand["alerts"]:
        wrong.append(f"预警列表：驾驶舱 {built['alerts']!r} ≠ 手写 SQL {hand['alerts']!r}")
    return wrong


# --- measurement ---------------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def backend_cpu() -> float:
    """CPU seconds the database server process of this connection has used (Linux /proc; the server runs
    on this machine for the benchmark); 0 when unreadable. Parallel workers' time is not included."""
    try:
        with open(f"/proc/{connection.connection.info.backend_pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, AttributeError, ValueError, IndexError):
        return 0.0


def _add(total: list[float], since: tuple[float, float]) -> tuple[float, float]:
    """Add the CPU used since `since` to `total`; return the readings now."""
    now = (time.process_time(), backend_cpu())
    total[0] += now[0] - since[0]
    total[1] += now[1] - since[1]
    return now


def measure(name: str, user: User, node: Node, runs: int) -> dict:
    start, end = default_period()
    now = timezone.now()
    keys = [m.key for m in registry_of_measures.measures_for(user)]
    specs = _specs(user)
    unknown = [k for k in keys if k not in specs]
    if unknown:
        print(f"  注意：指标 {unknown} 没有手写 SQL，比值不含其对应部分", flush=True)
    keys = [k for k in keys if k in specs]

    def built():
        return figures.build(user, start, end, node, now=now)

    def hand():
        return hand_figures(user, node, start, end, now, keys)

    for _ in range(2):  # warm up: imports, caches, plans
        built()
        hand()
    with CaptureQueriesContext(connection) as captured:
        data = built()
    build_queries = len(captured)
    with CaptureQueriesContext(connection) as captured:
        by_hand = hand()
    hand_queries = len(captured)
    wrong = differences(comparable(data), by_hand)
    times_build, times_hand = [], []
    cpu_build, cpu_hand = [0.0, 0.0], [0.0, 0.0]  # (this process, the database backend) in seconds
    for _ in range(runs):  # interleaved, so both see the same cache and load
        cpu = (time.process_time(), backend_cpu())
        began = time.perf_counter()
        built()
        times_build.append(time.perf_counter() - began)
        cpu = _add(cpu_build, cpu)
        began = time.perf_counter()
        hand()
        times_hand.append(time.perf_counter() - began)
        _add(cpu_hand, cpu)
    result = {
        "name": name, "runs": runs, "load": os.getloadavg()[0], "queries": build_queries,
        "hand_queries": hand_queries, "wrong": wrong,
        "p50": percentile(times_build, 0.5), "p95": percentile(times_build, 0.95),
        "hand_p50": percentile(times_hand, 0.5), "hand_p95": percentile(times_hand, 0.95),
        "mean": statistics.mean(times_build) * 1000, "hand_mean": statistics.mean(times_hand) * 1000,
        "cpu": [v / runs * 1000 for v in cpu_build], "hand_cpu": [v / runs * 1000 for v in cpu_hand],
        "period": f"{start}…{end}", "measures": len(data["measures"]), "kpis": len(data["kpis"]),
    }
    result["ratio"] = result["p50"] / result["hand_p50"] if result["hand_p50"] else float("nan")
    result["ratio95"] = result["p95"] / result["hand_p95"] if result["hand_p95"] else float("nan")
    return result


def show(result: dict, target: float) -> bool:
    ok_time = result["p95"] < target
    ok_ratio = result["ratio"] < RATIO_TARGET
    print(f"  {result['name']}（{result['period']}，{result['measures']} 项指标、{result['kpis']} 个关键指标，"
          f"{result['runs']} 次；机器负载 {result['load']:.1f}，{os.cpu_count()} 核）：", flush=True)
    print(f"    驾驶舱 build   p50 {result['p50']:8.1f} ms  p95 {result['p95']:8.1f} ms  "
          f"{result['queries']:>3} 条查询  平均 CPU：Python {result['cpu'][0]:6.1f} ms + 数据库 {result['cpu'][1]:6.1f} ms",
          flush=True)
    print(f"    手写 SQL       p50 {result['hand_p50']:8.1f} ms  p95 {result['hand_p95']:8.1f} ms  "
          f"{result['hand_queries']:>3} 条查询  平均 CPU：Python {result['hand_cpu'][0]:6.1f} ms + 数据库 "
          f"{result['hand_cpu'][1]:6.1f} ms", flush=True)
    print(f"    比值 build/手写 SQL：p50 {result['ratio']:.2f}，p95 {result['ratio95']:.2f}（目标 < {RATIO_TARGET:g}）"
          f"：{'达标' if ok_ratio else '未达标'}；p95 目标 < {target:g} ms：{'达标' if ok_time else '未达标'}",
          flush=True)
    if result["wrong"]:
        print(f"    数字不一致（{len(result['wrong'])} 处）：", flush=True)
        for line in result["wrong"][:20]:
            print(f"      {line}", flush=True)
    else:
        print("    两种算法的数字完全一致。", flush=True)
    return not result["wrong"]


def sizes(node: Node) -> str:
    parts = []
    for table, label in (("events_event", "事件"), ("hazards_hazard", "隐患"), ("disputes_dispute", "纠纷"),
                         ("petitions_petition", "信访"), ("people_specialenrollment", "特殊人群"),
                         ("campaigns_clue", "线索"), ("security_patrol", "巡防"), ("alerts_alert", "预警"),
                         ("crimes_crimecount", "刑案月报")):
        parts.append(f"{label} {table_rows(table, node.path):,}")
    return "，".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description="驾驶舱数据接口的耗时：全区与省级（10 个县）数据，对比手写 SQL")
    parser.add_argument("--runs", type=int, default=30, help="每项计时的次数（默认 30）")
    parser.add_argument("--counties", default="10", help="省级数据中有业务数据的县数，可逐步增大：如 2,5,10（默认 10）")
    parser.add_argument("--factor", default="1",
                        help="每个示范县复制全区数据的份数，可逐步增大：如 1,3,6（默认 1；在最多的县数上逐步测量）")
    parser.add_argument("--skip-district", action="store_true", help="不测全区")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("本基准测试需要 PostgreSQL（DATABASE_URL）。")
    try:
        steps = sorted({int(x) for x in args.counties.split(",") if x.strip()})
        factors = sorted({int(x) for x in args.factor.split(",") if x.strip()})
    except ValueError:
        raise SystemExit("--counties 与 --factor 应为逗号分隔的整数，如 2,5,10。") from None
    if not 3 <= args.runs <= 500 or not steps or not all(1 <= s <= 11 for s in steps) \
            or not factors or not all(1 <= f <= 9 for f in factors):
        raise SystemExit("参数超出范围：--runs 3–500，--counties 每项 1–11，--factor 每项 1–9。")
    print(f"  数据库：{DB_NAME}", flush=True)
    call_command("migrate", verbosity=0)
    ensure_district()
    province = ensure_province_structure()
    district = Node.objects.get(code=DISTRICT)
    plan = [(step, factors[0]) for step in steps] + [(steps[-1], factor) for factor in factors[1:]]
    # The district is measured in the database of the first step (by default the 10-county province).
    trim_province_data(*plan[0])
    ensure_province_data(*plan[0])
    ok = True
    if not args.skip_district:
        print(f"  全区（{district.name}）：{sizes(district)}", flush=True)
        zhongxin = User.objects.get(username="zhongxin")
        result = measure("全区 · 综治中心工作人员", zhongxin, district, args.runs)
        ok &= show(result, TARGETS["district"])
    user = province_user(province)
    for step, factor in plan:
        made = ensure_province_data(step, factor)
        if made:
            print(f"  新复制全区数据 {made} 份", flush=True)
        province.refresh_from_db()
        with connection.cursor() as cur:  # copies made by earlier runs with a larger --factor stay
            cur.execute("SELECT count(*) FROM bench_copies")
            copies = max(cur.fetchone()[0], step - 1)
        label = f"{step} 个县，共 {copies + 1} 份全区数据"
        print(f"  省级（{province.name}，{label}）：{sizes(province)}", flush=True)
        result = measure(f"省级 · {label} · 省综治中心", user, province, args.runs)
        ok &= show(result, TARGETS["province"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
