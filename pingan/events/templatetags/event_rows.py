"""One row of an event list (events/_rows.html), written in Python: a page of 50 rows through the template
language resolved some 900 variables and two date filters per row, most of the queue page's time. The
output is the markup the template used to produce, character for character (tests/test_rows.py)."""
from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

register = template.Library()


def _minutes(value, with_year: bool) -> str:
    """`|date:"Y-m-d H:i"` / `|date:"m-d H:i"` (digits only, so no locale), without the format machinery."""
    d = template_localtime(value)
    text = f"{d.month:02d}-{d.day:02d} {d.hour:02d}:{d.minute:02d}"
    return f"{d.year:04d}-{text}" if with_year else text


_MARK = 987654321


def _detail_url(context, pk) -> str:
    """{% url 'events:detail' pk %}: reversed once per rendering, then the id put in its place."""
    pattern = context.render_context.get("event_rows_detail")
    if pattern is None:
        pattern = context.render_context["event_rows_detail"] = reverse("events:detail", args=[_MARK])
    return pattern.replace(str(_MARK), str(pk))


@register.simple_tag(takes_context=True)
def event_row(context, e, bulk=False):
    esc = conditional_escape
    parts = ["<tr>\n"]
    if bulk:
        parts.append('<td data-label="选择">')
        if e.state == "registered":
            parts.append(f'<input type="checkbox" name="events" value="{esc(e.pk)}" form="bulk-form" '
                         f'aria-label="选择 {esc(e.number)}">')
        parts.append("</td>")
    parts.append("\n")
    parts.append(f'<td data-label="编号"><a href="{esc(_detail_url(context, e.pk))}">{esc(e.number)}</a>')
    if e.urgency != "normal":
        parts.append(f' <span class="badge badge-red">{esc(e.get_urgency_display())}</span>')
    parts.append("</td>\n")
    parts.append(f'<td data-label="类别">{esc(e.category.name)}</td>\n')
    parts.append(f'<td data-label="地点">{esc(e.jurisdiction.name)}</td>\n')
    parts.append(f'<td data-label="状态">{esc(e.get_state_display())}')
    if getattr(e, "supervised", None):
        parts.append(' <span class="badge badge-amber">督办</span>')
    if e.sent_back_count:
        parts.append(f' <span class="badge badge-gray">返工{esc(e.sent_back_count)}</span>')
    parts.append("</td>\n")
    if e.assigned_department:
        unit = esc(e.assigned_department.name)
    elif e.assigned_township:
        unit = esc(e.assigned_township.name)
    else:
        unit = "—"
    parts.append(f'<td data-label="承办">{unit}</td>\n')
    if e.due_at:
        due = _minutes(e.due_at, with_year=False)
        if getattr(e, "is_overdue", None):
            due += ' <span class="badge badge-red">已超期</span>'
    else:
        due = "—"
    parts.append(f'<td data-label="期限">{due}</td>\n')
    parts.append(f'<td data-label="上报时间">{_minutes(e.reported_at, with_year=True)}</td>\n</tr>')
    return mark_safe("".join(parts))
