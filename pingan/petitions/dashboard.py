"""Petitions on the dashboard (pingan.core.measures): 信访件 by 登记日期, by 信访类型, overdue and 督办 now."""
from pingan.cases.measures import case_figures
from pingan.core.measures import OPEN, OVERDUE, SUPERVISED, Measure, iso, kpi, register


def link(date_from, date_to, node, category, status) -> dict:
    """The petition list's FilterSet (petitions/filters.py) for the same records."""
    return {"place": node.code, "registered_from": iso(date_from), "registered_to": iso(date_to),
            "petition_type": category or "", "overdue": "true" if status == OVERDUE else "",
            "open": "true" if status == OPEN else "", "supervised": "true" if status == SUPERVISED else ""}


register(Measure(key="petitions", label="信访件", model="petitions.Petition", date_field="registered_on",
                 date_label="登记日期", category_field="petition_type", category_title="信访类型",
                 list_url="petitions:list", link=link, order=40, **case_figures("petitions.Petition")))

kpi("petitions.resolution_rate", "petitions",
    parts=(("petitions.assigned", {"source": "assigned"}), ("petitions.assigned_resolved", {"source": "assigned", "finished": "true"})),
    order=30)
