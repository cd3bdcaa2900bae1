"""Benchmark: import a `people` ledger (csv, default 1,000,000 rows) on PostgreSQL, against COPY of the same
rows, then look people up by full ID number through the keyed hash index.

Reports rows/s, the process's peak memory (target under 1 GB), the ratio of the import to a PostgreSQL COPY
of the same file into a plain table in the same run (target within 5x), and the lookup time by full ID
number (target under 5 ms) with all those people in the table.

    make bench                                   # all benchmarks
    .venv/bin/python bench/bench_people.py [--rows N] [--lookups N]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from pingan.accounts.models import User  # noqa: E402
from pingan import ledgers
from pingan.core import personal  # noqa: E402
from pingan.core.context import command_context  # noqa: E402
from pingan.geo.models import Node  # noqa: E402
from pingan.people import services  # noqa: E402
from pingan.people.models import Person  # noqa: E402

MARK = "BENCH-PEOPLE"
REGIONS = ["140311", "140302", "140303", "140321", "140322"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def make_csv(path: str, rows: int, grids: list[str]) -> list[str]:
    """Unique valid ID numbers (region, birth date, sequence, check digit); returns a sample for lookups."""
    rng = random.Random(2017)
    sample: list[str] = []
    start = dt.date(1930, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["公民身份号码", "姓名", "性别", "出生日期", "民族", "人口类型", "所属网格", "现住地址", "户籍地址",
                         "联系电话", "备注"])
        for i in range(rows):
            # (region, day, sequence) from i: unique for up to 5 × 29,000 days × 1000 sequences.
            region = REGIONS[i % len(REGIONS)]
            born = start + dt.timedelta(days=(i // 5) % 29000)
            seq = (i // (5 * 29000)) % 1000
            first17 = f"{region}{born:%Y%m%d}{seq:03d}"
            id_number = first17 + personal.check_char(first17)
            if i % max(rows // 1000, 1) == 0:
                sample.append(id_number)
            phone = f"13{rng.randrange(10**9):09d}" if i % 4 else ""
            writer.writerow([id_number, f"居民{i}", "", "", "汉族", "流动人口" if i % 10 == 0 else "户籍人口",
                             grids[i % len(grids)], f"第{i % 300}号院", "", phone, MARK])
    return sample


def clear_previous() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_person WHERE note = %s", [MARK])


def copy_baseline(path: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_people_copy")
        cursor.execute("""CREATE TABLE bench_people_copy (id_number varchar(18), name varchar(50), sex varchar(2),
            birth_date date, ethnicity varchar(10), person_type varchar(10), grid varchar(20), address varchar(200),
            household_address varchar(200), phone varchar(20), note text)""")
    raw = connection.connection
    started = time.perf_counter()
    with raw.cursor() as cursor, open(path, "rb") as handle:
        with cursor.copy("COPY bench_people_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while data := handle.read(1 << 20):
                copy.write(data)
    raw.commit()
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_people_copy")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=500)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("本基准需要 PostgreSQL（设置 DATABASE_URL）。")
        return 1
    user = User.objects.select_related("scope").get(username="admin")
    grids = list(Node.objects.grids().order_by("code").values_list("code", flat=True))
    clear_previous()
    tmp = tempfile.mkdtemp(prefix="pingan-bench-")
    path = os.path.join(tmp, "people.csv")
    sample = make_csv(path, args.rows, grids)
    size_mb = os.path.getsize(path) / 1024 / 1024

    copy_seconds = copy_baseline(path)
    rss_before = rss_mb()
    started = time.perf_counter()
    with command_context("bench"):
        result = ledgers.import_ledger(ledgers.get("people"), path, user=user)
    import_seconds = time.perf_counter() - started
    rss_after = rss_mb()
    if not result.ok:
        print("导入失败：", result.summary(), [str(p) for p in result.problems[:5]])
        return 1

    total = Person.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
    rng = random.Random(7)
    timings = []
    for id_number in (rng.choice(sample) for _ in range(args.lookups)):
        started = time.perf_counter()
        person = services.find_by_id_number(id_number)
        timings.append((time.perf_counter() - started) * 1000)
        assert person is not None
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]

    ratio = import_seconds / copy_seconds if copy_seconds else float("inf")
    print(f"文件：{args.rows} 行，{size_mb:.1f} MB")
    print(f"导入：{import_seconds:.1f} 秒，{args.rows / import_seconds:,.0f} 行/秒（新增 {result.created}，"
          f"含逐行校验、加密、查询散列和逐条审计）")
    print(f"COPY 基线：{copy_seconds:.2f} 秒；导入 / COPY = {ratio:.1f} 倍（目标 ≤ 5 倍）")
    print(f"内存：进程峰值 {rss_after:.0f} MB（导入前 {rss_before:.0f} MB；目标 < 1024 MB）")
    print(f"按完整证件号码查询（{total:,} 人）：中位 {statistics.median(timings):.2f} 毫秒，P95 {p95:.2f} 毫秒，"
          f"最长 {timings[-1]:.2f} 毫秒（目标 < 5 毫秒）")
    clear_previous()
    ok = rss_after < 1024 and p95 < 5
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
