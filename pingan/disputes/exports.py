"""The dispute list's export (pingan.ledgers.lists): the rows of /disputes/ for its filters, in the ledger's
columns, so the file re-imports."""
from pingan.ledgers.lists import ListExport, filterset_query, register_list

from . import selectors
from .filters import DisputeFilter
from .models import Dispute

register_list(ListExport(route="disputes:list", label="矛盾纠纷", model=Dispute, ledger="disputes",
                         query=filterset_query(DisputeFilter, selectors.dispute_list)))
