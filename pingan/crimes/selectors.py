"""Reads of the crime statistics, always from `CrimeCount.objects.visible_to(user)`: the summary table (本期,
去年同期, 同比, 上期, 环比 by category and by township) that the page, its export and the API share."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum

from pingan.core.indicators import change
from pingan.geo.models import Node

from .models import CrimeCategory, CrimeCount
from .months import add_months, months_between


def counts(user: Any):
    from .access import may_read

    if user is not None and not may_read(user):
        return CrimeCount.objects.none()
    qs = CrimeCount.objects.visible_to(user) if user is not None else CrimeCount.objects.all()
    return qs.select_related("jurisdiction", "category", "entered_by")


def township_choices(user: Any):
    """The townships the user may choose (by name): those at or under the user's scope."""
    return Node.objects.visible_to(user).filter(level="township").order_by("code")


def default_node(user: Any) -> Node | None:
    scope = getattr(user, "scope", None)
    if scope is None:
        return None
    if scope.level in ("county", "township"):
        return scope
    return scope.township()


def categories():
    return CrimeCategory.objects.filter(is_active=True).order_by("order", "code")


@dataclass
class Line:
    """One row of the table: 本期, 去年同期, 上期 (the same-length period just before) and the two changes."""

    label: str
    code: str = ""
    serious: bool = False
    current: int = 0
    year_ago: int = 0
    prior: int = 0
    serious_current: int = 0
    serious_year_ago: int = 0
    serious_prior: int = 0

    @property
    def yoy(self) -> float | None:
        return change(self.current, self.year_ago)

    @property
    def mom(self) -> float | None:
        return change(self.current, self.prior)

    @property
    def serious_yoy(self) -> float | None:
        return change(self.serious_current, self.serious_year_ago)

    def add(self, other: "Line") -> None:
        for name in ("current", "year_ago", "prior", "serious_current", "serious_year_ago", "serious_prior"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.label, "serious": self.serious, "current": self.current,
                "year_ago": self.year_ago, "yoy": self.yoy, "prior": self.prior, "mom": self.mom}


@dataclass
class Summary:
    first: dt.date
    last: dt.date
    node: Node
    categories: list[Line] = field(default_factory=list)
    serious: Line = field(default_factory=lambda: Line("八类案件小计"))
    total: Line = field(default_factory=lambda: Line("合计"))
    townships: list[Line] = field(default_factory=list)

    @property
    def year_ago(self) -> tuple[dt.date, dt.date]:
        return add_months(self.first, -12), add_months(self.last, -12)

    @property
    def prior(self) -> tuple[dt.date, dt.date]:
        n = months_between(self.first, self.last)
        return add_months(self.first, -n), add_months(self.first, -1)

    def as_dict(self) -> dict[str, Any]:
        def township(line: Line) -> dict[str, Any]:
            return line.as_dict() | {"serious_current": line.serious_current,
                                     "serious_year_ago": line.serious_year_ago, "serious_yoy": line.serious_yoy}
        return {
            "period": {"from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}",
                       "year_ago": [f"{m:%Y-%m}" for m in self.year_ago], "prior": [f"{m:%Y-%m}" for m in self.prior]},
            "jurisdiction": {"code": self.node.code, "name": self.node.name},
            "categories": [c.as_dict() for c in self.categories],
            "serious": self.serious.as_dict(), "total": self.total.as_dict(),
            "townships": [township(t) for t in self.townships],
        }


def summary(user: Any, first: dt.date, last: dt.date, node: Node) -> Summary:
    """The table for months [first, last] (a month counts when its first day lies in the period) under `node`:
    one aggregate query grouped by category and township, folded into the two tables."""
    result = Summary(first, last, node)
    year_ago, prior = result.year_ago, result.prior
    rows = (counts(user).filter(jurisdiction__path__startswith=node.path)
            .filter(Q(month__range=(first, last)) | Q(month__range=year_ago) | Q(month__range=prior))
            .values("category_id", "jurisdiction_id")
            .annotate(current=Sum("count", filter=Q(month__range=(first, last))),
                      year_ago=Sum("count", filter=Q(month__range=year_ago)),
                      prior=Sum("count", filter=Q(month__range=prior)))
            .order_by())
    cats = list(CrimeCategory.objects.order_by("order", "code"))
    by_cat = {c.pk: Line(c.name, c.code, c.serious) for c in cats}
    towns = township_choices(user).filter(path__startswith=node.path) if user is not None else \
        Node.objects.filter(level="township", path__startswith=node.path).order_by("code")
    by_town = {t.pk: Line(t.name, t.code) for t in towns}
    for row in rows:
        cat = by_cat[row["category_id"]]
        values = {"current": row["current"] or 0, "year_ago": row["year_ago"] or 0, "prior": row["prior"] or 0}
        part = Line("", **values)
        if cat.serious:
            part.serious_current, part.serious_year_ago, part.serious_prior = (
                values["current"], values["year_ago"], values["prior"])
        cat.add(part)
        town = by_town.get(row["jurisdiction_id"])
        if town is not None:
            town.add(part)
    # Inactive categories show only when they hold figures of the periods shown.
    result.categories = [line for c, line in zip(cats, by_cat.values())
                         if c.is_active or line.current or line.year_ago or line.prior]
    for line in result.categories:
        result.total.add(Line("", current=line.current, year_ago=line.year_ago, prior=line.prior))
        if line.serious:
            result.serious.add(Line("", current=line.current, year_ago=line.year_ago, prior=line.prior))
    result.townships = list(by_town.values())
    return result
