"""Home panel of the window: today's matters, those waiting to be routed and the overdue ones."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from pingan.core import registry


@registry.home_panel(order=15)
def hall_panel(request):
    user = request.user
    if not user.can("hall.register"):
        return None
    from . import choices as c
    from .models import Matter

    qs = Matter.objects.visible_to(user)
    today = timezone.localdate()
    window = reverse("hall:window")
    return {
        "title": "一窗受理", "url": window,
        "rows": [("今日受理", qs.filter(registered_at__date=today).count(), reverse("hall:log")),
                 ("待分流", qs.filter(status=c.Status.REGISTERED).count(), window),
                 ("超过 1 个工作日未分流", qs.filter(Matter.objects.overdue_q()).count(), window)],
        "links": [("登记来访", window), ("值班安排", reverse("hall:duty"))],
        "empty": "",
    }
