"""The clue list's export (pingan.ledgers.lists): clues are their own data kind (举报线索保密): only roles that
may see clues get the button and the export (the village officer, the grid worker and the mediator get 403,
audited). The reporter's name and phone are never exported; the rows are those of /campaigns/clues/ for its
filters, and of its work queue. The campaign register's list exports itself (pingan.registers)."""
from pingan.cases.views import queue_query
from pingan.ledgers.lists import ListColumn, ListExport, filterset_query, register_list

from . import selectors
from .filters import ClueFilter
from .models import Clue

COLUMNS = (ListColumn("线索编号", "number", width=20), ListColumn("受理日期", "received_on", width=12),
             ListColumn("专项行动", "campaign.name", width=24), ListColumn("线索来源", "get_source_display", width=10),
             ListColumn("涉及乡镇", "jurisdiction.parent.name", width=12),
             ListColumn("涉及村(社区)", "jurisdiction.name", width=14),
             ListColumn("线索内容", "summary", width=50),
             ListColumn("移交单位", "handed_to_department.name", width=16), ListColumn("办理期限", "due_at", width=17),
             ListColumn("办理状态", "get_state_display", width=10), ListColumn("办结日期", "closed_on", width=12))

register_list(ListExport(route="campaigns:list", label="专项行动线索", model=Clue, data_kind="clue",
                         query=filterset_query(ClueFilter, selectors.clue_list), columns=COLUMNS))

# The clues' work queue (/campaigns/clues/queue/?tab=): the tab's rows.
register_list(ListExport(route="campaigns:queue", label="专项行动线索待办", model=Clue, data_kind="clue",
                         query=queue_query("campaigns.clue"), select_related=("campaign", "jurisdiction__parent",
                                                                             "handed_to_department"),
                         columns=COLUMNS))
