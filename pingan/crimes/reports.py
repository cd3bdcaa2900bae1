"""The crimes part of the 平安建设 report (pingan.reports): 刑事案件 and 八类社会危害严重案件 of the period against the
same months a year before, the change with two decimals as the police publish it (下降26.94%)."""
from __future__ import annotations

from decimal import Decimal

from pingan.reports.registry import ReportSection, register_section


def _change(value) -> str:
    """−0.2694 → “同比下降26.94%”; None (nothing a year before) → ""."""
    if value is None:
        return ""
    shown = (abs(Decimal(str(value))) * 100).quantize(Decimal("0.01"))
    if shown == 0:
        return "与去年同期持平"
    return f"同比{'下降' if value < 0 else '上升'}{shown}%"


def summary(f) -> str:
    total = _change(f.value("crimes.total_change"))
    serious = _change(f.value("crimes.serious_change"))
    return (f"本期刑事案件立案{f.count('crimes.total')}起（去年同期{f.count('crimes.total_previous')}起）"
            + (f"，{total}" if total else "")
            + f"；其中八类社会危害严重案件立案{f.count('crimes.serious')}起（去年同期{f.count('crimes.serious_previous')}起）"
            + (f"，{serious}" if serious else "") + "。")


register_section(ReportSection(
    group="crimes",
    summary=summary,
    order=40,
    headline_keys=("crimes.total", "crimes.serious"),
    change_decimals=2,
))
