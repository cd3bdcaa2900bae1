"""The disputes module's list exports (pingan.ledgers.lists): the dispute list (/disputes/) for its filters in
the ledger's columns, so the file re-imports; the subsidy sheets' list (误工补贴发放表) in the columns its page
shows. The registers (mediators, organisations, screenings, rates, 例会) export themselves."""
from pingan.cases.views import queue_query
from pingan.ledgers.lists import ListColumn, ListExport, filterset_query, register_list

from . import selectors
from .filters import DisputeFilter
from .models import Dispute, SubsidySheet

register_list(ListExport(route="disputes:list", label="矛盾纠纷", model=Dispute, ledger="disputes",
                         query=filterset_query(DisputeFilter, selectors.dispute_list)))


def _sheets(user, params):
    from . import filters_b as filters

    qs = SubsidySheet.objects.visible_to(user).select_related("jurisdiction", "created_by", "approved_by")
    return filterset_query(filters.SheetFilter, lambda u: qs, order_by=("-month", "jurisdiction__path"))(user, params)


def _may_read_sheets(user):
    from . import subsidy

    return subsidy.may_read_sheets(user)


def _person(attr):
    return lambda s: (getattr(s, attr).full_name or getattr(s, attr).username) if getattr(s, f"{attr}_id") else ""


register_list(ListExport(
    route="disputes:subsidy_list", label="误工补贴发放表", model=SubsidySheet, query=_sheets,
    allowed=_may_read_sheets,
    columns=(ListColumn("月份", getter=lambda s: s.month.strftime("%Y-%m"), width=10),
             ListColumn("地区", "jurisdiction.name", width=14), ListColumn("合计（元）", "total", width=12),
             ListColumn("状态", "get_status_display", width=8), ListColumn("制表人", getter=_person("created_by"), width=10),
             ListColumn("审批人", getter=_person("approved_by"), width=10),
             ListColumn("审批时间", "approved_at", width=17))))


# The work queue (/disputes/queue/?tab=): the tab's rows, in the ledger's columns.
register_list(ListExport(route="disputes:queue", label="矛盾纠纷待办", model=Dispute, ledger="disputes",
                         query=queue_query("disputes.dispute")))
