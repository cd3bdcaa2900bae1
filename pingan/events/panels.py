"""The home page panel: what is waiting for the user in the grid-event workflow."""
from pingan.core.registry import home_panel


@home_panel(order=20)
def events_panel(request):
    user = request.user
    if not user.may_see_data_kind("case"):
        return None
    from django.urls import NoReverseMatch, reverse

    from .selectors import queue_counts

    counts = queue_counts(user)
    if counts is None:
        return None
    try:
        url = reverse("events:queue")
    except NoReverseMatch:
        return None
    return {
        "title": "网格事件",
        "url": url,
        "rows": [("等我处理", counts["mine"], f"{url}?tab=mine"), ("已超期", counts["overdue"], f"{url}?tab=overdue"),
                 ("督办中", counts["supervised"], f"{url}?tab=supervised")],
        "links": [],
        "empty": "" if any(counts.values()) else "没有待办的网格事件。",
    }
