"""The home page's way to the dashboard: the leader's (and the centre's, the township's) first panel."""
from django.urls import reverse

from pingan.accounts.choices import Role
from pingan.core import registry

LEADING = {Role.LEADER, Role.DISTRICT_ADMIN, Role.CENTER_STAFF, Role.TOWNSHIP_OFFICER}


@registry.home_panel(order=1)
def dashboard_panel(request):
    user = request.user
    if user.role not in LEADING or not user.can("analytics.stats") or not user.may_see_data_kind("case"):
        return None
    return {"title": "驾驶舱", "url": reverse("analytics:dashboard"), "rows": [],
            "links": [("打开驾驶舱：关键指标、同比、趋势与分布，每个数字可点开核对", reverse("analytics:dashboard")),
                      ("大屏展示（视频墙）", reverse("analytics:screen")),
                      ("统计指标（表格）", reverse("analytics:stats"))],
            "empty": ""}
