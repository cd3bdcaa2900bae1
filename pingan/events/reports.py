"""The grid events part of the 平安建设 report (pingan.reports): events reported in the period, closed, on time and
sent back; the average handling times per department and township stay on the statistics page."""
from __future__ import annotations

from pingan.reports.registry import ReportSection, register_section


def summary(f) -> str:
    versus = f.versus("events.reported")
    return (f"本期上报网格事件{f.count('events.reported')}件" + (f"（{versus}）" if versus else "")
            + f"，立案{f.count('events.registered')}件，结案{f.count('events.closed')}件，"
            f"结案率{f.percent('events.closure_rate')}，按期结案率{f.percent('events.on_time_rate')}，"
            f"返工率{f.percent('events.rework_rate')}。")


register_section(ReportSection(
    group="events",
    summary=summary,
    order=60,
    headline_keys=("events.reported", "events.closed", "events.closure_rate", "events.on_time_rate",
                   "events.rework_rate"),
    table_keys=("events.reported", "events.closed", "events.closed_on_time", "events.closure_rate",
                "events.on_time_rate", "events.rework_rate"),
))
