"""Benchmark: import a 100,000-row hazards ledger (csv) on PostgreSQL, against COPY of the same rows.

Reports rows/s, the peak memory of the import (resident set growth, and tracemalloc on a 10,000-row sample),
the ratio of the import time to a PostgreSQL COPY of the same file into a plain table in the same run
(target: within 5x), and the time to compute the district's hazard indicators.

    make bench                      # all benchmarks
    .venv/bin/python bench/bench_hazards_import.py [--rows N]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from pingan.accounts.models import User  # noqa: E402
from pingan.core import indicators  # noqa: E402
from pingan import ledgers  # noqa: E402
from pingan.core.context import command_context  # noqa: E402
from pingan.cases.models import TransitionLog
from pingan.geo.models import Node  # noqa: E402
from pingan.hazards.models import Hazard  # noqa: E402

PREFIX = "BENCH-"
TYPES = ["火灾", "治安", "矛盾纠纷", "危化物品", "疾病传染", "其他", "征地拆迁", "村矿矛盾", "安全生产", "涉众金融"]
LEVELS = ["高", "中", "低"]
STATES = ["已整治"] * 13 + ["整治中"] * 1 + ["未整治"] * 1


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def make_csv(path: str, rows: int, villages: list[Node], townships: dict[int, str]) -> None:
    rng = random.Random(2017)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(ledgers.get("hazards").headers)
        for i in range(rows):
            village = villages[i % len(villages)]
            place = village.code if i % 2 else f"{townships[village.parent_id]}/{village.short_name}"
            screened = dt.date(2017, 1, 1) + dt.timedelta(days=rng.randrange(365))
            deadline = screened + dt.timedelta(days=rng.choice([10, 20, 30, 60]))
            state = rng.choice(STATES)
            done = (screened + dt.timedelta(days=rng.randrange(1, 40))).isoformat() if state == "已整治" else ""
            writer.writerow([f"{PREFIX}{i:06d}", screened.isoformat(), place, rng.choice(TYPES), rng.choice(LEVELS),
                             f"第{i}号隐患：{rng.choice(['柴草堆放', '电线老化', '土地纠纷', '采空区塌陷'])}",
                             rng.choice(["乡镇安监站", "派出所", "村委会", "国土所"]), "负责人",
                             deadline.isoformat(), state, done])


def clear_previous() -> None:
    ids = list(Hazard.objects.filter(number__startswith=PREFIX).values_list("pk", flat=True))
    for start in range(0, len(ids), 10000):
        chunk = ids[start:start + 10000]
        TransitionLog.objects.filter(case_type="hazards.hazard", case_id__in=chunk).delete()
        Hazard.objects.filter(pk__in=chunk).delete()


def copy_baseline(path: str) -> float:
    """COPY the same csv into a plain typed table (no keys), timed, in the same database."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_hazard_copy")
        cursor.execute("""CREATE TABLE bench_hazard_copy (number varchar(40), screened_on date, place varchar(100),
            hazard_type varchar(20), risk_level varchar(4), description text, unit varchar(100), person varchar(50),
            deadline date, state varchar(10), rectified_on date)""")
    connection.commit() if not connection.get_autocommit() else None
    raw = connection.connection
    started = time.perf_counter()
    with raw.cursor() as cursor, open(path, "rb") as handle:
        with cursor.copy("COPY bench_hazard_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while data := handle.read(1 << 20):
                copy.write(data)
    raw.commit()
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_hazard_copy")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("本基准需要 PostgreSQL（设置 DATABASE_URL）。")
        return 1
    user = User.objects.select_related("scope").get(username="admin")
    villages = list(Node.objects.villages().order_by("code"))
    townships = dict(Node.objects.townships().values_list("id", "name"))
    spec = ledgers.get("hazards")
    clear_previous()
    tmp = tempfile.mkdtemp(prefix="pingan-bench-")
    path = os.path.join(tmp, "hazards.csv")
    make_csv(path, args.rows, villages, townships)
    size_mb = os.path.getsize(path) / 1024 / 1024

    copy_seconds = copy_baseline(path)

    rss_before = rss_mb()
    started = time.perf_counter()
    with command_context("bench"):
        result = ledgers.import_ledger(spec, path, user=user)
    import_seconds = time.perf_counter() - started
    rss_after = rss_mb()
    if not result.ok:
        print("导入失败：", result.summary(), [str(p) for p in result.problems[:5]])
        return 1

    # Re-import of the same file: everything unchanged, nothing written.
    started = time.perf_counter()
    again = ledgers.import_ledger(spec, path, user=user)
    reimport_seconds = time.perf_counter() - started

    # tracemalloc on a 10,000-row sample (tracemalloc slows Python down, so not on the timed run).
    sample = os.path.join(tmp, "sample.csv")
    with open(path, encoding="utf-8") as src, open(sample, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i > 10_000:
                break
            dst.write(line.replace(PREFIX, PREFIX + "S", 1) if i else line)
    tracemalloc.start()
    ledgers.import_ledger(spec, sample, user=user, dry_run=True)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Earlier runs' rows were deleted: without VACUUM ANALYZE the planner works from stale statistics over
    # dead tuples and the indicator timing measures bloat, not the query (autovacuum does this in production).
    with connection.cursor() as cursor:
        for table in ("hazards_hazard", "core_transitionlog", "core_auditentry", "geo_node"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    county = Node.objects.filter(level="county").order_by("path").first()
    started = time.perf_counter()
    stats = indicators.compute(indicators.Query(dt.date(2017, 1, 1), dt.date(2017, 12, 31), county),
                               keys=["hazards"])
    indicator_seconds = time.perf_counter() - started

    ratio = import_seconds / copy_seconds if copy_seconds else float("inf")
    print(f"文件：{args.rows} 行，{size_mb:.1f} MB")
    print(f"导入：{import_seconds:.2f} 秒，{args.rows / import_seconds:,.0f} 行/秒（新增 {result.created}）")
    print(f"COPY 基线：{copy_seconds:.3f} 秒；导入 / COPY = {ratio:.1f} 倍（目标 ≤ 5 倍）")
    print(f"内存：进程峰值 {rss_after:.0f} MB（导入前 {rss_before:.0f} MB，增长 {rss_after - rss_before:.0f} MB；"
          f"目标 < 500 MB）；1 万行抽样 tracemalloc 峰值 {traced_peak / 1024 / 1024:.1f} MB")
    print(f"重复导入同一文件：{reimport_seconds:.2f} 秒（无变化 {again.unchanged} 行，写入 0 行）")
    print(f"全区隐患指标：{indicator_seconds * 1000:.0f} 毫秒 → {stats['hazards']}")
    clear_previous()
    return 0 if rss_after < 500 else 1


if __name__ == "__main__":
    sys.exit(main())
