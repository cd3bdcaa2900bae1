"""What happened to a case, for whoever listens (notifications, caches).

`case_event` is sent by the engine after the writing transaction commits (`transaction.on_commit`; nothing
is sent for a rolled-back write), with keyword arguments:

    case        the case (as it stood after the write)
    actor       the user (None: the system, an import, a seed)
    event       "registered", "transition", "sent_back", "supervised", "supervision_replied",
                "extension_requested", "extension_decided"
    log         the TransitionLog row of the write (None for a bulk import)
    transition  the Transition taken ("transition" and "sent_back" only)
    supervision the Supervision row ("supervised", "supervision_replied")
    extension   the Extension row ("extension_requested", "extension_decided")
"""
from django.dispatch import Signal

case_event = Signal()
