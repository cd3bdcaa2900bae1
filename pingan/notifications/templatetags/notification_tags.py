"""The bell in the top bar: `{% load notification_tags %}{% notification_bell %}` (one COUNT query, only on
pages that render it, for signed-in users)."""
import logging

from django import template
from django.db import DatabaseError

from ..services import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    try:
        count = unread_count(user) if user is not None and user.is_authenticated else 0
    except DatabaseError:  # an error page rendered after a failed query still renders, without the number
        logging.getLogger("pingan.notifications").warning("未读消息数读取失败", exc_info=True)
        count = 0
    return {"count": count, "shown": "99+" if count > 99 else str(count)}
