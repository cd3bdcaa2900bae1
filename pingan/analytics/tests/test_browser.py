"""The statistics page at phone width in a real browser: the 辖区 box takes a name (typed in full width with
spaces), an unknown name answers in Chinese, nothing overflows 390 px."""
import os

import pytest

from pingan.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)  # the `browser` fixture is in the root conftest


def test_a_township_officer_picks_a_village_by_name_on_a_phone(world, live_server, browser):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "township_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/analytics/?from=2017-01-01&to=2017-12-31")
    assert page.locator("#jurisdiction-choices option").evaluate_all("os => os.map(o => o.value)") == [
        "河底镇", "固庄村委会"]
    page.fill("#id_jurisdiction", "　固庄　")
    page.click("form.filters button[type=submit]")
    assert page.is_visible("text=辖区：固庄村委会（140311101211）")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#id_jurisdiction", "无此村")
    page.fill("#id_from", "2018-01-01")
    page.click("form.filters button[type=submit]")
    assert page.is_visible("text=开始日期 2018-01-01 晚于截止日期 2017-12-31。")
    page.fill("#id_from", "2017-01-01")
    page.click("form.filters button[type=submit]")
    assert page.is_visible("text=辖区“无此村”不存在，或不在您的管辖范围内。")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if os.environ.get("PINGAN_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["PINGAN_SCREENSHOTS"], "stats-place-phone.png"))
