"""The generic case pages in a real browser at phone width (390 px, Debian's Chromium through Playwright): the
steps are buttons, the first is the usual next step, a button opens only its own form, the form posts and the
case moves on; nothing overflows the screen and the pages load no inline script or style (CSP)."""
import pytest
from django.urls import reverse
from django.utils import timezone

from pingan.core.testing import TEST_PASSWORD
from pingan.hazards.models import Hazard

pytestmark = pytest.mark.django_db(transaction=True)  # the `browser` fixture is in the root conftest


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")


def test_a_handler_completes_a_hazard_on_a_phone(world, live_server, browser, settings, tmp_path):
    from pingan.cases.testing import make_case

    settings.MEDIA_ROOT = tmp_path / "media"
    hazard = make_case(world, "a", "hazards.hazard")
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    _login(page, live_server.url, "handler_a")
    page.goto(live_server.url + reverse("hazards:detail", args=[hazard.pk]))
    buttons = page.locator(".case-actions a.btn")
    assert buttons.all_inner_texts() == ["开始整治", "整治完成，提请验收", "申请延期"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click("text=整治完成，提请验收")
    assert page.is_visible("#id_rectified_on") and page.is_visible("#id_measures")
    assert page.locator("form.case-form").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("#id_rectified_on", timezone.localdate().isoformat())
    page.fill("#id_measures", "清走易燃物，设置警示标志")
    page.click("form.case-form button[type=submit]")
    assert page.is_visible("text=已整治完成，提请验收")
    hazard = Hazard.objects.get(pk=hazard.pk)
    assert (hazard.state, hazard.rectified_on, hazard.measures) == (
        "awaiting_acceptance", timezone.localdate(), "清走易燃物，设置警示标志")
    assert not violations, violations
