"""`{% list_export_buttons %}`: the 导出 Excel / 导出 CSV buttons of a list page, for the roles that may export
it (pingan.ledgers.lists). The page names no list: the tag finds the export declared for the page's own route
and sends the page's query string (its filters) with the button."""
from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from pingan.ledgers import lists

register = template.Library()


@register.simple_tag(takes_context=True)
def list_export_buttons(context, route: str = "") -> str:
    request = context.get("request")
    if request is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return ""
    match = getattr(request, "resolver_match", None)
    entry = lists.get_list(route or (match.view_name if match else ""))
    if entry is None or not entry.may_export(request.user):
        return ""
    query = lists.clean_params(request.GET).urlencode()
    return render_to_string("ledgers/_list_export.html", {
        "entry": entry, "query": query, "may_reveal": entry.may_reveal(request.user),
    }, request=request)
