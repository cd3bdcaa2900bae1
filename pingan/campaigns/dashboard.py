"""Campaign clues on the dashboard (pingan.core.measures): 专项行动线索 by 受理日期, by 线索来源. Clues are
data kind "clue": roles without it never get this measure (measures_for), so no figure of theirs shows."""
from pingan.cases.measures import case_figures
from pingan.core.measures import OPEN, OVERDUE, SUPERVISED, Measure, iso, register


def link(date_from, date_to, node, category, status) -> dict:
    """The clue list's FilterSet (campaigns/filters.py) for the same records."""
    return {"place": node.code, "received_from": iso(date_from), "received_to": iso(date_to),
            "source": category or "", "overdue": "true" if status == OVERDUE else "",
            "open": "true" if status == OPEN else "", "supervised": "true" if status == SUPERVISED else ""}


register(Measure(key="clues", label="专项行动线索", model="campaigns.Clue", date_field="received_on",
                 date_label="受理日期", unit="条", category_field="source", category_title="线索来源",
                 list_url="campaigns:list", link=link, order=60, **case_figures("campaigns.Clue")))
