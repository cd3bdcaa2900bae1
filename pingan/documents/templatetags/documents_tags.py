"""`{% document_buttons obj %}`: the documents offered for a record to the current user, as plain buttons
(下载 Word, 打印, and 含完整号码 for those who may reveal); nothing at all when none is offered."""
from django import template
from django.urls import NoReverseMatch

from ..registry import documents_for
from ..views import document_url

register = template.Library()


@register.inclusion_tag("documents/_buttons.html", takes_context=True)
def document_buttons(context, obj):
    request = context.get("request")
    user = getattr(request, "user", None)
    may_reveal = bool(user is not None and getattr(user, "is_authenticated", False) and user.can("personal.reveal"))
    documents = []
    for doc_type in documents_for(obj, user):
        try:
            documents.append({"type": doc_type, "download": document_url(doc_type, obj),
                              "print": document_url(doc_type, obj, "print_detail"),
                              "full": document_url(doc_type, obj, "full") if may_reveal else ""})
        except NoReverseMatch:  # a type registered after the URLs were built (a test's own): no routes, no buttons
            continue
    return {"documents": documents}
