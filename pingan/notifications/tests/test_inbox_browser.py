"""The bell and the inbox in a real browser at phone width (390 px), under the Content Security Policy:
the bell shows the unread count, opening a message marks it read and goes to its page, nothing overflows,
nothing is blocked."""
import os

import pytest

from pingan.notifications.models import Notification
from pingan.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True)  # the `browser` fixture is in the root conftest


def _login(page, base, username):
    from pingan.core.testing import TEST_PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")


def test_the_bell_and_the_inbox_on_a_phone(world, live_server, browser, settings):
    settings.PINGAN_NOTIFY_QUIET_HOURS = None
    officer = world.officer("a")
    notify([officer], kind=Notification.Kind.OVERDUE, title="已超期：网格事件 SJ14031110120261125001", url="/profile-x/",
           body="当前环节：已派遣待处置，期限 11-25 13:00")
    notify([officer], kind=Notification.Kind.ASSIGNED, title="新派案件：风险隐患 YH14031110120261125002",
           url="/accounts/profile/")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    _login(page, live_server.url, "township_a")
    assert page.inner_text(".bell-count") == "2"
    page.click(".bell")
    assert page.url.endswith("/notifications/")
    assert page.locator(".notif").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if os.environ.get("PINGAN_SCREENSHOTS"):
        page.screenshot(path=os.environ["PINGAN_SCREENSHOTS"], full_page=True)
    page.click("text=新派案件：风险隐患 YH14031110120261125002")
    assert page.url.endswith("/accounts/profile/")
    assert page.inner_text(".bell-count") == "1"
    assert blocked == []
