"""Benchmark: the repeat-petition matcher (pingan/petitions/repeats.py).

1. Precision and recall at `repeats.THRESHOLD` on the labelled set bench/data/petition_pairs.tsv (pairs written
   like the district's petitions; label 1 = one matter told twice), scored with the idf of an index of
   100,000 generated petitions (targets: precision ≥ 0.9 at recall ≥ 0.8).
2. Lookup time p50/p95 of `Index.query` over those 100,000 petitions (target < 50 ms), against a baseline
   measured in the same run: a bare SELECT of one petition by primary key on the configured database.

    make bench                                  # all benchmarks (PostgreSQL)
    .venv/bin/python bench/bench_repeats.py [--rows N] [--lookups N]
"""
from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "bench", "data"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pingan.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

import make_petition_pairs as gen  # noqa: E402
from pingan.petitions import repeats  # noqa: E402


def load_pairs() -> list[tuple[int, str, str, str]]:
    with open(os.path.join(ROOT, "bench", "data", "petition_pairs.tsv"), encoding="utf-8") as fh:
        return [(int(r["label"]), r["topic"], r["a"], r["b"]) for r in csv.DictReader(fh, delimiter="\t")]


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "建国秀英志刚桂兰海平玉梅俊峰小燕长生红霞福贵文斌春花永明二虎金莲跃进卫东丽娟晓军美玲宏伟淑珍德胜"
PLACE = "固庄杨家东官沟小河平坦旧街西峪荫营河底南辛兴前义井桃林石卜咀北岔千亩坪白羊墅赛鱼五渡"
BIZ = "鑫达华润晋阳宏盛兴旺瑞丰恒通天宇龙腾富民聚源金泰祥和永安三联宝昌"


def background(rows: int) -> list[str]:
    """Petitions of the same topics and phrasings, about other people, places and firms (the district's
    names are many: a name in the labelled set is rare among 100,000 petitions, as in the real registers)."""
    rng = random.Random(7)
    topics = list(gen.TOPICS)
    out = []
    for i in range(rows):
        f = gen.facts()
        f.update(n=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2]))),
                 v="".join(rng.sample(PLACE, 2)) + "村", c="".join(rng.sample(BIZ, 2)) + rng.choice(["公司", "煤业", "建材厂"]),
                 e="".join(rng.sample(PLACE, 2)) + rng.choice(["小区", "花园", "家园"]),
                 m=round(rng.uniform(1, 60), 1), a=rng.randint(2, 90), k=rng.randint(5, 200))
        out.append(rng.choice(gen.TOPICS[topics[i % len(topics)]]).format(**f))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def baseline_ms(lookups: int) -> float:
    """A bare indexed SELECT by primary key (geo_node, always present), p50 in ms."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM geo_node ORDER BY id LIMIT 1")
        row = cursor.fetchone()
        pk = row[0] if row else 1
        times = []
        for _ in range(lookups):
            t = time.perf_counter()
            cursor.execute("SELECT id, name FROM geo_node WHERE id = %s", [pk])
            cursor.fetchone()
            times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=300)
    args = parser.parse_args()
    pairs = load_pairs()
    index = repeats.Index()
    started = time.perf_counter()
    for pk, text in enumerate(background(args.rows), start=1):
        index.add(pk, text)
    build = time.perf_counter() - started

    def score(a: str, b: str) -> float:
        ga, gb = repeats.grams(a), repeats.grams(b)
        return repeats.weighted_jaccard(ga, gb, {g: index.idf(g) for g in ga | gb})

    scored = [(label, score(a, b)) for label, _t, a, b in pairs]
    tp = sum(1 for label, s in scored if label and s >= repeats.THRESHOLD)
    fp = sum(1 for label, s in scored if not label and s >= repeats.THRESHOLD)
    fn = sum(1 for label, s in scored if label and s < repeats.THRESHOLD)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    positives = sum(1 for label, *_ in pairs if label)

    # Lookups: each labelled pair's first text added to the index; the second text of each positive pair looked
    # up among the 100,000 (does the first come back among the five shown?).
    base = args.rows + 1
    for i, (_l, _t, a, _b) in enumerate(pairs):
        index.add(base + i, a)
    times, found, asked = [], 0, 0
    rng = random.Random(1)
    queries = [(i, b) for i, (label, _t, _a, b) in enumerate(pairs) if label]
    rng.shuffle(queries)
    for i, text in (queries * (args.lookups // len(queries) + 1))[:args.lookups]:
        t = time.perf_counter()
        hits = index.query(text)
        times.append((time.perf_counter() - t) * 1000)
        found += any(pk == base + i for pk, _s in hits)
        asked += 1
    p50, p95 = pct(times, 0.5), pct(times, 0.95)
    select = baseline_ms(args.lookups)
    print(f"标注集：{len(pairs)} 对（相同事项 {positives} 对），阈值 {repeats.THRESHOLD}")
    print(f"精确率 {precision:.3f}（目标 ≥ 0.9），召回率 {recall:.3f}（目标 ≥ 0.8）；TP {tp} FP {fp} FN {fn}")
    print(f"索引：{args.rows:,} 件，建立 {build:.1f} 秒（每个进程一次，之后按主键增量）")
    print(f"查找：{len(times)} 次，p50 {p50:.1f} 毫秒，p95 {p95:.1f} 毫秒（目标 < 50 毫秒）；"
          f"以相同事项的另一种说法查找，{found}/{asked} 次找回原件（{found / asked:.1%}）")
    print(f"基线（{connection.vendor} 按主键 SELECT 一行）p50 {select:.3f} 毫秒；查找 p50 / 基线 = {p50 / select:.0f} 倍")
    ok = precision >= 0.9 and recall >= 0.8 and p95 < 50
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
