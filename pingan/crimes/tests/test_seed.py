"""Demo crime figures: the report's totals exactly, deterministic, idempotent, none for a structure-only seed."""
from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from pingan.core.indicators import Query
from pingan.core.seed import SeedContext
from pingan.crimes.models import CrimeCount
from pingan.crimes.seed import apportion, seed_crimes


def ctx(structure_only=False, seed=7):
    return SeedContext(seed=seed, scale="small", structure_only=structure_only, password="x", password_hash="x")


def test_apportion_splits_exactly_by_largest_remainders():
    # 10 by 1:1:1 → 3.33 each, the first gets the spare one.
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    # 67 by 42:20:12:9:6:5:3:3 (of 100): 28.14, 13.40, 8.04, 6.03, 4.02, 3.35, 2.01, 2.01 → floors sum to 66; the
    # one left goes to the largest remainder, 0.40 (13.40 → 14), not 0.35.
    assert apportion(67, [42, 20, 12, 9, 6, 5, 3, 3]) == [28, 14, 8, 6, 4, 3, 2, 2]
    assert apportion(0, [1, 2]) == [0, 0] and apportion(5, []) == []


def test_the_seed_gives_the_reports_totals_and_changes(world):
    seed_crimes(ctx())
    year = lambda y: CrimeCount.objects.filter(month__year=y)  # noqa: E731
    assert year(2016).aggregate(n=Sum("count"))["n"] == 490
    assert year(2017).aggregate(n=Sum("count"))["n"] == 358
    assert year(2016).filter(category__serious=True).aggregate(n=Sum("count"))["n"] == 67
    assert year(2017).filter(category__serious=True).aggregate(n=Sum("count"))["n"] == 21
    q = Query(dt.date(2017, 1, 1), dt.date(2017, 12, 31), world.county)
    assert (q["crimes.total_change"], q["crimes.serious_change"]) == (-0.2694, -0.6866)
    # Spread: every month of both years, both townships, several categories.
    assert year(2017).values("month").distinct().count() == 12
    assert year(2016).values("jurisdiction").distinct().count() == 2
    assert year(2016).values("category").distinct().count() >= 8
    # The recent twelve months are there too, at a plausible level.
    recent = CrimeCount.objects.filter(month__year__gt=2017).aggregate(n=Sum("count"))["n"]
    assert 0 < recent <= 330
    rows = CrimeCount.objects.count()
    seed_crimes(ctx())
    assert CrimeCount.objects.count() == rows


def test_the_seed_is_deterministic(world):
    seed_crimes(ctx(seed=3))
    first = sorted(CrimeCount.objects.values_list("month", "jurisdiction__code", "category__code", "count"))
    CrimeCount.objects.all().delete()
    seed_crimes(ctx(seed=3))
    assert sorted(CrimeCount.objects.values_list("month", "jurisdiction__code", "category__code", "count")) == first


def test_a_structure_only_seed_makes_no_figures(world):
    seed_crimes(ctx(structure_only=True))
    assert not CrimeCount.objects.exists()
