"""manage.py stats --from DATE --to DATE [--jurisdiction CODE|NAME] --format json|table

Prints the indicators of docs/indicators.md for the period [from, to] (inclusive) and the node (default the
root of the tree; a name as on the page). Bad input (reversed or longer than 10 years, impossible
dates, unknown or ambiguous places) ends with a Chinese message and a non-zero exit status.
"""
from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand

from pingan.core import indicators
from pingan.geo.params import BadRequest, parse_period, resolve_node


class Command(BaseCommand):
    help = "按统计口径输出指标（JSON 或表格）。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="开始日期（含），如 2017-01-01")
        parser.add_argument("--to", dest="date_to", required=True, help="截止日期（含），如 2017-12-31")
        parser.add_argument("--jurisdiction", default="", help="区划代码或名称，如 140311101、河底镇、固庄村（默认整个辖区）")
        parser.add_argument("--format", choices=["json", "table"], default="json", help="输出格式：json 或 table")

    def handle(self, *args, **options):
        try:
            start, end = parse_period(options["date_from"], options["date_to"])
            node = resolve_node(options["jurisdiction"], None)
        except BadRequest as exc:
            self.stderr.write(exc.message)
            sys.exit(2)
        result = indicators.compute(indicators.Query(start, end, node))
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"统计期：{start:%Y-%m-%d} 至 {end:%Y-%m-%d}　辖区：{node.name}（{node.code}）")
        for ind in indicators.all_indicators():
            value = indicators.flat(result).get(ind.key)
            self.stdout.write(f"{ind.key:<32} {ind.label:<10} {format_value(ind, value, result)}")


def format_value(ind, value, result) -> str:
    if ind.kind == indicators.RATE:
        return f"{indicators.percent(value)}" + (f"（{value}）" if value is not None else "")
    if ind.kind == indicators.MAP:
        section = result.get(ind.group, {})
        for part in ind.name.split("."):
            section = section.get(part, {}) if isinstance(section, dict) else {}
        return "、".join(f"{k} {v}" for k, v in section.items()) or "—"
    return "—" if value is None else str(value)
