"""The petition list's export (pingan.ledgers.lists): the rows of /petitions/ for its filters, in the ledger's
columns (信访人 ID numbers masked unless asked for in full with a reason), so the file re-imports."""
from pingan.ledgers.lists import ListExport, filterset_query, register_list

from . import selectors
from .filters import PetitionFilter
from .models import Petition

register_list(ListExport(route="petitions:list", label="信访", model=Petition, ledger="petitions",
                         query=filterset_query(PetitionFilter, selectors.petition_list)))
