"""Test support for notifications: a leak factory (a notification to township `side`'s officer, whose title
carries the marker). A notification is its recipient's alone: the role × route net's "own" kind."""
from __future__ import annotations

from pingan.core.testing import leak_factory, marked, new_marker

from .models import Notification


@leak_factory(Notification)
def _notification(world, side):
    from .services import notify

    marker = new_marker()
    officer = world.officer(side)
    [row] = notify([officer], kind=Notification.Kind.SYSTEM, title=f"系统通知（{world.township(side).name}）{marker}",
                   body=f"测试消息 {marker}", url="/")
    return marked(row, marker)
