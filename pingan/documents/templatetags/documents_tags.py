"""`{% document_buttons obj %}`: the documents offered for a record to the current user, as plain buttons
(下载 Word, 打印, and 含完整号码 for those who may reveal); nothing at all when none is offered."""
from django import template

from ..registry import documents_for
from ..views import document_url

register = template.Library()


@register.inclusion_tag("documents/_buttons.html", takes_context=True)
def document_buttons(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    may_reveal = bool(user is not None and getattr(user, "is_authenticated", False) and user.can("personal.reveal"))
    documents = [{"type": t, "download": document_url(t, obj), "print": document_url(t, obj, "print_detail"),
                  "full": document_url(t, obj, "full") if may_reveal else ""}
                 for t in documents_for(obj, user)]
    return {"documents": documents}
