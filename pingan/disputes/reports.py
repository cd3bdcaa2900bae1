"""The disputes part of the 平安建设 report (pingan.reports): its paragraph and its notable cases — the
period's group disputes (群体性) and those at risk of turning violent (有激化风险)."""
from __future__ import annotations

from django.db.models import Q

from pingan.reports.registry import ReportSection, register_section

from . import choices as c
from .models import Dispute


def summary(f) -> str:
    text = (f"本期共排查各类矛盾纠纷{f.count('disputes.screened')}件，调处{f.count('disputes.resolved')}件，"
            f"调处率{f.percent('disputes.resolution_rate')}")
    versus = f.versus("disputes.screened")
    if versus:
        text += f"（排查数{versus}）"
    return text + (f"；其中群体性纠纷{f.count('disputes.mass')}件，期末仍在调处{f.count('disputes.in_progress')}件。")


def notable(q):
    states = dict(c.DisputeState.choices)
    scales = dict(c.Scale.choices)
    rows = (q.cases(Dispute, "registered_on").filter(Q(scale__in=c.MASS_SCALES) | Q(violence_risk=True))
            .select_related("jurisdiction").order_by("-scale", "registered_on", "number"))
    for d in rows[:21]:
        yield {"number": d.number, "day": d.registered_on, "place": d.jurisdiction.name, "title": d.title,
               "scale": scales.get(d.scale, "") + ("，有激化风险" if d.violence_risk else ""),
               "people": d.people_count, "state": states.get(d.state, d.state)}


register_section(ReportSection(
    group="disputes",
    title="重点纠纷（群体性、有激化风险）",
    columns=(("编号", "number"), ("登记日期", "day"), ("所在地", "place"), ("事件名称", "title"),
             ("规模", "scale"), ("涉及人数", "people"), ("状态", "state")),
    rows=notable,
    summary=summary,
    order=20,
))


def mediation_summary(f) -> str:
    grades = "、".join(f"{name}{n}元" for name, n in (f.value("mediation.subsidy_by_grade") or {}).items() if n)
    versus = f.versus("mediation.subsidy_total")
    return (f"本期应发放人民调解员误工补贴{f.amount('mediation.subsidy_total')}元" + (f"（{versus}）" if versus else "")
            + (f"，其中{grades}" if grades else "") + "。")


register_section(ReportSection(group="mediation", summary=mediation_summary, order=25))
