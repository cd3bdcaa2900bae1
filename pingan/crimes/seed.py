"""Demo crime statistics: 2014 to 2017 monthly counts by township and category whose totals are the seed
report's (all cases 490 → 358, −26.94%; 八类 by the police list 67 → 21, −68.66%, against 2016 and against
2014 alike — "三年以来"), and the last twelve months
(up to the current month) at about the 2017 level. District totals: the same at every scale.

Spread: each year's 八类 and other totals over the categories by typical shares, each category's year over
the months by a seasonal profile, each month over the townships by their number of villages and communities
(the tree holds no population; that count is its proxy); every split by largest remainders, so the sums are
exact. Deterministic for a given --seed.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count

from pingan.core.bulk import bulk_audit, bulk_insert
from pingan.core.registry import seeder
from pingan.core.seed import SeedContext
from pingan.geo.models import Node

from .choices import POLICE_SERIOUS
from .models import CrimeCategory, CrimeCount
from .months import add_months, this_month

COUNTY = "140311"
# 2017 against 2016 is the seed report's 同比 (−26.94%, −68.66%); the report says "三年以来", so 2014 (three years
# before 2017) has the same totals as 2016: 2017 against 2014 gives the same two figures.
YEARS = {2014: (490, 67), 2015: (512, 73), 2016: (490, 67), 2017: (358, 21)}
RECENT = (330, 18)  # a year's all cases and 八类 in the recent twelve months
SERIOUS_SHARES = {"injury": 42, "robbery": 20, "rape": 12, "arson": 9, "homicide": 6, "kidnapping": 5,
                  "explosion": 3, "hijacking": 3}
OTHER_SHARES = {"theft": 63, "fraud": 24, "other": 13}
SEASON = [7, 6, 8, 8, 9, 9, 10, 10, 9, 8, 8, 8]  # Jan..Dec: fewer around the Spring Festival, more in summer


def apportion(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, by largest remainders (ties to the earlier): sums exactly."""
    if total <= 0 or not weights or sum(weights) <= 0:
        return [0] * len(weights)
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _jitter(rng, weights: list[float], spread: float = 0.5) -> list[float]:
    return [w * (1 - spread / 2 + spread * rng.random()) for w in weights]


def year_rows(rng, total: int, serious: int, months: list[dt.date], towns: list[tuple[Node, float]],
              categories: dict[str, CrimeCategory]) -> list[CrimeCount]:
    """Counts for `months` (twelve) whose sums are `total` and `serious` (八类 by the police list)."""
    rows = []
    by_category: dict[str, int] = {}
    for shares, amount in ((SERIOUS_SHARES, serious), (OTHER_SHARES, total - serious)):
        codes = list(shares)
        for code, n in zip(codes, apportion(amount, _jitter(rng, [shares[c] for c in codes], 0.3))):
            by_category[code] = n
    for code, n in by_category.items():
        per_month = apportion(n, _jitter(rng, SEASON[: len(months)] if len(months) == 12 else [1] * len(months)))
        for month, m in zip(months, per_month):
            per_town = apportion(m, _jitter(rng, [w for _, w in towns]))
            for (town, _), c in zip(towns, per_town):
                if c:
                    rows.append(CrimeCount(month=month, jurisdiction=town, category=categories[code], count=c,
                                           source="演示数据：区公安分局月度刑事案件统计"))
    return rows


@seeder("crimes", order=55)
def seed_crimes(ctx: SeedContext) -> None:
    if ctx.structure_only:
        return
    county = Node.objects.filter(code=COUNTY).first()
    if county is None:
        return
    towns = list(Node.objects.filter(level="township", path__startswith=county.path)
                 .annotate(places=Count("children")).order_by("code"))
    if not towns:
        return
    weighted = [(t, float(max(t.places, 1))) for t in towns]
    categories = {c.code: c for c in CrimeCategory.objects.all()}
    if not set(SERIOUS_SHARES) | set(OTHER_SHARES) <= set(categories):
        ctx.log("  刑事案件统计：案件类别表不完整，跳过")
        return
    existing = set(CrimeCount.objects.filter(jurisdiction__path__startswith=county.path)
                   .values_list("month", flat=True).distinct())
    rng = ctx.fork("crimes")
    rows: list[CrimeCount] = []
    for year, (total, serious) in YEARS.items():
        months = [dt.date(year, m, 1) for m in range(1, 13)]
        made = year_rows(rng, total, serious, months, weighted, categories)
        rows += [r for r in made if r.month not in existing]
    current = this_month()
    recent = [add_months(current, -i) for i in range(11, -1, -1)]
    recent = [m for m in recent if m.year > 2017]
    if recent:
        made = year_rows(rng, RECENT[0] * len(recent) // 12, RECENT[1] * len(recent) // 12, recent, weighted,
                         categories)
        rows += [r for r in made if r.month not in existing]
    with transaction.atomic():
        bulk_insert(CrimeCount, rows)
        bulk_audit(actor=None, action="crimecount.seed", instances=rows, created=True)
    serious_codes = POLICE_SERIOUS
    for year in YEARS:
        got = [r for r in rows if r.month.year == year]
        if got:
            ctx.log(f"  刑事案件统计 {year} 年：{sum(r.count for r in got)} 起，八类 "
                    f"{sum(r.count for r in got if r.category.code in serious_codes)} 起")
    ctx.log(f"  刑事案件统计：写入 {len(rows)} 条月度记录")
