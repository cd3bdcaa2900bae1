"""A hazard's 整改通知书 in a real browser at phone width (390 px, Debian's Chromium through Playwright): the case
page offers it as buttons, the printable page fits the screen, its 打印 button calls the browser's print, and
nothing inline is refused by the Content Security Policy. A screenshot is kept for a look by eye."""
import os

import pytest
from django.urls import reverse

from pingan.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)  # the `browser` fixture is in the root conftest


def test_the_printable_notice_reads_on_a_phone_and_prints(world, live_server, browser, settings, tmp_path):
    from pingan.hazards.testing import make_hazard

    settings.MEDIA_ROOT = tmp_path / "media"
    hazard = make_hazard(world, "a", description="废品收购站堆放易燃物，消防通道被三轮车和纸箱堵塞，夜间无人值守",
                         responsible_phone="13812345678")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "township_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + reverse("hazards:detail", args=[hazard.pk]))
    assert page.locator("#documents a.btn").all_inner_texts() == ["下载 Word", "打印", "含完整号码"]

    page.click("#documents >> text=打印")
    page.wait_for_selector(".doc-sheet")
    assert page.inner_text(".doc-title") == "风险隐患整改通知书"
    assert "138****5678" in page.inner_text(".doc-sheet")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.click("button[data-print]")
    assert page.evaluate("() => window.__printed") == 1
    page.screenshot(path=os.path.join(str(tmp_path), "notice-390.png"), full_page=True)
    assert not violations, violations
