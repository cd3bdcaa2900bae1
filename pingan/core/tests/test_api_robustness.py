"""The server errors schemathesis found (security review finding 13), fixed at the root: a JSON parser with
a depth limit, number filters bounded by their column in every FilterSet, coordinates checked before they
are rounded. Each answers 400 with a Chinese message and writes nothing."""
import json

import pytest

from pingan.core.filters import FilterSet, number_limits
from pingan.core.parsers import JSON_MAX_DEPTH, json_depth_exceeded
from pingan.events.models import Event
from pingan.hazards.models import Hazard

pytestmark = pytest.mark.django_db


@pytest.fixture
def cats(world):
    from pingan.events.testing import make_categories

    return make_categories(world)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

HUGE = "9" * 40  # far beyond a 64-bit integer


def _nested(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_depth_check_counts_brackets_outside_strings_only():
    assert json_depth_exceeded(_nested(JSON_MAX_DEPTH + 1))
    assert not json_depth_exceeded(_nested(JSON_MAX_DEPTH))
    # 100 brackets inside a string are text, not nesting
    assert not json_depth_exceeded(json.dumps({"description": "[" * 100 + '\\"{' * 50}))
    assert json_depth_exceeded("[" * 33 + "]" * 33)


@pytest.mark.parametrize("url", ["/api/v1/events/", "/api/v1/hazards/", "/api/v1/visits/"])
def test_json_nested_1000_deep_is_a_400_in_chinese(world, api, url):
    client = api(world.users["grid_a"])
    response = client.generic("POST", url, _nested(1000), content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]


def test_json_with_nan_is_refused(world, api):
    response = api(world.users["grid_a"]).generic("POST", "/api/v1/hazards/", '{"latitude": NaN}',
                                                  content_type="application/json")
    assert response.status_code == 400 and _has_chinese(response.json()["detail"])


@pytest.mark.parametrize("url,param", [
    ("/api/v1/hazards/", "department"),
    ("/api/v1/visits/", "enrollment"),
    ("/api/v1/departments/", "category"),
])
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "1e30", "1e999999", "1.5"])
def test_huge_or_fractional_numbers_in_any_filter_are_a_400(world, api, url, param, value):
    response = api(world.users["district_admin"]).get(url, {param: value})
    assert response.status_code in (400, 200), response.content
    if param != "category":  # 部门类别 is text: any value merely finds nothing
        assert response.status_code == 400
        assert _has_chinese(json.dumps(response.json(), ensure_ascii=False))


def test_a_number_filter_on_a_list_page_shows_the_message_instead_of_failing(world, client):
    from pingan.hazards.testing import make_hazard

    hazard = make_hazard(world, "a")
    client.force_login(world.users["district_admin"])
    response = client.get("/hazards/", {"department": HUGE})
    body = response.content.decode()
    assert response.status_code == 400 and "编号超出范围" in body and hazard.number not in body


def test_an_id_in_range_still_filters(world, api):
    from pingan.hazards.testing import make_hazard

    mine = make_hazard(world, "a")
    make_hazard(world, "b")
    department = world.departments["police_a"].pk
    body = api(world.users["district_admin"]).get("/api/v1/hazards/", {"department": str(department)}).json()
    assert [r["number"] for r in body["results"]] == [mine.number]


def test_integer_columns_get_the_database_range_and_decimal_columns_their_digits():
    from django.db import connection

    low, high = connection.ops.integer_field_range("BigAutoField")
    assert number_limits(Hazard, "responsible_department")["max_value"] == (high if high is not None else 2 ** 63 - 1)
    assert number_limits(Hazard, "responsible_department")["decimal_places"] == 0
    latitude = number_limits(Event, "latitude")
    assert (latitude["max_digits"], latitude["decimal_places"]) == (9, 6)
    assert number_limits(None, "")["max_value"] == 10 ** 15


def test_every_app_filterset_is_bounded():
    from pingan.geo.filters import NodeFilter
    from pingan.hazards.filters import HazardFilter
    from pingan.people import filters as people_filters

    classes = [NodeFilter, HazardFilter] + [getattr(people_filters, n) for n in dir(people_filters)
                                            if n.endswith("Filter") and n != "FilterSet"]
    assert classes and all(issubclass(cls, FilterSet) for cls in classes)


@pytest.mark.parametrize("latitude", ["1e999999", "-1e999999", "1e30", "NaN", "Infinity"])
def test_a_coordinate_beyond_any_range_is_a_400_and_no_event(world, cats, api, latitude):
    response = api(world.users["grid_a"]).post("/api/v1/events/", {
        "category": cats["garbage"].pk, "description": "垃圾", "latitude": latitude, "longitude": "113.55",
        "attribute[kind]": "living"}, format="multipart")
    assert response.status_code == 400, response.content
    assert _has_chinese(response.json()["detail"]) and not Event.objects.exists()


@pytest.mark.parametrize("latitude", ["1e999999", "NaN", "1e30"])
def test_a_hazard_coordinate_beyond_any_range_is_a_400(world, api, latitude):
    response = api(world.users["grid_a"]).post("/api/v1/hazards/", {
        "jurisdiction": world.grid("a").code, "screened_on": "2026-01-05", "hazard_type": "L02", "risk_level": "01",
        "description": "x", "latitude": latitude, "longitude": "113.5"}, format="json")
    assert response.status_code == 400 and not Hazard.objects.exists()


def test_the_open311_post_refuses_a_coordinate_beyond_any_range(world, cats, client):
    from pingan.events import services

    key = services.open311_key_issue(actor=None, name="测试", channel="partner")
    response = client.post("/open311/v2/requests.json", {"api_key": key.secret, "service_code": "0401",
                                                         "lat": "1e999999", "long": "113.5", "description": "x"})
    assert response.status_code == 400 and response.json()[0]["code"] == 400
