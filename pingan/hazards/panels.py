"""The home page panel of the hazard register: what waits for the user."""
from __future__ import annotations

from django.urls import reverse

from pingan.core import registry


@registry.home_panel(order=40)
def hazards_panel(request):
    user = request.user
    if not user.may_see_data_kind("case"):
        return None
    from .selectors import overdue_hazards, queue_counts

    counts = queue_counts(user)
    if not any(counts.values()):
        return None
    base = reverse("hazards:list")
    rows = [
        ("未办结隐患", counts["open"], f"{base}?open=true"),
        ("已超期", counts["overdue"], f"{base}?overdue=true"),
        ("督办中", counts["supervised"], reverse("hazards:queue")),
    ]
    if user.can("hazards.accept"):
        rows.append(("待验收", counts["awaiting"], f"{base}?state=awaiting_acceptance"))
    if user.can("hazards.approve_extension"):
        rows.append(("待审批延期", counts["extensions"], reverse("hazards:queue")))
    items = [(f"{h.number} · {h.jurisdiction.name} · 期限 {h.deadline:%Y-%m-%d}", reverse("hazards:detail", args=[h.pk]))
             for h in overdue_hazards(user)[:5]]
    return {"title": "风险隐患", "url": reverse("hazards:queue"), "rows": rows, "links": items, "empty": ""}
