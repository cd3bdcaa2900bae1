"""A report typed on a phone without network is kept in the browser and arrives exactly once when the
network returns (Debian's Chromium driven by Playwright)."""
import os
import shutil

import pytest

from pingan.core.testing import TEST_PASSWORD
from pingan.events.models import Event
from pingan.events.testing import make_categories

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="未安装 Chromium（apt-get install chromium），跳过浏览器测试"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                              "--disable-background-networking"])
        yield b
        b.close()


def test_a_report_made_offline_arrives_once_when_the_network_returns(world, live_server, browser):
    cats = make_categories(world)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "grid_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/events/report/")
    page.select_option("#id_category", str(cats["gas"].pk))
    page.fill("#id_description", "煤气罐放在楼道里，有异味")

    context.set_offline(True)
    page.evaluate("window.dispatchEvent(new Event('offline'))")
    page.click("#submit-btn")
    page.wait_for_selector("#queue-status:not([hidden])")
    assert "保存在本机" in page.inner_text("#offline-status")
    assert Event.objects.count() == 0

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    # A function, not an expression string: Playwright evals expression strings, which the page's CSP forbids.
    page.wait_for_function("() => document.getElementById('offline-status').textContent.includes('已发送')", timeout=15000)
    # A second "online" (a flaky network) resends nothing: the queue is empty and the key is spent.
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(1000)
    events = list(Event.objects.all())
    assert len(events) == 1
    assert events[0].description == "煤气罐放在楼道里，有异味" and events[0].reporter == world.users["grid_a"]
    context.close()
