from django.urls import NoReverseMatch, reverse

from . import registry

# Navigation groups by order band (registry.nav(order=...)): modules place themselves by their order.
GROUPS = {1: "辖区", 2: "网格事件", 3: "人口", 4: "风险隐患", 5: "矛盾纠纷", 6: "受理与信访", 7: "统计研判",
          8: "台账与配置", 9: "系统管理", 10: "社会治安"}


def navigation(request):
    """The navigation the user may use, grouped (modules not built or not allowed are absent)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": []}
    items = []
    for item in registry.nav_items(user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "group": GROUPS.get(item.order // 10, "其他"),
                      "active": request.path.startswith(url) and url != "/"})
    groups: list[dict] = []
    for entry in items:
        if not groups or groups[-1]["label"] != entry["group"]:
            groups.append({"label": entry["group"], "items": [], "active": False})
        groups[-1]["items"].append(entry)
        groups[-1]["active"] = groups[-1]["active"] or entry["active"]
    return {"nav_items": items, "nav_groups": groups}
