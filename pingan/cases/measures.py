"""The "now" figures of a case kind for the dashboard's measures (pingan.core.measures)."""
from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from .models import Supervision


def case_figures(model_label: str) -> dict:
    """The "now" figures of a case kind of the case layer (pingan.cases): open (its open states), overdue (open
    and past the one due moment `due_at`, as the lists' ?overdue=) and supervised (open with an open 督办, as
    the work queue's 督办中 tab), each an SQL condition for one aggregate."""
    def model():
        return apps.get_model(model_label)

    def open_q() -> Q:
        return Q(state__in=model().objects.all()._kind().open_states)

    def overdue_q(now: dt.datetime) -> Q:
        return model().objects.all().overdue_q(now)

    def supervised_q() -> Q:
        label = model()._meta.label_lower
        return open_q() & Q(Exists(Supervision.objects.filter(case_type=label, case_id=OuterRef("pk"),
                                                              status=Supervision.Status.OPEN)))
    return {"open": open_q, "overdue": overdue_q, "supervised": supervised_q}
