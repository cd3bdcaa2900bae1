"""The home panel of the township office and the district centre: forces, cameras and this year's training of
their place (counts only, from the indicators)."""
from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from pingan.core import registry
from pingan.core.indicators import Query, percent


@registry.home_panel(order=60)
def security_panel(request):
    user = request.user
    if user.role not in ("district_admin", "center_staff", "township_officer") or not user.scope_id:
        return None
    today = timezone.localdate()
    q = Query(dt.date(today.year, 1, 1), today, user.scope, user)
    return {"title": "社会治安", "url": reverse("security:teams_list"),
            "rows": [("群防群治队伍", q["forces.teams"], reverse("security:teams_list")),
                     ("平安志愿者", q["forces.volunteers"], reverse("security:members_list") + "?kind=04"),
                     ("视频监控探头", q["cameras.total"], reverse("security:camera_stats")),
                     ("治安联络点覆盖率", percent(q["liaison_points.coverage"]), reverse("geo:liaison_list")),
                     (f"{today.year} 年培训场次", q["training.sessions"], reverse("security:training_totals"))],
            "links": [("探头分布图", reverse("security:camera_map")), ("巡防记录", reverse("security:patrols_list"))],
            "empty": ""}
