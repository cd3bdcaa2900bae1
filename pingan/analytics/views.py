"""The statistics page, the dashboard and the big screen: the indicators and the measures of a period and a node.

All three read the period and the 辖区 the same way (`read_params`: parse_period, resolve_node) and the charts
from one builder (figures.build), whose JSON is also the data call /api/v1/analytics/dashboard/.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from pingan.core import indicators, registry
from pingan.core.views import require_capability
from pingan.geo.choices import CODE_LENGTH, Level
from pingan.geo.models import Node

from . import figures
from pingan.geo.params import BadRequest, default_period, parse_period, resolve_node


def read_params(query, user) -> tuple[dict, object, object, object]:
    """(params as typed, start, end, node) from ?from=&to=&jurisdiction=; BadRequest (400/404) when wrong.
    Missing dates default to this year so far, a missing 辖区 to the user's own place."""
    default_from, default_to = default_period()
    params = {
        "from": str(query.get("from", "") or "").strip() or default_from.isoformat(),
        "to": str(query.get("to", "") or "").strip() or default_to.isoformat(),
        "jurisdiction": str(query.get("jurisdiction", "") or "").strip(),
    }
    start, end = parse_period(params["from"], params["to"])
    node = resolve_node(params["jurisdiction"], user)
    return params, start, end, node


def _require_stats(user) -> None:
    if not user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看统计指标。")


@require_capability("analytics.stats")
def stats(request):
    user = request.user
    _require_stats(user)
    error, status, groups, node, data = "", 200, [], None, None
    try:
        params, start, end, node = read_params(request.GET, user)
    except BadRequest as exc:
        params = {k: request.GET.get(k, "").strip() for k in ("from", "to", "jurisdiction")}
        error, status = exc.message, (400 if exc.status == 400 else 404)
    else:
        result = indicators.compute(indicators.Query(start, end, node, user))
        values = indicators.flat(result)
        by_group: dict[str, list] = {}
        for ind in indicators.all_indicators():
            if ind.kind == indicators.RATE:
                shown = indicators.percent(values.get(ind.key))
            elif ind.kind == indicators.MAP:
                section = result.get(ind.group, {})
                for part in ind.name.split("."):
                    section = section.get(part, {}) if isinstance(section, dict) else {}
                shown = [(k, "—" if v is None else v) for k, v in section.items()]
            else:
                value = values.get(ind.key)
                shown = "—" if value is None else value
            by_group.setdefault(ind.group, []).append({"key": ind.key, "label": ind.label, "value": shown,
                                                        "help": ind.help, "kind": ind.kind})
        groups = [{"name": name, "label": indicators.GROUP_LABELS.get(name, name), "items": items}
                  for name, items in by_group.items()]
        data = figures.build(user, start, end, node, with_alerts=False, with_kpis=False)
    return render(request, "analytics/stats.html", {"params": params, "error": error, "groups": groups, "node": node,
                                                    "choices": place_choices(user), "data": data}, status=status)


@require_capability("analytics.stats")
def dashboard(request):
    """驾驶舱: the key indicators with 同比, every measure's figures, trends and breakdowns as charts."""
    user = request.user
    _require_stats(user)
    try:
        params, start, end, node = read_params(request.GET, user)
    except BadRequest as exc:
        params = {k: request.GET.get(k, "").strip() for k in ("from", "to", "jurisdiction")}
        return render(request, "analytics/dashboard.html", {
            "params": params, "error": exc.message, "choices": place_choices(user), "data": None,
        }, status=400 if exc.status == 400 else 404)
    data = figures.build(user, start, end, node)
    return render(request, "analytics/dashboard.html", {
        "params": params, "error": "", "choices": place_choices(user), "data": data, "node": node,
        "map_url": map_url(user), "screen_url": reverse("analytics:screen"),
    })


@require_capability("analytics.stats")
def screen(request):
    """大屏: a full-screen dark page for the video wall; its script re-reads the data call every 60 s."""
    user = request.user
    _require_stats(user)
    try:
        params, start, end, node = read_params(request.GET, user)
    except BadRequest as exc:
        return render(request, "analytics/screen.html", {"error": exc.message, "data": None},
                      status=400 if exc.status == 400 else 404)
    data = figures.build(user, start, end, node)
    api = reverse("api:analytics-dashboard")
    return render(request, "analytics/screen.html", {
        "error": "", "data": data, "node": node, "params": params, "map_url": map_url(user),
        "areas": screen_areas(user, node),
        "config": {"api": api, "query": {"from": params["from"] if request.GET.get("from") else "",
                                         "to": params["to"] if request.GET.get("to") else "",
                                         "jurisdiction": node.code},
                   "refresh": 60, "rotate": 15},
        "dashboard_url": reverse("analytics:dashboard"),
    })


def screen_areas(user, node) -> dict | None:
    """The areas one level below `node` (a county's townships, a township's villages) as GeoJSON for the big
    screen's map panel, which shades them by each measure's figures (by_place, keyed by code); None when the
    user may not open the map or no boundaries are loaded."""
    if map_url(user) is None:
        return None
    from pingan.geo import mapdata

    features = mapdata.boundaries(node, user, children_only=True)["features"]
    return {"type": "FeatureCollection", "features": features} if features else None


def map_url(user) -> str | None:
    """The map page of pingan.geo (`geo:map`) when it exists and the user may open it; None otherwise."""
    try:
        url = reverse("geo:map")
    except NoReverseMatch:
        return None
    return url if registry.link_allowed(user, "geo:map") else None


def place_choices(user) -> list[tuple[str, str]]:
    """The datalist of the 辖区 box: (value, hint) for the user's visible county, townships and villages by name,
    in one query; a name that occurs twice is given as “名称（所属乡镇）”, which the box also accepts."""
    if not user.scope_id:
        return []
    rows = list(Node.objects.visible_to(user).exclude(level=Level.GRID).order_by("path")
                .values_list("code", "name", "level", "path")[:1000])
    names = {code: name for code, name, _level, _path in rows}
    labels = dict(Level.choices)
    counts: dict[str, int] = {}
    for _code, name, _level, _path in rows:
        counts[name] = counts.get(name, 0) + 1
    township_len = CODE_LENGTH[Level.TOWNSHIP]
    choices = []
    for code, name, level, path in rows:
        value = name
        if counts[name] > 1:
            above = [c for c in path.split("/") if c and c != code]
            township = [c for c in above if len(c) == township_len]
            within = names.get((township or above or [""])[-1], "")
            value = f"{name}（{within}）" if within else name
        choices.append((value, labels.get(level, "")))
    return choices
