"""The grid worker's phone page in a real browser at 390 px under the Content Security Policy: nothing overflows,
a registration typed without network is kept on the phone and arrives once when the network returns (the
events' offline queue, shared), and it lands on the dispute's page."""
import os
import re

import pytest

from pingan.core.testing import TEST_PASSWORD
from pingan.disputes.models import Dispute

pytestmark = pytest.mark.django_db(transaction=True)  # the `browser` fixture is in the root conftest


def test_a_dispute_registered_offline_on_a_phone_arrives_once(world, live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    blocked = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "grid_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/disputes/phone/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.input_value("#id_jurisdiction") == world.grid("a").code  # the worker's grid, preselected
    page.fill("#id_title", "王家李家排水纠纷")
    page.select_option("#id_category", "0201")
    page.fill("#id_summary", "下雨后排水沟堵塞，两家互相指责")
    page.fill("#id_party1_name", "王五")
    page.fill("#id_party2_name", "李六")
    if os.environ.get("PINGAN_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["PINGAN_SCREENSHOTS"], "disputes-phone.png"), full_page=True)

    context.set_offline(True)
    page.evaluate("() => window.dispatchEvent(new Event('offline'))")
    page.click("#submit-btn")
    page.wait_for_selector("#queue-status:not([hidden])")
    assert "保存在本机" in page.inner_text("#offline-status")
    assert "纠纷" in page.inner_text("#queue-list")
    assert Dispute.objects.count() == 0

    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.getElementById('offline-status').textContent.includes('已发送')",
                           timeout=15000)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(1000)
    disputes = list(Dispute.objects.all())
    assert len(disputes) == 1
    dispute = disputes[0]
    assert (dispute.title, dispute.category, dispute.jurisdiction_id, dispute.reported_by) == (
        "王家李家排水纠纷", "0201", world.grid("a").pk, world.users["grid_a"])
    assert sorted(dispute.parties.values_list("name", flat=True)) == ["李六", "王五"]
    assert blocked == []
    context.close()


def test_online_registration_on_the_phone_lands_on_the_dispute(world, live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "grid_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/disputes/phone/")
    page.fill("#id_title", "土地承包纠纷")
    page.select_option("#id_category", "0901")
    page.fill("#id_summary", "承包地边界不清")
    page.click("#submit-btn")
    page.wait_for_url(re.compile(r"/disputes/\d+/$"))
    dispute = Dispute.objects.get()
    assert page.url.endswith(f"/disputes/{dispute.pk}/")
    assert dispute.number in page.inner_text("main")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    context.close()
