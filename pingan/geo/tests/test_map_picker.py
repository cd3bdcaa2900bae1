"""The map picker (pingan/geo/widgets.py, the {% map_picker %} tag) on the grid worker's event report and on the
citizens' report page: the page carries the picker bound to the latitude/longitude inputs, what is posted is
stored as it was picked (read back from the database), and bad coordinates get a Chinese form error.
The district's box of the event intake is 北纬 37.70–38.05, 东经 113.35–113.80 (events/intake.py)."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from pingan.events.models import Event
from pingan.events.testing import make_categories
from pingan.geo.models import Boundary, Node

pytestmark = pytest.mark.django_db


@pytest.fixture
def cats(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The county outline and township A's square (drawn by hand), so the pages have boundaries to draw.
    for node, box in ((world.county, (113.40, 37.70, 113.80, 38.00)), (world.township("a"), (113.40, 37.70, 113.60, 38.00))):
        Boundary.objects.create(node=node, min_lng=box[0], min_lat=box[1], max_lng=box[2], max_lat=box[3], geometry={
            "type": "Polygon", "coordinates": [[[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]],
                                                [box[0], box[1]]]]})
    # Township B's grid and village lie east (the test world puts every node on one point).
    Node.objects.filter(pk__in=[world.grid("b").pk, world.village("b").pk]).update(
        latitude=Decimal("37.75"), longitude=Decimal("113.70"))
    return make_categories(world)


def report(cats, world, **kw):
    data = {"category": cats["garbage"].pk, "description": "村口垃圾堆放", "jurisdiction": world.grid("a").pk,
            "attribute[kind]": "living", "urgency": "normal", "address": "村委会东侧"}
    data.update(kw)
    return data


def errors_of(response):
    return re.findall(r"<p>(.*?)</p>", response.content.decode().split('class="errors"', 1)[1].split("</div>", 1)[0])


def test_the_report_page_carries_the_picker_bound_to_the_coordinate_inputs(world, cats, client):
    client.force_login(world.users["grid_a"])
    page = client.get(reverse("events:report")).content.decode()
    assert ('<div class="map-picker" data-map-picker data-lat="id_latitude" data-lng="id_longitude" '
            'data-boundaries="/api/v1/geo/boundaries/" data-tiles="">') in page
    assert 'src="/static/geo/map-picker.js"' in page and 'src="/static/leaflet/leaflet.js"' in page
    assert "在地图上点一下即可标注位置（选填），也可以直接填写经纬度。" in page
    assert '<input name="latitude" id="id_latitude"' in page and '<input name="longitude" id="id_longitude"' in page


def test_the_picked_point_is_stored(world, cats, client):
    client.force_login(world.users["grid_a"])
    response = client.post(reverse("events:report"), report(cats, world, latitude="37.851234", longitude="113.551234"))
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.latitude, event.longitude) == (Decimal("37.851234"), Decimal("113.551234"))
    assert event.jurisdiction == world.grid("a") and event.reporter == world.users["grid_a"]


def test_full_width_coordinates_are_read(world, cats, client):
    client.force_login(world.users["grid_a"])
    response = client.post(reverse("events:report"), report(cats, world, latitude="３７．８５", longitude="１１３．５５"))
    assert response.status_code == 302
    assert Event.objects.values_list("latitude", "longitude").get() == (Decimal("37.850000"), Decimal("113.550000"))


def test_the_point_stays_optional(world, cats, client):
    client.force_login(world.users["grid_a"])
    assert client.post(reverse("events:report"), report(cats, world)).status_code == 302
    assert Event.objects.values_list("latitude", "longitude").get() == (None, None)


@pytest.mark.parametrize("lat, lng, message", [
    ("39.904200", "116.407400", "位置（39.904200，116.407400）不在本区范围内（北纬 37.70–38.05，东经 113.35–113.80）。"),
    ("113.55", "37.85", "位置（113.550000，37.850000）不在本区范围内（北纬 37.70–38.05，东经 113.35–113.80）。"),
    ("北纬37度", "113.55", "纬度“北纬37度”不是数字。"),
    ("37.85", "", "经纬度要成对填写。"),
    ("NaN", "113.55", "纬度不是有效数字。"),
    ("1e999999", "113.55", "纬度“1e999999”不是有效的坐标（纬度 -90～90，经度 -180～180）。"),
])
def test_bad_coordinates_get_a_chinese_error_and_nothing_is_stored(world, cats, client, lat, lng, message):
    client.force_login(world.users["grid_a"])
    response = client.post(reverse("events:report"), report(cats, world, latitude=lat, longitude=lng))
    assert response.status_code == 400
    assert errors_of(response) == [message]
    assert Event.objects.count() == 0
    # What was typed stays in the inputs for the picker to show and the user to correct.
    assert f'id="id_latitude" inputmode="decimal" value="{lat}"' in response.content.decode()


# --- the citizens' page ---------------------------------------------------------------------------------------

def test_the_public_page_embeds_the_county_outline_for_the_picker(world, cats, client):
    page = client.get(reverse("events_public:report")).content.decode()
    assert 'data-map-picker data-lat="id_latitude" data-lng="id_longitude" data-boundaries-json="map-picker-boundaries"' in page
    match = re.search(r'<script id="map-picker-boundaries" type="application/json">(.*?)</script>', page)
    data = json.loads(match.group(1))
    # Names and outlines only: the county and township A (the two loaded here).
    assert [(f["properties"]["code"], f["properties"]["level"]) for f in data["features"]] == [
        ("140311", "county"), ("140311101", "township")]
    assert data["meta"] == {"bbox": [113.40, 37.70, 113.80, 38.00], "jurisdiction": "140311"}
    assert set(data["features"][0]["properties"]) == {"code", "name", "short_name", "level", "self"}


def test_a_citizens_picked_point_is_stored_and_placed_in_the_nearest_grid(world, cats, client):
    response = client.post(reverse("events_public:report"), {
        "category": cats["garbage"].pk, "description": "广场垃圾没人收", "attribute[kind]": "living",
        "latitude": "37.85", "longitude": "113.55"})
    assert response.status_code == 201, response.content.decode()[:500]
    event = Event.objects.get()
    assert (event.latitude, event.longitude) == (Decimal("37.850000"), Decimal("113.550000"))
    assert event.jurisdiction == world.grid("a")


def test_a_citizens_point_outside_the_district_is_refused_in_chinese(world, cats, client):
    response = client.post(reverse("events_public:report"), {
        "category": cats["garbage"].pk, "description": "广场垃圾没人收", "attribute[kind]": "living",
        "latitude": "31.23", "longitude": "121.47"})
    assert response.status_code == 400
    assert errors_of(response) == ["位置（31.230000，121.470000）不在本区范围内（北纬 37.70–38.05，东经 113.35–113.80）。"]
    assert Event.objects.count() == 0


# --- the widget on a Django form ----------------------------------------------------------------------------

def test_the_widget_binds_the_picker_to_its_pair_and_does_not_repeat_the_fields_help_text(world):
    from django import forms

    from pingan.geo.widgets import MapPointWidget

    class WithHelp(forms.Form):
        lat = forms.DecimalField(required=False)
        longitude = forms.DecimalField(required=False, widget=MapPointWidget(lat_field="lat"),
                                       help_text="在地图上点选位置，或直接填写经纬度（选填）。")

    class WithoutHelp(forms.Form):
        latitude = forms.DecimalField(required=False)
        longitude = forms.DecimalField(required=False, widget=MapPointWidget())

    with_help = str(WithHelp(prefix="h")["longitude"])
    assert 'data-lat="id_h-lat" data-lng="id_h-longitude"' in with_help
    assert '<span class="helptext" data-picker-status role="status"></span>' in with_help
    without = str(WithoutHelp()["longitude"])
    assert 'data-lat="id_latitude" data-lng="id_longitude"' in without
    assert "在地图上点一下即可标注位置（选填），也可以直接填写经纬度。" in without
