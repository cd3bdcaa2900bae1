"""The measures registry: what the dashboard, the big screen and the statistics charts count.

A measure is one countable kind of record of a module (风险隐患, 矛盾纠纷, 信访件 …). A module declares its
measures in its own `pingan/<app>/dashboard.py` (found like `<app>/indicators.py`), so a module that lands later
plugs in without touching analytics:

    from pingan.core.measures import Measure, register

    register(Measure(
        key="hazards", label="风险隐患", model="hazards.Hazard", date_field="screened_on", date_label="排查日期",
        category_field="hazard_type",                   # choices give the Chinese labels
        list_url="hazards:list", link=hazard_link,      # link(date_from, date_to, node, category, status) -> params
        **case_figures("hazards.Hazard"),               # pingan.cases.measures: overdue, supervised, open
    ))

`link` maps a figure to the query string of the module's own list page (its FilterSet), so a click on any
number or bar lands on exactly the records counted: `date_from`/`date_to` (None for the "now" figures),
`node` (a geo.Node: the jurisdiction and everything under it), `category` (a value of `category_field`, or
None) and `status` (None, "overdue", "supervised", "open" or "today").

Every count starts from `Model.objects.visible_to(user)` under the node (pingan.core.indicators.Query.scoped)
and a measure whose model's data kind the user may not see is left out altogether (`measures_for`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable

from django.apps import apps
from django.db.models import Q

OVERDUE, SUPERVISED, OPEN, TODAY = "overdue", "supervised", "open", "today"
STATUS_LABELS = {OVERDUE: "超期", SUPERVISED: "督办中", OPEN: "未办结", TODAY: "今日新增"}


@dataclass(frozen=True)
class Measure:
    key: str  # "hazards"
    label: str  # "风险隐患"
    model: str  # "hazards.Hazard"
    date_field: str  # the record's own date that places it in a period ("screened_on", "reported_at")
    list_url: str  # the url name of the list page the figures click through to ("hazards:list")
    link: Callable[..., dict]  # (date_from, date_to, node, category, status) -> the list page's query params
    date_label: str = "日期"
    unit: str = "件"
    category_field: str | None = None  # a field (or lookup) to break down by
    category_labels: Callable[[], dict] | None = None  # {value: label}; default: the field's choices
    category_title: str = "类别"
    base: Callable[[Any], Any] | None = None  # narrows the scoped rows (events: no duplicates)
    overdue: Callable[[dt.datetime], Q] | None = None  # now -> the condition of the overdue rows (no period)
    supervised: Callable[[], Q] | None = None  # the condition of the rows with an open 督办 (no period)
    open: Callable[[], Q] | None = None  # the condition of the rows still waiting (no period)
    sum_field: str | None = None  # sum this field instead of counting rows (crimes: 立案数)
    capability: str | None = None  # the user must also hold this capability
    may_read: Callable[[Any], bool] | None = None  # the module's own reading rule, when it has one beyond both
    order: int = 50

    def get_model(self) -> type:
        return apps.get_model(self.model)

    @property
    def is_datetime(self) -> bool:
        from django.db import models

        return isinstance(self.get_model()._meta.get_field(self.date_field.split("__")[0]), models.DateTimeField)

    @property
    def data_kind(self) -> str:
        return getattr(self.get_model(), "scope_data_kind", "case")

    def date_lookup(self, op: str) -> str:
        """`screened_on__gte`, or `reported_at__date__gte` for a date-time field."""
        return f"{self.date_field}__date__{op}" if self.is_datetime else f"{self.date_field}__{op}"

    def period_q(self, date_from: dt.date, date_to: dt.date) -> Q:
        return Q(**{self.date_lookup("gte"): date_from, self.date_lookup("lte"): date_to})

    def labels(self) -> dict:
        if self.category_labels is not None:
            return dict(self.category_labels())
        if not self.category_field:
            return {}
        model_field = self.get_model()._meta.get_field(self.category_field.split("__")[0])
        return {str(k): str(v) for k, v in (model_field.choices or [])}

    def allowed(self, user: Any) -> bool:
        if user is None:
            return True
        if not user.may_see_data_kind(self.data_kind):
            return False
        if self.capability and not user.can(self.capability):
            return False
        return self.may_read is None or self.may_read(user)


_MEASURES: dict[str, Measure] = {}
_discovered = False


def register(measure: Measure) -> Measure:
    _MEASURES[measure.key] = measure
    return measure


def autodiscover() -> None:
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("dashboard")  # every installed app's `dashboard` module, as the admin finds `admin`
    _discovered = True


def all_measures() -> list[Measure]:
    autodiscover()
    return sorted(_MEASURES.values(), key=lambda m: (m.order, m.key))


def get(key: str) -> Measure:
    autodiscover()
    return _MEASURES[key]


def measures_for(user: Any) -> list[Measure]:
    """The measures whose data the user may see at all (data kind, capability)."""
    return [m for m in all_measures() if m.allowed(user)]


# --- helpers for the modules' dashboard.py ----------------------------------------------------------------------
def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


@dataclass(frozen=True)
class Kpi:
    """A key indicator of indicators.md shown on the dashboard with 同比: its value and the counts it is made
    of, each clicking through to a measure's list (`parts`: (indicator key, measure key, extra list params))."""

    key: str  # "hazards.rectification_rate"
    measure: str  # the measure whose list the value clicks through to
    parts: tuple[tuple[str, dict], ...] = ()  # (indicator key, extra list params of its records)
    order: int = 50


_KPIS: dict[str, Kpi] = {}


def kpi(key: str, measure: str, parts: tuple[tuple[str, dict], ...] = (), order: int = 50) -> Kpi:
    _KPIS[key] = Kpi(key, measure, tuple(parts), order)
    return _KPIS[key]


def all_kpis() -> list[Kpi]:
    autodiscover()
    return sorted(_KPIS.values(), key=lambda k: (k.order, k.key))
