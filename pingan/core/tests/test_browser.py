"""A real browser (Debian's Chromium driven by Playwright): login, the home page and the menu at phone width."""
import pytest

from pingan.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)  # the `browser` fixture is in the root conftest


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")


def test_a_township_officer_logs_in_on_a_phone_and_opens_the_menu(world, live_server, browser):
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _login(page, live_server.url, "township_a")
    assert page.title().startswith("工作台")
    assert page.is_visible("text=我的辖区：河底镇")
    nav_link = page.locator("nav.nav a", has_text="辖区网格")
    assert not nav_link.is_visible()  # the menu is folded at phone width
    page.click("label.navbutton")
    assert nav_link.is_visible()
    nav_link.click()
    assert page.is_visible("text=固庄村委会")
    assert not page.is_visible("text=荫营镇")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_wrong_password_shows_the_generic_message(world, live_server, browser):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "township_a")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert page.is_visible("text=用户名或密码不正确")
