"""The bell in the top bar: `{% load notification_tags %}{% notification_bell %}` (one COUNT query, only on
pages that render it, for signed-in users)."""
from django import template

from ..services import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    count = unread_count(user) if user is not None and user.is_authenticated else 0
    return {"count": count, "shown": "99+" if count > 99 else str(count)}
