"""The event-list row tag writes exactly what the row template used to write."""
import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from pingan.accounts.models import Department
from pingan.events.models import Category, Event
from pingan.geo.models import Node

# events/_rows.html before the row moved into {% event_row %}.
TEMPLATE_ROWS = """<div class="table-wrap"><table class="stack"><thead><tr>{% if bulk %}<th><span class="sr-only">选择</span></th>{% endif %}<th>编号</th><th>类别</th><th>地点</th><th>状态</th><th>承办</th><th>期限</th><th>上报时间</th></tr></thead>
<tbody>{% for e in page %}<tr>
{% if bulk %}<td data-label="选择">{% if e.state == "registered" %}<input type="checkbox" name="events" value="{{ e.pk }}" form="bulk-form" aria-label="选择 {{ e.number }}">{% endif %}</td>{% endif %}
<td data-label="编号"><a href="{% url 'events:detail' e.pk %}">{{ e.number }}</a>{% if e.urgency != "normal" %} <span class="badge badge-red">{{ e.get_urgency_display }}</span>{% endif %}</td>
<td data-label="类别">{{ e.category.name }}</td>
<td data-label="地点">{{ e.jurisdiction.name }}</td>
<td data-label="状态">{{ e.get_state_display }}{% if e.supervised %} <span class="badge badge-amber">督办</span>{% endif %}{% if e.sent_back_count %} <span class="badge badge-gray">返工{{ e.sent_back_count }}</span>{% endif %}</td>
<td data-label="承办">{% if e.assigned_department %}{{ e.assigned_department.name }}{% elif e.assigned_township %}{{ e.assigned_township.name }}{% else %}—{% endif %}</td>
<td data-label="期限">{% if e.due_at %}{{ e.due_at|date:"m-d H:i" }}{% if e.is_overdue %} <span class="badge badge-red">已超期</span>{% endif %}{% else %}—{% endif %}</td>
<td data-label="上报时间">{{ e.reported_at|date:"Y-m-d H:i" }}</td>
</tr>{% empty %}<tr><td colspan="8" class="muted">没有事件。</td></tr>{% endfor %}</tbody></table></div>
{% include "pagination.html" %}
"""


def _events():
    category = Category(name="垃圾<堆放>&", code="0401")
    place = Node(name="一网格 \"东\"", code="1", path="1/")
    township = Node(name="河底镇", code="2", path="2/")
    department = Department(name="区公安分局")
    at = timezone.make_aware(dt.datetime(2024, 3, 5, 23, 59))
    rows = []
    variants = [
        dict(state="registered", urgency="normal"),
        dict(state="dispatched", urgency="urgent", assigned_department=department, due_at=at, is_overdue=True),
        dict(state="handling", urgency="critical", assigned_township=township, sent_back_count=2, supervised=True,
             due_at=at + dt.timedelta(days=400)),
        dict(state="closed", urgency="normal", due_at=None),
    ]
    for i, extra in enumerate(variants, start=1):
        annotations = {k: extra.pop(k) for k in ("is_overdue", "supervised") if k in extra}
        event = Event(pk=1000 + i, number=f"SJ<{i}>", category=category, jurisdiction=place,
                      reported_at=timezone.make_aware(dt.datetime(2023, 12, 31, 16, 5 + i)), **extra)
        for name, value in annotations.items():
            setattr(event, name, value)
        rows.append(event)
    return rows


@pytest.mark.parametrize("bulk", [False, True])
@pytest.mark.parametrize("count", [0, 4])
def test_the_row_tag_writes_what_the_template_wrote(bulk, count):
    request = RequestFactory().get("/events/queue/")
    page = Paginator(_events()[:count], 50).get_page(1)
    context = {"page": page, "request": request, **({"bulk": True} if bulk else {})}
    before = engines["django"].from_string(TEMPLATE_ROWS).render(context, request)
    assert render_to_string("events/_rows.html", context, request=request) == before
