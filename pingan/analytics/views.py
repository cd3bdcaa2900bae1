"""The statistics page: the indicators of a period and a node, as the dashboard and reports define them."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from pingan.core import indicators
from pingan.core.views import require_capability
from pingan.geo.choices import Level
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
    # The node picker: the user's scope and the townships under it (villages by code in the text box).
    choices = []
    if user.scope_id:
        choices = list(Node.objects.visible_to(user).filter(level__in=[Level.COUNTY, Level.TOWNSHIP, Level.CITY,
                                                                        Level.PROVINCE])
                       .order_by("path").values_list("code", "name")[:300])
    return render(request, "analytics/stats.html", {"params": params, "error": error, "groups": groups, "node": node,
                                                    "choices": choices}, status=status)
