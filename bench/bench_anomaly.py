"""Benchmark: the anomaly rules (pingan/alerts/anomaly.py, disputes.anomaly / events.anomaly).

1. Precision and recall on planted anomalies, in memory: villages × categories × 13 months of Poisson background
   (each series its own rate, log-uniform between 0.3 and 8 a month), in some series the 13th month's rate
   multiplied by 3 to 5 (the planted anomalies); `find_anomalies` with the rule's defaults (12 months of
   history, at least 3, at least 6 months, alpha 0.001) is scored against the plants, over several draws.
   Recall is also shown by background rate: a tripled rate of 0.5 a month (1.5) cannot be told from chance.
2. The disputes rule's scan on the configured database: one draw written as disputes (in 2030–2031, apart from
   any other data; kept for the next run), `scan_anomaly` timed (p50 of repeated runs: its aggregate query, the
   test of every series, the villages read) against a baseline measured in the same run: the same aggregate
   as hand-written SQL, rows fetched. Its precision and recall against the plants are shown too.

    make bench                                   # all benchmarks (PostgreSQL)
    .venv/bin/python bench/bench_anomaly.py [--villages 500] [--categories 6] [--planted 60] [--draws 20]
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import statistics
import sys
import time
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from pingan.alerts import anomaly  # noqa: E402

MONTHS = 13
NUMBER_PREFIX = "BNA"                      # the bench's disputes
SCAN_NOW = dt.date(2031, 2, 10)            # target 2031-01, history 2030-01 … 2030-12
FIRST_MONTH = dt.date(2030, 1, 1)
RATE_BANDS = ((0.3, 1.0), (1.0, 3.0), (3.0, 8.01))


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson draw by inversion (λ here is at most 40)."""
    u = rng.random()
    k, p = 0, math.exp(-lam)
    cumulative = p
    while u > cumulative and k < 1000:
        k += 1
        p *= lam / k
        cumulative += p
    return k


def draw(seed: int, villages: int, categories: int, planted: int):
    """One planted data set: {(village, category): [13 monthly counts]}, the planted keys, the rates."""
    rng = random.Random(seed)
    rates = {(v, c): math.exp(rng.uniform(math.log(0.3), math.log(8.0)))
             for v in range(villages) for c in range(categories)}
    plants = set(rng.sample(sorted(rates), planted))
    series = {}
    for key, lam in rates.items():
        counts = [poisson(rng, lam) for _ in range(MONTHS - 1)]
        counts.append(poisson(rng, lam * (rng.uniform(3.0, 5.0) if key in plants else 1.0)))
        series[key] = counts
    return series, plants, rates


def binomial_sf(x: int, total: int, p: float) -> float:
    """P(Bin(total, p) ≥ x), exact."""
    return sum(math.comb(total, k) * p ** k * (1 - p) ** (total - k) for k in range(x, total + 1))


def conditional_found(series, *, min_count=anomaly.MIN_COUNT, alpha=anomaly.ALPHA) -> set:
    """For comparison only: the conditional test of two Poisson rates, which counts the uncertainty of the
    history's mean (given x + S events in n + 1 months, the current month's share is Bin(x + S, 1/(n + 1)))."""
    found = set()
    for key, counts in series.items():
        history, x = counts[:-1], counts[-1]
        if x >= min_count and binomial_sf(x, x + sum(history), 1 / (len(history) + 1)) < alpha:
            found.add(key)
    return found


def rows_of(series, first: dt.date):
    for (v, c), counts in series.items():
        for i, n in enumerate(counts):
            if n:
                yield v, c, anomaly.add_months(first, i), n


def score(found: set, plants: set) -> tuple[int, int, int]:
    return len(found & plants), len(found - plants), len(plants - found)


def ratio(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


# ------------------------------------------------------------------------------------------------ 1. in memory
def in_memory(args) -> tuple[float, float]:
    target = anomaly.add_months(FIRST_MONTH, MONTHS - 1)
    tp = fp = fn = 0
    other = [0, 0, 0]
    band = defaultdict(lambda: [0, 0])  # band -> [found, planted]
    times = []
    for seed in range(args.draws):
        series, plants, rates = draw(seed, args.villages, args.categories, args.planted)
        rows = list(rows_of(series, FIRST_MONTH))
        started = time.perf_counter()
        found = {key for key, _r in anomaly.find_anomalies(rows, target=target)}
        times.append(time.perf_counter() - started)
        a, b, c = score(found, plants)
        tp, fp, fn = tp + a, fp + b, fn + c
        other = [x + y for x, y in zip(other, score(conditional_found(series), plants))]
        for key in plants:
            for low, high in RATE_BANDS:
                if low <= rates[key] < high:
                    band[(low, high)][0] += key in found
                    band[(low, high)][1] += 1
    precision, recall = ratio(tp, fp, fn)
    series_count = args.villages * args.categories
    print(f"一、内存中的标注数据：{args.villages} 个村 × {args.categories} 类 × {MONTHS} 个月，每次 {series_count:,} 条序列、"
          f"植入 {args.planted} 个异常（末月发生率 ×3～5），共 {args.draws} 次抽样")
    print(f"    默认参数（历史 12 个月，至少 3 件，历史至少 6 个月，α=0.001）：精确率 {precision:.3f}，召回率 {recall:.3f}；"
          f"TP {tp} FP {fp} FN {fn}；每次检验全部序列 p50 {statistics.median(times) * 1000:.1f} 毫秒")
    tested = args.draws * (series_count - args.planted)
    print(f"    误报率：每条无异常的序列 {fp / tested:.4f}（{fp}/{tested:,}）")
    c_precision, c_recall = ratio(*other)
    print(f"    对照（不采用）：条件二项检验（计入历史均值的不确定性）精确率 {c_precision:.3f}，召回率 {c_recall:.3f}；"
          f"TP {other[0]} FP {other[1]} FN {other[2]}")
    print("    按背景发生率的召回率：" + "；".join(
        f"{low:g}～{min(high, 8):g} 件/月 {found}/{total}（{found / total:.0%}）" for (low, high), (found, total)
        in sorted(band.items()) if total))
    return precision, recall


# ------------------------------------------------------------------------------------------------ 2. the scan
def ensure_disputes(series, villages: list[int], groups: list[str]) -> int:
    """Write the draw as disputes once (kept for the next run); returns how many were added. Every other
    dispute of a village with grids sits at its first grid (the rule counts it for the village)."""
    from pingan.disputes.models import Dispute
    from pingan.geo.models import Node

    grids = {}
    for parent, pk in Node.objects.filter(level="grid", parent_id__in=villages).order_by("-path") \
            .values_list("parent_id", "pk"):
        grids[parent] = pk

    if Dispute.objects.filter(number__startswith=NUMBER_PREFIX).exists():
        return 0
    batch, added = [], 0
    for (v, c), counts in sorted(series.items()):
        for i, n in enumerate(counts):
            month = anomaly.add_months(FIRST_MONTH, i)
            for j in range(n):
                day = month + dt.timedelta(days=j % 28)
                batch.append(Dispute(
                    number=f"{NUMBER_PREFIX}{added + len(batch):09d}", title="基准测试纠纷", occurred_on=day,
                    registered_on=day, category=groups[c] + "99", summary="基准测试：异常检测",
                    jurisdiction_id=grids.get(villages[v], villages[v]) if j % 2 else villages[v],
                    state="closed"))
        if len(batch) >= 20000:
            with transaction.atomic():
                Dispute.objects.bulk_create(batch)
            added += len(batch)
            batch = []
    if batch:
        with transaction.atomic():
            Dispute.objects.bulk_create(batch)
        added += len(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Dispute._meta.db_table}")
    return added


def baseline_sql(first: dt.date, end: dt.date) -> list:
    """The scan's aggregate as hand-written SQL."""
    from pingan.disputes.models import Dispute
    from pingan.geo.models import Node

    month = "date_trunc('month', d.registered_on)" if connection.vendor == "postgresql" \
        else "strftime('%%Y-%%m-01', d.registered_on)"
    sql = (f"SELECT CASE WHEN n.level = 'grid' THEN n.parent_id ELSE d.jurisdiction_id END, "
           f"substr(d.category, 1, 2), {month}, count(*) "
           f"FROM {Dispute._meta.db_table} d JOIN {Node._meta.db_table} n ON n.id = d.jurisdiction_id "
           f"WHERE d.registered_on >= %s AND d.registered_on < %s AND n.level IN ('village', 'community', 'grid') "
           f"GROUP BY 1, 2, 3")
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, end])
        return cursor.fetchall()


def scan_timed(args) -> bool:
    from pingan.alerts.registry import get_rule
    from pingan.disputes import choices as c
    from pingan.disputes.alerts import ANOMALY, anomaly_counts, scan_anomaly
    from pingan.geo.models import Node

    villages = list(Node.objects.filter(level__in=("village", "community")).order_by("path")
                    .values_list("pk", flat=True)[: args.villages])
    groups = sorted(code for code in c.CATEGORY_LABELS if len(code) == 2)[: args.categories]
    if not villages or len(groups) < args.categories:
        print("二、跳过：数据库中没有村(社区)，请先运行 bench/prepare.py")
        return True
    planted = max(1, round(args.planted * len(villages) / args.villages))
    series, plants, _rates = draw(10_000, len(villages), len(groups), planted)
    added = ensure_disputes(series, villages, groups)
    now = dt.datetime.combine(SCAN_NOW, dt.time(10), tzinfo=timezone.get_current_timezone())
    params = get_rule(ANOMALY).defaults
    first, target, end = anomaly.window(SCAN_NOW, params["months"])
    scans, bases, specs = [], [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        specs = list(scan_anomaly(params, now))
        scans.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        raw = baseline_sql(first, end)
        bases.append((time.perf_counter() - started) * 1000)
    orm_rows = len(list(anomaly_counts(first, end)))
    by_pk = {pk: i for i, pk in enumerate(villages)}
    by_group = {g: i for i, g in enumerate(groups)}
    found = {(by_pk[s.jurisdiction.pk], by_group[s.key.split(":")[2]]) for s in specs}
    tp, fp, fn = score(found, plants)
    precision, recall = ratio(tp, fp, fn)
    rows = sum(sum(counts) for counts in series.values())
    scan_p50, base_p50 = statistics.median(scans), statistics.median(bases)
    print(f"二、纠纷异常规则的扫描（{connection.vendor}）：{len(villages)} 个村 × {len(groups)} 类 × {MONTHS} 个月，"
          f"纠纷 {rows:,} 件（本次新写入 {added:,} 件），植入 {len(plants)} 个异常；聚合 {orm_rows:,} 行"
          f"（手写 SQL {len(raw):,} 行）")
    print(f"    预警 {len(specs)} 条：精确率 {precision:.3f}，召回率 {recall:.3f}；TP {tp} FP {fp} FN {fn}")
    print(f"    扫描 p50 {scan_p50:.1f} 毫秒（{args.repeat} 次）；基线（同一聚合的手写 SQL）p50 {base_p50:.1f} 毫秒；"
          f"扫描 / 基线 = {scan_p50 / base_p50:.2f} 倍")
    return orm_rows == len(raw)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=500)
    parser.add_argument("--categories", type=int, default=6)
    parser.add_argument("--planted", type=int, default=60)
    parser.add_argument("--draws", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-db", action="store_true", help="only the in-memory part")
    args = parser.parse_args()
    in_memory(args)
    # No target is set for precision; the run fails only when the rule's aggregate and the SQL disagree.
    return 0 if args.no_db or scan_timed(args) else 1


if __name__ == "__main__":
    sys.exit(main())
