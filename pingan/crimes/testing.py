"""Leak-test factory: a month's count in township `side`. The marker is in its 数据来源 (the API shows it);
the month (in 1901, one no real figure uses) is the marker the ledger export shows."""
from __future__ import annotations

import datetime as dt
import itertools

from pingan.core.testing import leak_factory, marked, new_marker

from .models import CrimeCategory, CrimeCount

_months = itertools.count()


def ensure_categories() -> None:
    """The categories migration 0002 loads (a transactional test's flush empties the table)."""
    from .choices import CATEGORIES, POLICE_SERIOUS

    for code, name, order in CATEGORIES:
        CrimeCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order,
                                                                 "serious": code in POLICE_SERIOUS})


def make_count(world, side: str = "a", *, month=None, category: str = "theft", count: int = 5, source: str = "",
               actor=None):
    from .services import crime_count_set

    ensure_categories()
    row, _ = crime_count_set(actor=actor or world.officer(side), month=month or dt.date(2017, 3, 1),
                             township=world.township(side), category=CrimeCategory.objects.get(code=category),
                             count=count, source=source)
    return row


def put(world, side: str, year: int, month: int, code: str, count: int) -> CrimeCount:
    """A month's count written straight to the table (tests of the figures built on it)."""
    return CrimeCount.objects.create(month=dt.date(year, month, 1), jurisdiction=world.township(side),
                                     category=CrimeCategory.objects.get(code=code), count=count)


@leak_factory(CrimeCount)
def _crime_count(world, side):
    marker = new_marker()
    n = next(_months)
    month = dt.date(1901, 1 + n % 12, 1)
    row = make_count(world, side, month=month, category=("theft", "fraud", "other")[n // 12 % 3], count=7,
                     source=f"{marker}派出所月报")
    return marked(row, marker, f"{month:%Y-%m}")
