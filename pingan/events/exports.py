"""The event list's export (pingan.ledgers.lists): the rows of /events/ for its query string (the page's own
`event_list_query`), in the events ledger's columns (export only)."""
from django.core.exceptions import ValidationError

from pingan.cases.views import queue_query
from pingan.ledgers.lists import ListExport, register_list

from .models import Event


def _query(user, params):
    from .views import event_list_query

    qs, _params, errors = event_list_query(user, params)
    if errors:
        raise ValidationError(errors)
    return qs


register_list(ListExport(route="events:list", label="网格事件", model=Event, ledger="events", query=_query))

# The work queue (/events/queue/?tab=): the tab's rows, in the ledger's columns.
register_list(ListExport(route="events:queue", label="网格事件待办", model=Event, ledger="events",
                         query=queue_query("events.event")))
