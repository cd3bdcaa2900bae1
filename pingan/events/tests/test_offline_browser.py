"""A report typed on a phone without network is kept in the browser and arrives exactly once when the
network returns (Debian's Chromium driven by Playwright)."""
import pytest
from django.urls import reverse

from pingan.core.testing import TEST_PASSWORD
from pingan.events.models import Event
from pingan.events.testing import make_categories

pytestmark = pytest.mark.django_db(transaction=True)  # the `browser` fixture is in the root conftest


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


def test_a_report_whose_answer_was_lost_is_retried_and_stays_one_event(world, live_server, browser):
    """The server registers the report but the phone never hears back (the connection drops after the
    commit), then the next try meets a gateway error after the commit too: the page keeps the report and
    resends it with the same idempotency key until an answer arrives, and the server keeps one event."""
    cats = make_categories(world)
    # Playwright sees a page's requests only without a service worker in between; the queue is offline.js's.
    context = browser.new_context(viewport={"width": 390, "height": 844}, service_workers="block")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "grid_a")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/events/report/")
    page.select_option("#id_category", str(cats["gas"].pk))
    page.fill("#id_description", "配电箱门被撬开，电线裸露")
    key = page.input_value("#id_idempotency_key")

    reached = []

    def lose_the_answer(route):
        reached.append(route.request.headers.get("idempotency-key"))
        answer = route.fetch()  # the request reaches the server, which commits the event
        assert answer.status in (200, 201)
        if len(reached) == 1:
            route.abort("connectionreset")  # first try: the connection drops before the answer arrives
        else:
            route.fulfill(status=502, body="bad gateway")  # second try: a proxy error after the commit

    api = f"{live_server.url}{reverse('api:event-list')}"
    page.route(api, lose_the_answer)
    page.click("#submit-btn")
    page.wait_for_selector("#queue-status:not([hidden])")
    assert "保存在本机" in page.inner_text("#offline-status")
    assert Event.objects.count() == 1  # the server has it although the phone does not know

    page.evaluate("window.dispatchEvent(new Event('online'))")  # a retry that meets the gateway error
    for _ in range(150):  # the route handler runs while Playwright waits
        if len(reached) == 2:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    assert len(reached) == 2
    assert not page.is_hidden("#queue-status")  # still queued: a 5xx is not an answer
    assert Event.objects.count() == 1

    page.unroute(api)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function("() => document.getElementById('offline-status').textContent.includes('已发送')", timeout=15000)
    page.wait_for_selector("#queue-status", state="hidden")
    events = list(Event.objects.all())
    assert len(events) == 1
    assert reached == [key, key]  # every try carried the key made when the form was filled
    assert events[0].idempotency_key == key
    assert events[0].number in page.inner_text("#offline-status")
    assert events[0].description == "配电箱门被撬开，电线裸露" and events[0].reporter == world.users["grid_a"]
    context.close()
