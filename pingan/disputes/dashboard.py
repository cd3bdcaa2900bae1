"""Disputes on the dashboard (pingan.core.measures): 矛盾纠纷 by 登记日期, by 事件类别, overdue and 督办 now."""
from pingan.cases.measures import case_figures
from pingan.core.measures import OPEN, OVERDUE, SUPERVISED, Measure, iso, kpi, register

from .choices import CATEGORY_LABELS


def link(date_from, date_to, node, category, status) -> dict:
    """The dispute list's FilterSet (disputes/filters.py) for the same records."""
    return {"place": node.code, "registered_from": iso(date_from), "registered_to": iso(date_to),
            "category": category or "", "overdue": "true" if status == OVERDUE else "",
            "open": "true" if status == OPEN else "", "supervised": "true" if status == SUPERVISED else ""}


register(Measure(key="disputes", label="矛盾纠纷", model="disputes.Dispute", date_field="registered_on",
                 date_label="登记日期", category_field="category", category_title="纠纷类别",
                 category_labels=lambda: CATEGORY_LABELS, list_url="disputes:list", link=link, order=20,
                 **case_figures("disputes.Dispute")))

kpi("disputes.resolution_rate", "disputes", parts=(("disputes.screened", {}), ("disputes.resolved", {"state": "resolved"})),
    order=10)
