"""Reads of early warnings, always through `visible_to(user)`: what other apps use (a 例会's agenda, the
command centre) and what the pages show."""
from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from .models import ACTIVE, Alert, Level


def alert_list(user: Any):
    """The alerts `user` may see, newest first, with what a list row shows."""
    return Alert.objects.visible_to(user).select_related("jurisdiction", "jurisdiction__parent")


def open_alerts(user: Any, module: str | None = None):
    """The waiting alerts (新预警, 已签收, 已列入研判) `user` may see, most serious first, then newest; of one module
    ("disputes", "petitions", "people" …) when given."""
    qs = alert_list(user).filter(status__in=ACTIVE)
    if module:
        qs = qs.filter(module=module)
    return qs.order_by(_level_rank(), "-raised_at", "-id")


def alerts_for(source: Any, user: Any = None):
    """The alerts raised about one record, newest first; only those `user` may see when a user is given
    (a page shows them), all of them for system code (a service closing them)."""
    qs = Alert.objects.for_source(source) if user is None else Alert.objects.visible_to(user).for_source(source)
    return qs.select_related("jurisdiction").order_by("-raised_at", "-id")


def level_counts(queryset) -> dict[str, int]:
    """{"red": n, "orange": n, "yellow": n, "total": n} of a queryset, in one aggregate query."""
    counts = queryset.order_by().aggregate(
        total=Count("id"), **{level: Count("id", filter=Q(level=level)) for level in Level.values})
    return {key: value or 0 for key, value in counts.items()}


def _level_rank():
    from django.db.models import Case, IntegerField, Value, When

    return Case(*[When(level=level, then=Value(rank)) for rank, level in enumerate(Level.values)],
                default=Value(9), output_field=IntegerField())


def center_counts(user: Any, params: Any) -> dict[str, Any]:
    """The 预警中心's counts under the list's filters (`params`, the query string): per status with every filter
    but the status, per level with every filter but the level (so each count is what its link shows), and
    the total under all the filters. Two aggregate queries, three when both a status and a level are chosen;
    invalid filters count nothing."""
    from .filters import AlertFilter
    from .models import Status

    def filtered(drop: str | None):
        data = params.copy() if hasattr(params, "copy") else dict(params)
        for key in (drop, "page"):
            if key and key in data:
                data.pop(key)
        fs = AlertFilter(data, queryset=alert_list(user))
        return fs.qs.order_by() if fs.is_valid() else Alert.objects.none()

    by_status = filtered("status").aggregate(
        total=Count("id"), **{status: Count("id", filter=Q(status=status)) for status in Status.values})
    by_level = filtered("level").aggregate(**{level: Count("id", filter=Q(level=level)) for level in Level.values})
    status_chosen, level_chosen = params.get("status"), params.get("level")
    if status_chosen and level_chosen:
        total = filtered(None).count()
    elif status_chosen:
        total = by_status.get(status_chosen, 0) or 0
    elif level_chosen:
        total = by_level.get(level_chosen, 0) or 0
    else:
        total = by_status.get("total") or 0
    return {"total": total,
            "status": {status: by_status.get(status) or 0 for status in Status.values},
            "level": {level: by_level.get(level) or 0 for level in Level.values}}
