"""The second factor in a real browser at phone width (390 px): enrolment by the QR page's manual key, the
recovery codes, then a login with the code step. Under the Content Security Policy, nothing blocked."""
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from pingan.core.testing import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)  # the `browser` fixture is in the root conftest


def _code(secret_b32: str, offset: int = 0) -> str:
    totp = TOTP(b32decode(secret_b32.replace(" ", "")), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def _password(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")


def test_the_system_admin_enrols_and_logs_in_with_a_code_on_a_phone(world, live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    _password(page, live_server.url, "district_admin")
    assert page.url.endswith("/accounts/profile/second-factor/")
    assert page.is_visible(".qr-code svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    secret = page.inner_text(".secret-key")
    page.fill("#id_code", _code(secret))
    page.click("form:has(#id_code) button[type=submit]")  # the header has a logout button too
    assert page.is_visible("text=双因素认证已启用")
    assert page.locator(".recovery-codes li").count() == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("text=我已保存，继续")
    assert page.title().startswith("工作台")

    # A new login: password, then the code (the next time step: the enrolment's code cannot be replayed).
    fresh = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    _password(fresh, live_server.url, "district_admin")
    assert fresh.url.endswith("/accounts/login/verify/")
    assert fresh.evaluate("document.documentElement.scrollWidth") <= 390
    fresh.fill("#id_code", _code(secret, 30))
    fresh.click("form:has(#id_code) button[type=submit]")
    assert fresh.title().startswith("工作台")
    assert blocked == []
