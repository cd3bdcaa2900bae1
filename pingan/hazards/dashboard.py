"""Hazards on the dashboard (pingan.core.measures): 风险隐患 by 排查日期, by 隐患类型, overdue and 督办 now."""
from pingan.cases.measures import case_figures
from pingan.core.measures import OPEN, OVERDUE, SUPERVISED, Measure, iso, kpi, register


def link(date_from, date_to, node, category, status) -> dict:
    """The hazard list's FilterSet (hazards/filters.py) for the same records."""
    return {"place": node.code, "screened_from": iso(date_from), "screened_to": iso(date_to),
            "hazard_type": category or "", "overdue": "true" if status == OVERDUE else "",
            "open": "true" if status == OPEN else "", "supervised": "true" if status == SUPERVISED else ""}


register(Measure(key="hazards", label="风险隐患", model="hazards.Hazard", date_field="screened_on",
                 date_label="排查日期", category_field="hazard_type", category_title="隐患类型",
                 list_url="hazards:list", link=link, order=30, **case_figures("hazards.Hazard")))

kpi("hazards.rectification_rate", "hazards", parts=(("hazards.screened", {}), ("hazards.rectified", {"state": "rectified"})),
    order=20)
