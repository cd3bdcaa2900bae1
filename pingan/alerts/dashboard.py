"""The early-warning centre on the dashboard (pingan.core.measures): 预警 by 预警时间, by 模块, and those still
waiting now."""
from django.db.models import Q

from pingan.core.measures import OPEN, Measure, iso, register


def alert_link(date_from, date_to, node, category, status) -> dict:
    """The 预警中心 list's FilterSet (alerts/filters.py AlertFilter)."""
    return {"place": node.code, "raised_from": iso(date_from), "raised_to": iso(date_to), "module": category or "",
            "active": "true" if status == OPEN else ""}


def alert_modules() -> dict:
    from .filters import MODULE_LABELS

    return dict(MODULE_LABELS)


def alert_open() -> Q:
    from .models import ACTIVE

    return Q(status__in=ACTIVE)


register(Measure(key="alerts", label="预警", model="alerts.Alert", date_field="raised_at", date_label="预警时间",
                 unit="条", category_field="module", category_title="模块", category_labels=alert_modules,
                 list_url="alerts:list", link=alert_link, order=80, open=alert_open))
