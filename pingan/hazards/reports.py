"""The hazards part of the 平安建设 report (pingan.reports): its paragraph and its notable cases — the
period's hazards still overdue at the period's end, and the high-risk ones not yet rectified."""
from __future__ import annotations

from django.db.models import Q

from pingan.reports.registry import ReportSection, register_section

from .choices import HazardStatus, RiskLevel
from .models import Hazard


def summary(f) -> str:
    text = (f"本期累计排查各类风险隐患{f.count('hazards.screened')}件，整治{f.count('hazards.rectified')}件，"
            f"整治率{f.percent('hazards.rectification_rate')}")
    versus = [v for v in (f.versus("hazards.screened") and "排查数" + f.versus("hazards.screened"),
                          f.versus("hazards.rectification_rate", "rate")
                          and "整治率" + f.versus("hazards.rectification_rate", "rate")) if v]
    if versus:
        text += "（" + "，".join(versus) + "）"
    return text + f"；至期末逾期未整治{f.count('hazards.overdue')}件。"


def notable(q):
    states = dict(HazardStatus.choices)
    levels = dict(RiskLevel.choices)
    types = dict(Hazard._meta.get_field("hazard_type").choices)
    wanted = Hazard.objects.overdue_q(q.date_to) | (Q(risk_level=RiskLevel.HIGH) & ~Q(state=HazardStatus.RECTIFIED))
    rows = (q.cases(Hazard, "screened_on").filter(wanted).select_related("jurisdiction")
            .order_by("risk_level", "screened_on", "number"))
    overdue = set(q.cases(Hazard, "screened_on").filter(Hazard.objects.overdue_q(q.date_to))
                  .values_list("pk", flat=True)[:1000])
    for h in rows[:21]:
        yield {"number": h.number, "day": h.screened_on, "place": h.jurisdiction.name,
               "type": types.get(h.hazard_type, ""), "level": levels.get(h.risk_level, ""),
               "state": states.get(h.state, h.state) + ("（逾期）" if h.pk in overdue else ""),
               "description": h.description[:60]}


register_section(ReportSection(
    group="hazards",
    title="重点隐患（逾期未整治、高风险未整治）",
    columns=(("编号", "number"), ("排查日期", "day"), ("所在地", "place"), ("隐患类型", "type"),
             ("风险等级", "level"), ("整治状态", "state"), ("隐患描述", "description")),
    rows=notable,
    summary=summary,
    order=10,
))
