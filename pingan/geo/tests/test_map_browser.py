"""The map in a real browser (Debian's Chromium driven by Playwright): the grid worker picks a report's place by
tapping the map on a phone and the event keeps that point; the centre's map draws the boundaries and a layer
with its count; a township officer asking for another township reads the Chinese refusal."""
from decimal import Decimal

import pytest

from pingan.core.testing import TEST_PASSWORD
from pingan.events.models import Event
from pingan.events.testing import make_categories
from pingan.geo.models import Boundary

pytestmark = pytest.mark.django_db(transaction=True)  # the `browser` fixture is in the root conftest

BOXES = {"county": (113.40, 37.70, 113.80, 38.00), "township_a": (113.40, 37.70, 113.60, 38.00),
         "village_a": (113.40, 37.70, 113.60, 37.85), "grid_a": (113.40, 37.70, 113.50, 37.85),
         "township_b": (113.60, 37.70, 113.80, 38.00)}


def _bounded(world):
    for key, (x0, y0, x1, y1) in BOXES.items():
        node = world.county if key == "county" else world.nodes[key]
        Boundary.objects.create(node=node, min_lng=x0, min_lat=y0, max_lng=x1, max_lat=y1, geometry={
            "type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})


def _page(browser, live_server, username, width, height):
    page = browser.new_context(viewport={"width": width, "height": height}, service_workers="block").new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    return page, errors


def test_the_grid_worker_picks_the_place_on_the_map_and_the_event_keeps_it(world, live_server, browser):
    _bounded(world)
    cats = make_categories(world)
    page, errors = _page(browser, live_server, "grid_a", 390, 844)
    page.goto(f"{live_server.url}/events/report/")
    page.select_option("#id_category", str(cats["gas"].pk))
    page.fill("#id_description", "煤气罐放在楼道里，有异味")
    # The picker shows the grid worker's grid (113.40–113.50 × 37.70–37.85) once its boundary has arrived.
    page.wait_for_selector(".map-picker .map-label")
    assert page.inner_text(".map-picker .map-label") == "固庄第一网格"
    picker = page.locator(".map-picker-map")
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    picker.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    lat, lng = page.input_value("#id_latitude"), page.input_value("#id_longitude")
    # The middle of the map is the middle of the grid's square (113.45, 37.775), within a few pixels.
    assert abs(float(lat) - 37.775) < 0.01 and abs(float(lng) - 113.45) < 0.01
    assert page.inner_text("[data-picker-status]") == f"已标注：纬度 {lat}，经度 {lng}（可再点一次修改）。"
    page.click("#submit-btn")
    page.wait_for_function("() => document.title.indexOf('上报事件') < 0", timeout=15000)
    event = Event.objects.get()
    assert (event.latitude, event.longitude) == (Decimal(lat), Decimal(lng))
    assert event.jurisdiction == world.grid("a") and event.reporter == world.users["grid_a"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_the_centre_sees_the_district_and_a_layer_and_a_township_cannot_see_another(world, live_server, browser):
    from pingan.events import services

    _bounded(world)
    cats = make_categories(world)
    services.event_report(actor=world.users["grid_a"], category=cats["gas"], description="楼道煤气罐",
                          latitude="37.75", longitude="113.45")
    page, errors = _page(browser, live_server, "center_staff", 1440, 1000)
    page.goto(f"{live_server.url}/geo/map/")
    page.wait_for_function("() => document.querySelector('[data-count=events]').textContent === '1 个'")
    # Township names are drawn on the boundaries (no tiles needed).
    labels = page.locator(".map-label").all_inner_texts()
    assert "河底镇" in labels and "荫营镇" in labels
    page.check("[data-layer=special_people]")
    page.wait_for_function("() => document.querySelector('[data-count=special_people]').textContent === '0 人'")
    # Another place by name: the title follows, the event (in 河底镇) is still counted.
    page.fill("#map-jurisdiction", "河底")
    page.click("#map-apply")
    page.wait_for_function("() => document.querySelector('.map-scope').textContent === '河底镇'")
    page.wait_for_function("() => document.querySelector('[data-count=events]').textContent === '1 个'")
    assert errors == []

    page, errors = _page(browser, live_server, "township_a", 390, 844)
    page.goto(f"{live_server.url}/geo/map/")
    page.wait_for_function("() => document.querySelector('[data-count=events]').textContent === '1 个'")
    page.fill("#map-jurisdiction", "荫营镇")
    page.click("#map-apply")
    page.wait_for_function("() => document.getElementById('map-status').textContent.indexOf('荫营镇') >= 0")
    page.wait_for_timeout(1000)  # nothing else arrives: the layers are not asked for the refused place
    assert page.inner_text("#map-status") == ("辖区“荫营镇”不存在，或不在您的管辖范围内。请填写本辖区内的乡镇、村(社区)名称或区划代码。")
    assert page.inner_text(".map-scope") == "河底镇"
    assert page.inner_text("[data-count=events]") == "1 个"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []
