"""The indicator registry: one function per indicator of docs/indicators.md (统计口径). It lives in core (it
imports no app) so that the domain apps' `indicators.py` can use it; analytics computes and shows them.

An app declares its indicators in `<app>/indicators.py`:

    @indicator("hazards.screened", "排查数")
    def screened(q: Query) -> int:
        return q.cases(Hazard, "screened_on").count()

    @indicator("hazards.rectification_rate", "整治率", kind="rate")
    def rectification_rate(q: Query):
        return rate(q["hazards.rectified"], q["hazards.screened"])

`Query` holds the period [from, to] (inclusive), the jurisdiction node and the user; `q.scoped(Model)` is the
model's rows the user may see under the node (`visible_to`), `q.cases(Model, date_field)` adds the period.
`q["key"]` computes another indicator once per query (so rates reuse their counts). Every function computes
with SQL aggregates; none loops over rows in Python.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

COUNT = "count"
RATE = "rate"
MAP = "map"  # {label: count}
AMOUNT = "amount"


@dataclass(frozen=True)
class Indicator:
    key: str  # "hazards.rectification_rate"
    label: str  # "整治率"
    func: Callable[["Query"], Any]
    kind: str = COUNT
    order: int = 50
    help: str = ""

    @property
    def group(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]


_INDICATORS: dict[str, Indicator] = {}
GROUP_LABELS: dict[str, str] = {}
_discovered = False


def indicator(key: str, label: str, *, kind: str = COUNT, order: int = 50, help: str = ""):
    if "." not in key:
        raise ValueError(f"指标键应为“组.名称”：{key}")

    def decorator(func: Callable[["Query"], Any]):
        _INDICATORS[key] = Indicator(key, label, func, kind, order, help or (func.__doc__ or "").strip())
        return func
    return decorator


def group(name: str, label: str) -> None:
    """Name a group for pages and tables (hazards → 风险隐患)."""
    GROUP_LABELS[name] = label


def autodiscover() -> None:
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("indicators")  # every installed app's `indicators` module, as the admin finds `admin`
    _discovered = True


def all_indicators() -> list[Indicator]:
    autodiscover()
    return sorted(_INDICATORS.values(), key=lambda i: (i.group, i.order, i.key))


def get(key: str) -> Indicator:
    autodiscover()
    return _INDICATORS[key]


def rate(numerator: Any, denominator: Any) -> float | None:
    """numerator / denominator rounded half-up to 4 decimals; None when the denominator is zero or missing."""
    if numerator is None or not denominator:
        return None
    value = (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return float(value)


def change(current: Any, previous: Any) -> float | None:
    """Year-on-year change (同比): (current - previous) / previous, rounded like a rate."""
    if current is None or previous is None:
        return None
    return rate(Decimal(current) - Decimal(previous), previous)


@dataclass
class Query:
    """One computation: a period, a jurisdiction node (and everything under it), and who asks."""

    date_from: dt.date
    date_to: dt.date
    node: Any  # geo.Node
    user: Any = None  # None: the system (manage.py stats), unrestricted
    _values: dict[str, Any] = field(default_factory=dict)

    def scoped(self, model: type) -> Any:
        """The model's rows under the node that the user may see."""
        qs = model.objects.visible_to(self.user) if self.user is not None else model.objects.all()
        lookup = getattr(model, "scope_path_lookup", "jurisdiction__path")
        return qs.filter(**{f"{lookup}__startswith": self.node.path})

    def cases(self, model: type, date_field: str) -> Any:
        """Scoped rows whose own date lies in [from, to]."""
        return self.scoped(model).filter(**{f"{date_field}__gte": self.date_from, f"{date_field}__lte": self.date_to})

    def previous_year(self) -> "Query":
        return Query(_minus_year(self.date_from), _minus_year(self.date_to), self.node, self.user)

    def __getitem__(self, key: str) -> Any:
        if key not in self._values:
            self._values[key] = get(key).func(self)
        return self._values[key]


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def compute(query: Query, keys: list[str] | None = None) -> dict[str, Any]:
    """The JSON object of docs/indicators.md: period, jurisdiction, then each group's indicators (nested:
    {"hazards": {"screened": 1369, ...}})."""
    result: dict[str, Any] = {
        "period": {"from": query.date_from.isoformat(), "to": query.date_to.isoformat()},
        "jurisdiction": {"code": query.node.code, "name": query.node.name},
    }
    for ind in all_indicators():
        if keys is not None and ind.key not in keys and ind.group not in keys:
            continue
        result.setdefault(ind.group, {})
        _set(result[ind.group], ind.name, query[ind.key])
    return result


def _set(target: dict, dotted: str, value: Any) -> None:
    parts = dotted.split(".")
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def flat(result: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"hazards": {"screened": 1}} → {"hazards.screened": 1} (for tables)."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flat(value, name + "."))
        else:
            out[name] = value
    return out


def percent(value: float | None) -> str:
    """0.9277 → 92.8%; None → —."""
    if value is None:
        return "—"
    shown = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{shown}%"
