"""The early-warning list's export (pingan.ledgers.lists, which alerts sits beneath: a plain declaration that
discovery reads): the rows of /alerts/ for its filters, in the columns the page shows and a few more that make
a row checkable by hand."""
from django.core.exceptions import ValidationError

from . import selectors
from .filters import AlertFilter, module_label
from .models import Alert


def _query(user, params):
    flt = AlertFilter(params or None, queryset=selectors.alert_list(user), request=None)
    if flt.is_bound and not flt.is_valid():
        raise ValidationError([f"{flt.form.fields[k].label}：{e}" if k in flt.form.fields else str(e)
                               for k, errors in flt.form.errors.items() for e in errors])
    return flt.qs.order_by("-raised_at", "-id")


def _place(alert):
    nodes = (alert.jurisdiction.parent, alert.jurisdiction) if alert.jurisdiction_id else ()
    return " ".join(n.name for n in nodes if n is not None and n.level != "county")


LIST_EXPORTS = [dict(
    route="alerts:list", label="预警", model=Alert, data_kind="case", query=_query,
    columns=(("预警时间", "raised_at", 17), ("预警等级", "get_level_display", 8),
             ("所属模块", lambda a: module_label(a.module), 10), ("标题", "title", 30), ("预警原因", "reason", 50),
             ("所属乡镇/村", _place, 22), ("来源", "source_label", 20), ("状态", "get_status_display", 8),
             ("处置时间", "handled_at", 17), ("处置说明", "handled_note", 30)))]
