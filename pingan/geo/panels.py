"""Home-page panel: the user's jurisdiction at a glance."""
from django.urls import reverse

from pingan.core.registry import home_panel

from .selectors import root_for, subtree_counts


@home_panel(order=90)
def my_jurisdiction(request):
    user = request.user
    if not user.may_see_data_kind("directory") or not user.scope_id:
        return None
    root = root_for(user)
    counts = subtree_counts(root)[root.path]
    node_url = reverse("geo:node", args=[root.code])
    rows = [("网格", counts["grids"], node_url), ("工作人员", counts["staff"], None),
            ("治安联络点", counts["liaison_points"], reverse("geo:liaison_list"))]
    if counts["villages"]:
        rows.insert(0, ("村(社区)", counts["villages"], node_url))
    return {"title": f"我的辖区：{root.name}", "url": node_url, "rows": rows}
