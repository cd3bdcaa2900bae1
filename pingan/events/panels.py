"""The home page panel: the grid events waiting for the user, counted like the work queue's tabs (the user's
own cases only: a department's handler counts what is assigned to the department)."""
from pingan.core.registry import home_panel


@home_panel(order=20)
def events_panel(request):
    if not request.user.may_see_data_kind("case"):
        return None
    from pingan.cases.views import home_panel as case_panel

    from . import views  # noqa: F401  (declares the event's surface)

    return case_panel(request, "events.event", "网格事件")
