"""The home page panel of petitions: the queue's tabs with their counts (the user's own petitions only: a
department's handler counts what is assigned to the department)."""
from __future__ import annotations

from pingan.core import registry


@registry.home_panel(order=45)
def petitions_panel(request):
    if not request.user.may_see_data_kind("case") or not (
            request.user.can("petitions.handle") or request.user.can("petitions.decide")):
        return None
    from pingan.cases.views import home_panel as case_panel

    from . import views  # noqa: F401  (declares the petition's surface)

    panel = case_panel(request, "petitions.petition", "信访事项")
    if panel is not None and not any(count for _label, count, _url in panel["rows"]):
        return None
    return panel
