"""The hazard list's export (pingan.ledgers.lists): the rows of /hazards/ for its filters, in the ledger's
columns, so the file re-imports."""
from pingan.cases.views import queue_query
from pingan.ledgers.lists import ListExport, filterset_query, register_list

from . import selectors
from .filters import HazardFilter
from .models import Hazard

register_list(ListExport(route="hazards:list", label="风险隐患", model=Hazard, ledger="hazards",
                         query=filterset_query(HazardFilter, selectors.hazard_list)))

# The work queue (/hazards/queue/?tab=): the tab's rows, in the ledger's columns.
register_list(ListExport(route="hazards:queue", label="风险隐患待办", model=Hazard, ledger="hazards",
                         query=queue_query("hazards.hazard")))
