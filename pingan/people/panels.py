"""Home page panel: visits due this week and overdue visits in the user's scope (warnings for townships)."""
from __future__ import annotations

from django.urls import reverse

from pingan.core.registry import home_panel

from . import selectors


@home_panel(order=30)
def visits_panel(request):
    user = request.user
    if not user.may_see_data_kind("person"):
        return None
    counts = selectors.visit_counts(user)
    if not counts["active"]:
        return None
    overdue_url = reverse("people:overdue")
    rows = [("列管人员", counts["active"], reverse("people:special_list")),
            ("本周应走访", counts["due_week"], reverse("people:my_visits")),
            ("走访逾期", counts["overdue"], overdue_url)]
    items = [(f"⚠ {row['village']}：逾期 {row['n']} 人", overdue_url) for row in selectors.overdue_by_village(user)[:5]]
    return {"title": "特殊人群走访", "url": reverse("people:my_visits"), "rows": rows, "links": items,
            "empty": "" if counts["overdue"] else "没有逾期未走访的人员。"}
