"""Home page panel: the waiting warnings of the user's scope, by level, each linking to the filtered list."""
from __future__ import annotations

from django.urls import reverse

from pingan.core.registry import home_panel

from . import selectors
from .models import Level


@home_panel(order=12)
def alerts_panel(request):
    user = request.user
    if not user.may_see_data_kind("case"):
        return None
    counts = selectors.level_counts(selectors.open_alerts(user))
    url = reverse("alerts:list")
    if not counts["total"]:
        return {"title": "预警中心", "url": url, "rows": [], "links": [], "empty": "没有待处理的预警。"}
    rows = [(f"{label}预警", counts[level], f"{url}?active=true&level={level}") for level, label in Level.choices]
    return {"title": "预警中心", "url": f"{url}?active=true", "rows": rows, "links": [], "empty": ""}
