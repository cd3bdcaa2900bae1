"""The home page panel of the hazard register: the queue's tabs with their counts (the user's own hazards
only: a department's handler counts what is assigned to the department)."""
from __future__ import annotations

from pingan.core import registry


@registry.home_panel(order=40)
def hazards_panel(request):
    if not request.user.may_see_data_kind("case"):
        return None
    from pingan.cases.views import home_panel as case_panel

    from . import views  # noqa: F401  (declares the hazard's surface)

    panel = case_panel(request, "hazards.hazard", "风险隐患")
    if panel is not None and not any(count for _label, count, _url in panel["rows"]):
        return None
    return panel
