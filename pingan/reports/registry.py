"""Report sections: what a module adds to the 平安建设 report, declared in its own `<app>/reports.py` (found by
`autodiscover`, as indicators are):

    register_section(ReportSection(
        group="hazards",                       # the indicator group the section writes about
        title="重点隐患",                       # the heading of its notable-cases table
        columns=(("编号", "number"), ("隐患描述", "description"), ...),
        rows=lambda q: ...,                    # the notable records of the period, through q.cases / q.scoped
        summary=lambda f: f"本期累计排查各类风险隐患{f.count('hazards.screened')}件，...",
        order=10,
    ))

`rows(q)` gets the report's `pingan.core.indicators.Query` (period, node, user): rows come out scoped like the
figures. Each row is a dict of the columns' fields; values are written as text. The rows must be in a fixed
order (the same data gives the same report); at most `limit` are shown, the count of all is stated.
`summary(f)` writes the group's paragraph from the figures (`Figures`: `count`, `percent`, `amount`, `change`,
`versus`; `f.query` is the report's Query for a fact no indicator gives, e.g. the campaigns of the period);
a group without a section gets a sentence listing its indicators. `order` places the group in the report.
`headline_keys` / `table_keys`: the indicators of the group in the headline table and in the table per
township or village (default every one that is not a map), in the registry's order. `change_decimals`: the
同比 of counts in the headline table (2 for crime figures: 下降26.94%).
A group whose figures are all zero in the period and the year before is written as one sentence (本期平台中无…
记录) with no table, chart or headline rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class ReportSection:
    group: str
    title: str = ""
    columns: tuple[tuple[str, str], ...] = ()
    rows: Callable[[Any], Iterable[dict]] | None = None
    summary: Callable[[Any], str] | None = None
    order: int = 50
    limit: int = 20
    empty: str = "本期无。"
    headline_keys: tuple[str, ...] | None = None
    table_keys: tuple[str, ...] | None = None
    change_decimals: int = 1

    def __post_init__(self):
        if not NAME_RE.match(self.group):
            raise ValueError(f"report section group {self.group!r} must be an indicator group name")
        object.__setattr__(self, "columns", tuple((str(h), str(f)) for h, f in self.columns))
        if self.rows is not None and not self.columns:
            raise ValueError(f"report section {self.group}: rows need columns")


_SECTIONS: dict[str, ReportSection] = {}
_discovered = False


def register_section(section: ReportSection) -> ReportSection:
    if section.group in _SECTIONS and _SECTIONS[section.group] is not section:
        raise ValueError(f"report section {section.group} is registered twice")
    _SECTIONS[section.group] = section
    return section


def unregister_section(group: str) -> None:
    """For tests that register a section of their own."""
    _SECTIONS.pop(group, None)


def autodiscover() -> None:
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("reports")  # every installed app's `reports` module, as the admin finds `admin`
    _discovered = True


def sections() -> dict[str, ReportSection]:
    autodiscover()
    return dict(_SECTIONS)
