"""The inbox pages: the list (unread first, 未读/全部), opening one (marks it read and follows its link when
that is a relative path on this site), marking one or all read. Another user's notification answers 404."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import paginate

from . import services
from .models import Notification

PAGE_SIZE = 20
FILTERS = {"unread": "未读", "all": "全部"}


def _show(request) -> str:
    show = request.GET.get("show", "unread")
    return show if show in FILTERS else "unread"


@login_required
def inbox(request):
    show = _show(request)
    rows = Notification.objects.visible_to(request.user)
    unread = rows.unread().count()
    if show == "unread":
        rows = rows.unread()
    page = paginate(request, rows.inbox_order(), per_page=PAGE_SIZE)
    return render(request, "notifications/inbox.html", {
        "page": page, "show": show, "filters": FILTERS, "unread": unread,
        "bad_filter": "show" in request.GET and request.GET.get("show") not in FILTERS,
    })


def _own(request, pk) -> Notification:
    try:
        return get_visible_or_404(Notification, request.user, pk=int(pk))
    except (TypeError, ValueError):
        raise Http404("您要找的消息不存在。") from None


def _back(request):
    show = request.POST.get("show")
    url = reverse("notifications:list")
    return redirect(f"{url}?show={show}" if show in FILTERS else url)


@scoped(Notification)
@login_required
@require_POST
def open_notification(request, pk: int):
    """Mark read, then go to the notification's page: only a relative path on this site is followed."""
    notification = _own(request, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    target = services.safe_url(notification.url)
    if not target:
        messages.info(request, "该消息没有可打开的页面，已标为已读。")
        return redirect("notifications:list")
    return redirect(target)


@scoped(Notification)
@login_required
@require_POST
def mark_read(request, pk: int):
    notification = _own(request, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(actor=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return _back(request)
