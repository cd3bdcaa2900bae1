"""The petition module's list exports (pingan.ledgers.lists): the petition list and the 积案 list in the
petitions ledger's columns (信访人 ID numbers masked unless asked for in full with a reason; the files
re-import), and the 交办清单 list with each list's progress as its page shows it."""
from django.utils import timezone

from pingan.cases.views import queue_query
from pingan.ledgers.lists import ListColumn, ListExport, filterset_query, register_list

from . import lists, selectors
from .filters import PetitionFilter
from .models import AssignedList, Petition

register_list(ListExport(route="petitions:list", label="信访", model=Petition, ledger="petitions",
                         query=filterset_query(PetitionFilter, selectors.petition_list)))


def _backlog(user, params):
    return Petition.objects.visible_to(user).filter(is_backlog=True)


register_list(ListExport(route="petitions:backlog", label="信访积案", model=Petition, ledger="petitions",
                         query=_backlog))


def _assigned_lists(user, params):
    return AssignedList.objects.visible_to(user).order_by("-received_on", "-pk")


def _progress(field):
    return lambda a: lists.list_progress(a, timezone.localdate())[field]


register_list(ListExport(
    route="petitions:lists", label="交办清单", model=AssignedList, query=_assigned_lists,
    columns=(ListColumn("清单名称", "title", width=30), ListColumn("交办单位", "assigning_body", width=20),
             ListColumn("交办层级", "get_level_display", width=10), ListColumn("接收日期", "received_on", width=12),
             ListColumn("办理期限", "deadline", width=12), ListColumn("事项数", getter=_progress("total"), width=8),
             ListColumn("已办结", getter=_progress("finished"), width=8),
             ListColumn("办结率（%）", getter=_progress("percent"), width=10),
             ListColumn("逾期", getter=_progress("overdue"), width=8), ListColumn("报告日期", "reported_on", width=12))))

# The work queue (/petitions/queue/?tab=): the tab's rows, in the ledger's columns.
register_list(ListExport(route="petitions:queue", label="信访待办", model=Petition, ledger="petitions",
                         query=queue_query("petitions.petition")))
