"""The hall part of the 平安建设 report (pingan.reports): matters registered at the one window in the period, where
they were routed, and how many went to mediation first."""
from __future__ import annotations

from pingan.reports.registry import ReportSection, register_section


def summary(f) -> str:
    routes = "、".join(f"{name}{n}件" for name, n in (f.value("hall.by_route") or {}).items() if n)
    versus = f.versus("hall.visits")
    return (f"本期综治中心窗口受理群众诉求{f.count('hall.visits')}件" + (f"（{versus}）" if versus else "")
            + (f"，分流{routes}" if routes else "") + f"；调解先行率{f.percent('hall.mediation_first_rate')}。")


register_section(ReportSection(group="hall", summary=summary, order=70))
