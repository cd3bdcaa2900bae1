"""The window on a phone (390 px): a returning visitor is found by phone and a matter registered; screenshot."""
from __future__ import annotations

import pytest
from django.urls import reverse

from pingan.core.testing import TEST_PASSWORD

from pingan.hall.models import Matter
from pingan.hall.testing import make_matter

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_window_page_on_a_390px_phone(world, browser, live_server, tmp_path):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()
    make_matter(world, "a", name="王秀英", phone="13912345678")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "township_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + reverse("hall:window"))
    page.fill("input[name=q]", "13912345678")
    page.click("button:has-text('查找')")
    page.wait_for_selector(".hall-visitor")
    assert "王秀英" in page.inner_text(".hall-visitor")
    page.click("text=为其登记新事项")
    page.select_option("select[name=category]", "neighbour")
    page.fill("input[name=topic]", "漏水第二次")
    page.fill("textarea[name=summary]", "楼上仍在漏水")
    page.click("button:has-text('登记并取得事项码')")
    page.wait_for_selector("h1:has-text('事项码')")
    assert Matter.objects.count() == 2 and Matter.objects.filter(topic="漏水第二次").get().visitor.name == "王秀英"
    # Nothing wider than the phone: no horizontal scrolling.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert violations == []
    page.goto(live_server.url + reverse("hall:window") + "?q=13912345678")
    page.screenshot(path=str(tmp_path / "hall-window-phone.png"), full_page=True)
    context.close()
