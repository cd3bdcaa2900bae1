"""The statistics page: the indicators of a period and a node, as the dashboard and reports define them."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from pingan.core import indicators
from pingan.core.views import require_capability
from pingan.geo.choices import CODE_LENGTH, Level
from pingan.geo.models import Node

from .params import BadRequest, default_period, parse_period, resolve_node


@require_capability("analytics.stats")
def stats(request):
    user = request.user
    if not user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看统计指标。")
    default_from, default_to = default_period()
    params = {
        "from": request.GET.get("from", "").strip() or default_from.isoformat(),
        "to": request.GET.get("to", "").strip() or default_to.isoformat(),
        "jurisdiction": request.GET.get("jurisdiction", "").strip(),
    }
    error, status, groups, node = "", 200, [], None
    try:
        start, end = parse_period(params["from"], params["to"])
        node = resolve_node(params["jurisdiction"], user)
    except BadRequest as exc:
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
    return render(request, "analytics/stats.html", {"params": params, "error": error, "groups": groups, "node": node,
                                                    "choices": place_choices(user)}, status=status)


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
