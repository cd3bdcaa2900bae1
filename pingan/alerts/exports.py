"""The early-warning list's export (pingan.ledgers.lists): the rows of /alerts/ for its filters, in the columns
the page shows (and a few more that make a row checkable by hand)."""
from pingan.ledgers.lists import ListColumn, ListExport, filterset_query, register_list

from . import selectors
from .filters import AlertFilter, module_label
from .models import Alert

register_list(ListExport(
    route="alerts:list", label="预警", model=Alert, data_kind="case",
    query=filterset_query(AlertFilter, selectors.alert_list, order_by=("-raised_at", "-id")),
    columns=(ListColumn("预警时间", "raised_at", width=17), ListColumn("预警等级", "get_level_display", width=8),
             ListColumn("所属模块", getter=lambda a: module_label(a.module), width=10),
             ListColumn("标题", "title", width=30), ListColumn("预警原因", "reason", width=50),
             ListColumn("所属乡镇/村", getter=lambda a: " ".join(
                 n.name for n in (a.jurisdiction.parent, a.jurisdiction) if n is not None and n.level != "county"),
                 width=22),
             ListColumn("来源", "source_label", width=20), ListColumn("状态", "get_status_display", width=8),
             ListColumn("处置时间", "handled_at", width=17), ListColumn("处置说明", "handled_note", width=30))))
