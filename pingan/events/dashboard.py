"""Grid events on the dashboard (pingan.core.measures): 网格事件 by 上报时间 (duplicates not counted, as
events.reported), by 大类, overdue now. The event list takes township (any visible node's code: it and
everything under it), from/to (上报日期), category (a code prefix) and overdue=1."""
from pingan.core.measures import OVERDUE, Measure, iso, kpi, register

from .choices import EventState


def link(date_from, date_to, node, category, status) -> dict:
    return {"township": node.code, "from": iso(date_from), "to": iso(date_to), "category": category or "",
            "overdue": "1" if status == OVERDUE else ""}


def top_categories() -> dict:
    from .models import Category

    return dict(Category.objects.filter(parent__isnull=True).values_list("code", "name"))


def overdue_q(now):
    from .models import Event

    return Event.objects.all().overdue_q(now)


register(Measure(key="events", label="网格事件", model="events.Event", date_field="reported_at",
                 date_label="上报时间", category_field="category__parent__code", category_title="事件大类",
                 category_labels=top_categories, list_url="events:list", link=link, order=10,
                 base=lambda qs: qs.exclude(state=EventState.DUPLICATE), overdue=overdue_q))

kpi("events.closure_rate", "events", parts=(("events.reported", {}), ("events.closed", {"state": "closed"})), order=40)
kpi("events.on_time_rate", "events", order=41)  # its value clicks through to the reported events (the denominator)
