"""The content of a 平安建设 report: figures of the period and of the same period a year before (同比) from the
indicator registry, a table per township (per village when the scope is a township), each module's notable
cases (its `reports.py` section), the warnings of the period, and charts.

`build(period, node, user)` computes everything once, with the user's scope (user None: the system, the whole
tree): the same `Report` feeds the .docx (its `context()`, a document type of pingan.documents) and the .xlsx.
Everything is in a fixed order and nothing in it depends on the time it was made, so the same data gives the
same report.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pingan.core import indicators
from pingan.core.indicators import AMOUNT, COUNT, MAP, RATE, Query
from pingan.documents.render import Picture

from . import charts
from .periods import Period
from .registry import ReportSection, sections

CN_NUMBERS = "一二三四五六七八九十"
LEVELS = (("red", "红色"), ("orange", "橙色"), ("yellow", "黄色"))
MAX_WARNING_ROWS = 20
CHART_WIDTH_MM = 150


def cn_index(i: int) -> str:
    """1 → 一, 12 → 十二 (section numbers)."""
    if i <= 10:
        return CN_NUMBERS[i - 1]
    if i < 20:
        return "十" + CN_NUMBERS[i - 11]
    return CN_NUMBERS[i // 10 - 1] + "十" + (CN_NUMBERS[i % 10 - 1] if i % 10 else "")


def cn_day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class Figures:
    """The figures of one node for the period and the same period a year before, written as the report writes
    them: counts as integers, rates with one decimal (92.8%, as the indicators page), 同比 as a change."""

    def __init__(self, current: dict[str, Any], previous: dict[str, Any] | None = None, query: Query | None = None):
        self.current = current
        self.previous = previous or {}
        self.query = query  # the report's Query (period, node, user): for a section's facts beyond the indicators

    def value(self, key: str) -> Any:
        return self.current.get(key)

    def count(self, key: str, previous: bool = False) -> str:
        value = (self.previous if previous else self.current).get(key)
        return "—" if value is None else str(value)

    def percent(self, key: str, previous: bool = False) -> str:
        return indicators.percent((self.previous if previous else self.current).get(key))

    def amount(self, key: str, previous: bool = False) -> str:
        value = (self.previous if previous else self.current).get(key)
        if value is None:
            return "—"
        return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    def shown(self, ind, previous: bool = False) -> str:
        source = self.previous if previous else self.current
        if ind.kind == RATE:
            return self.percent(ind.key, previous)
        if ind.kind == AMOUNT:
            return self.amount(ind.key, previous)
        if ind.kind == MAP:
            value = source.get(ind.key) or {}
            return "、".join(f"{k} {'—' if v is None else v}" for k, v in value.items()) or "—"
        return self.count(ind.key, previous)

    def change(self, key: str, kind: str = COUNT, decimals: int = 1) -> str:
        """同比: a count's change in per cent (同比上升12.5%), a rate's in percentage points (同比提高1.2个百分点).
        `decimals`: of a count's change (2 for crimes, as the police publish them: 下降26.94%)."""
        now, before = self.current.get(key), self.previous.get(key)
        if now is None or before is None or kind == MAP:
            return "—"
        if kind == RATE:
            points = ((Decimal(str(now)) - Decimal(str(before))) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if points == 0:
                return "持平"
            return f"{'提高' if points > 0 else '降低'}{abs(points)}个百分点"
        if Decimal(str(before)) == 0:
            return "持平" if Decimal(str(now)) == 0 else "去年同期为0"
        ratio = indicators.change(now, before)
        shown = (Decimal(str(abs(ratio))) * 100).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        if shown == 0:
            return "持平"
        return f"{'上升' if ratio > 0 else '下降'}{shown}%"

    def versus(self, key: str, kind: str = COUNT, decimals: int = 1) -> str:
        """“同比上升12.5%” for prose (empty when there is nothing to compare)."""
        text = self.change(key, kind, decimals)
        if text in ("—", "去年同期为0"):
            return ""
        return "与去年同期持平" if text == "持平" else f"同比{text}"


@dataclass
class Group:
    name: str
    label: str
    items: list  # the group's Indicators (counts, rates, amounts, maps) in registry order
    section: ReportSection | None
    summary: str = ""
    table_columns: list = field(default_factory=list)
    table_rows: list = field(default_factory=list)
    notable_rows: list = field(default_factory=list)
    notable_more: bool = False
    chart: bytes | None = None
    empty: bool = False  # every figure zero (or none) in the period and the year before

    @property
    def table_items(self) -> list:
        return table_items(self.items, self.section)

    @property
    def headline_items(self) -> list:
        keys = self.section.headline_keys if self.section else None
        return [i for i in self.items if i.kind != MAP and (keys is None or i.key in keys)]

    @property
    def change_decimals(self) -> int:
        return self.section.change_decimals if self.section else 1


def table_items(items: list, section: ReportSection | None) -> list:
    """The group's indicators in its table per township or village (the template's columns too)."""
    keys = section.table_keys if section else None
    return [i for i in items if i.kind != MAP and (keys is None or i.key in keys)]


@dataclass
class Report:
    period: Period
    previous: Period
    node: Any
    children: list
    children_label: str
    figures: Figures
    groups: list[Group]
    warnings: dict
    overview: str
    overview_chart: bytes | None

    @property
    def title(self) -> str:
        return f"{self.node.name}{self.period.label}平安建设工作{'报告' if self.period.kind == 'custom' else self.period.kind_label + '报告'}"

    @property
    def filename_stem(self) -> str:
        return f"{self.node.name}{self.period.label}平安建设{self.period.kind_label}报告"

    # ------------------------------------------------------------------------------ the template's values
    def context(self) -> dict[str, Any]:
        headline = []  # maps (按类型 …) are written in the groups' paragraphs, not in this table
        for group in self.groups:
            if group.empty:
                continue
            for ind in group.headline_items:
                headline.append({"group": group.label, "label": ind.label,
                                 "value": self.figures.shown(ind), "previous": self.figures.shown(ind, True),
                                 "change": self.figures.change(ind.key, ind.kind, group.change_decimals)})
        groups = {}
        tables = 0
        for i, group in enumerate(self.groups, start=1):
            if group.table_rows:
                tables += 1
            groups[group.name] = {
                "heading": f"（{cn_index(i)}）{group.label}",
                "summary": group.summary,
                "table_caption": (f"表{tables}　{group.label}分{self.children_label}情况" if group.table_rows else ""),
                "rows": group.table_rows,
                "notable_caption": (group.section.title if group.section and group.section.rows
                                    and not group.empty else ""),
                "notable": group.notable_rows,
                "notable_note": (group.section.empty if group.section and group.section.rows
                                 and not group.notable_rows else
                                 (f"（仅列出前 {group.section.limit} 件）" if group.notable_more else "")),
                "chart": Picture(group.chart, CHART_WIDTH_MM) if group.chart else "",
            }
        return {
            "report_title": self.title,
            "scope": self.node.name,
            "period": self.period.label,
            "period_range": f"{cn_day(self.period.start)}至{cn_day(self.period.end)}",
            "previous_period": self.previous.label,
            "kind": self.period.kind_label,
            "children_label": self.children_label,
            "overview": self.overview,
            "headline": headline,
            "overview_chart": Picture(self.overview_chart, CHART_WIDTH_MM) if self.overview_chart else "",
            "groups": groups,
            "warnings": {**{k: v for k, v in self.warnings.items() if k != "chart_png"}, "chart": Picture(self.warnings["chart_png"], CHART_WIDTH_MM)
                         if self.warnings.get("chart_png") else ""},
        }


# ------------------------------------------------------------------------------------------ building
def report_groups() -> list[tuple[str, str, list, ReportSection | None]]:
    """(group, label, indicators, section) for every indicator group: those with a report section first (by the
    section's order), then the others by name."""
    by_group: dict[str, list] = {}
    for ind in indicators.all_indicators():
        by_group.setdefault(ind.group, []).append(ind)
    found = sections()
    ordered = sorted(by_group, key=lambda g: (0, found[g].order, g) if g in found else (1, 0, g))
    return [(g, indicators.GROUP_LABELS.get(g, g), by_group[g], found.get(g)) for g in ordered]


def children_of(node: Any, user: Any) -> tuple[list, str]:
    """The nodes one level down shown in the tables (townships of a county, villages of a township), visible to
    the user, by code; none below a village."""
    from pingan.geo.choices import Level
    from pingan.geo.models import Node

    if node.level not in (Level.TOWNSHIP,) and not _above_township(node):
        return [], ""
    qs = Node.objects.visible_to(user) if user is not None else Node.objects.all()
    rows = list(qs.filter(parent=node).exclude(level=Level.GRID).order_by("code"))
    return rows, ("村（社区）" if node.level == Level.TOWNSHIP else "乡镇（街道）")


def _above_township(node: Any) -> bool:
    from pingan.geo.choices import CODE_LENGTH, Level

    return len(node.code) < CODE_LENGTH[Level.TOWNSHIP]


def _flat(query: Query, keys: list[str] | None = None) -> dict[str, Any]:
    """{"hazards.screened": 1369, …}: the indicators' values (maps kept whole)."""
    values: dict[str, Any] = {}
    for ind in indicators.all_indicators():
        if keys is not None and ind.key not in keys:
            continue
        values[ind.key] = query[ind.key]
    return values


BLANK_CELLS = ("0", "—", "0.00", "")


def _all_zero(items: list, figures: Figures) -> bool:
    """No figure of the group in the period nor the year before (a module with no records yet)."""
    for ind in items:
        for source in (figures.current, figures.previous):
            value = source.get(ind.key)
            if ind.kind == MAP:
                if any((value or {}).values()):
                    return False
            elif value not in (None, 0):
                return False
    return True


def generic_summary(label: str, items: list, figures: Figures) -> str:
    parts = []
    for ind in items:
        text = figures.shown(ind)
        if ind.kind == MAP:
            if text != "—":
                parts.append(f"{ind.label}：{text}")
            continue
        versus = figures.versus(ind.key, ind.kind)
        parts.append(f"{ind.label}{text}" + (f"（{versus}）" if versus else ""))
    return f"本期{label}：" + "，".join(parts) + "。"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return cn_day(value.date())
    if isinstance(value, dt.date):
        return cn_day(value)
    return str(value)


def build(period: Period, node: Any, user: Any = None, progress=None) -> Report:
    """Compute the report of `node` for `period` as `user` sees it (None: the system). `progress(done, total)`
    is called as the parts are done (the job's progress bar)."""
    previous = period.previous
    query = Query(period.start, period.end, node, user)
    before = Query(previous.start, previous.end, node, user)
    children, children_label = children_of(node, user)
    groups_spec = report_groups()
    total = 3 + len(children) + len(groups_spec)
    done = 0

    def step():
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    figures = Figures(_flat(query), _flat(before), query=query)
    step()
    table_keys = [ind.key for _g, _l, items, _s in groups_spec for ind in items if ind.kind != MAP]
    per_child = []
    for child in children:
        per_child.append((child, Figures(_flat(Query(period.start, period.end, child, user), table_keys))))
        step()
    groups = []
    for name, label, items, section in groups_spec:
        group = Group(name, label, items, section)
        group.empty = _all_zero(items, figures)
        if group.empty:
            group.summary = f"本期平台中无{label}记录。"
            groups.append(group)
            step()
            continue
        group.summary = section.summary(figures) if section and section.summary else \
            generic_summary(label, items, figures)
        group.table_columns = [ind.label for ind in group.table_items]
        group.table_rows = [{"name": child.name, "cells": [f.shown(ind) for ind in group.table_items]}
                            for child, f in per_child]
        if all(cell in BLANK_CELLS for row in group.table_rows for cell in row["cells"]):
            group.table_rows = []  # nothing under any township (e.g. the district's own hall): no table of zeros
        if section and section.rows:
            rows = []
            for row in section.rows(query):
                if len(rows) == section.limit:
                    group.notable_more = True
                    break
                rows.append({"cells": [_cell(row.get(f)) for _h, f in section.columns]})
            group.notable_rows = rows
        if section:
            group.chart = _group_chart(group, figures, per_child, children_label)
        groups.append(group)
        step()
    warnings = warnings_of(query)
    step()
    overview_chart = _rates_chart(groups, figures)
    step()
    overview = overview_text(period, previous, node, children, children_label, warnings)
    return Report(period, previous, node, children, children_label, figures, groups, warnings, overview,
                  overview_chart)


def overview_text(period, previous, node, children, children_label, warnings) -> str:
    scope = f"{node.name}（所辖{len(children)}个{children_label}）" if children else node.name
    text = (f"本报告统计{scope}{period.label}（{cn_day(period.start)}至{cn_day(period.end)}）平安建设各项工作情况，"
            f"数据取自平台各业务模块的统计指标，同比为与{previous.label}同期相比。")
    if warnings["total"]:
        levels = "、".join(f"{name}{warnings['by_level'][code]}条" for code, name in LEVELS
                           if warnings["by_level"][code])
        text += f"期内平台共发出预警{warnings['total']}条（{levels}），已处置或排除{warnings['closed']}条。"
    else:
        text += "期内平台未发出预警。"
    return text


def _group_chart(group: Group, figures: Figures, per_child, children_label: str) -> bytes | None:
    counts = [ind for ind in group.headline_items if ind.kind == COUNT]
    if not counts:
        return None
    if per_child and group.table_rows and counts[0] in group.table_items:
        first = counts[0]
        return charts.bars(f"{group.label}{first.label}（按{children_label}）", [c.name for c, _f in per_child],
                           [("本期", [f.value(first.key) for _c, f in per_child])])
    return charts.bars(f"{group.label}主要指标", [ind.label for ind in counts],
                       [("本期", [figures.current.get(i.key) for i in counts]),
                        ("去年同期", [figures.previous.get(i.key) for i in counts])])


def _rates_chart(groups: list[Group], figures: Figures) -> bytes | None:
    rates = [(g, ind) for g in groups if g.section and not g.empty for ind in g.headline_items if ind.kind == RATE]
    if not rates:
        return None
    return charts.bars("主要工作比率（本期与去年同期）", [f"{g.label}{ind.label}" for g, ind in rates],
                       [("本期", [figures.current.get(ind.key) for _g, ind in rates]),
                        ("去年同期", [figures.previous.get(ind.key) for _g, ind in rates])], percent=True)


def warnings_of(query: Query) -> dict[str, Any]:
    """The warnings raised in the period under the node that the user may see (pingan.alerts): counts by level
    and by rule, the red ones listed, and a chart."""
    from django.db.models import Count, Q

    from pingan.alerts.models import Alert, Status

    qs = query.scoped(Alert).filter(raised_at__date__gte=query.date_from, raised_at__date__lte=query.date_to)
    level_counts = dict(qs.values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
    closed = qs.filter(status__in=[Status.HANDLED, Status.DISMISSED]).count()
    by_rule = []
    rule_rows = (qs.values("rule").annotate(red=Count("pk", filter=Q(level="red")),
                                            orange=Count("pk", filter=Q(level="orange")),
                                            yellow=Count("pk", filter=Q(level="yellow")), n=Count("pk"))
                 .order_by("rule"))
    for row in rule_rows:
        by_rule.append({"rule": _rule_label(row["rule"]), "red": row["red"], "orange": row["orange"],
                        "yellow": row["yellow"], "total": row["n"]})
    by_rule.sort(key=lambda r: (-r["total"], r["rule"]))
    red = [{"day": cn_day(a.raised_at.date()), "place": a.jurisdiction.name, "title": a.title,
            "rule": a.rule_label, "status": a.get_status_display()}
           for a in qs.filter(level="red").select_related("jurisdiction").order_by("raised_at", "id")
           [:MAX_WARNING_ROWS]]
    by_level = {code: level_counts.get(code, 0) for code, _name in LEVELS}
    total = sum(by_level.values())
    chart = charts.bars("预警按等级", [name for _c, name in LEVELS], [("本期", [by_level[c] for c, _n in LEVELS])]) \
        if total else None
    if total:
        summary = (f"期内共发出预警{total}条，其中" + "、".join(f"{name}预警{by_level[code]}条" for code, name in LEVELS)
                   + f"；已处置或排除{closed}条，尚待处置{total - closed}条。")
    else:
        summary = "期内未发出预警。"
    return {"total": total, "by_level": by_level, "closed": closed, "by_rule": by_rule, "red": red,
            "red_more": qs.filter(level="red").count() > MAX_WARNING_ROWS, "summary": summary, "chart_png": chart}


def _rule_label(key: str) -> str:
    from pingan.alerts.registry import get_rule

    try:
        return get_rule(key).label
    except LookupError:
        return key
