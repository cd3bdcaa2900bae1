"""What the anonymous Open311 list publishes (security review finding 12): only what a category's 公开展示
allows — by default citizens' own reports — with coordinates to 3 decimals, no reporter ever, sensitive
categories at the grid without description; an Open311 key's area holds for points, addresses and
jurisdiction_id. Read as JSON and as XML."""
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from pingan.core.models import AuditEntry
from pingan.events import services
from pingan.events.choices import Channel, PublicDisplay, Source
from pingan.events.models import Category, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(world, cats):
    for side, (lat, lng) in {"a": ("37.900000", "113.600000"), "b": ("37.800000", "113.500000")}.items():
        grid = world.grid(side)
        grid.latitude, grid.longitude = Decimal(lat), Decimal(lng)
        grid.save()
    return cats


def _report(world, category, source, text, **kw):
    actor = {Source.GRID: world.users["grid_a"], Source.CENTRE: world.users["center_staff"]}.get(source)
    args = dict(actor=actor, category=category, description=text, source=source, latitude="37.901234",
                longitude="113.601987", address="固庄村东头老槐树下", reporter_name="赵六", reporter_phone="13912345678",
                reporter_email="zhaoliu@example.com", attributes={"kind": "living"} if category.code == "0401" else {})
    if source in (Source.GRID, Source.CENTRE):
        args.update(jurisdiction=world.grid("a"), reporter_name="", reporter_phone="", reporter_email="")
    args.update(kw)
    return services.event_report(**args).event


def _listed(client, fmt):
    """service_request_id → the row, from the anonymous requests list in `fmt`."""
    response = client.get(f"/open311/v2/requests.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        return {row["service_request_id"]: row for row in response.json()}
    root = ET.fromstring(response.content)
    rows = {}
    for node in root.findall("request"):
        row = {child.tag: child.text for child in node}
        rows[row["service_request_id"]] = row
    return rows


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("display,source,published", [
    (PublicDisplay.CITIZEN, Source.PUBLIC, True),
    (PublicDisplay.CITIZEN, Source.OPEN311, True),
    (PublicDisplay.CITIZEN, Source.GRID, False),
    (PublicDisplay.CITIZEN, Source.CENTRE, False),
    (PublicDisplay.ALL, Source.GRID, True),
    (PublicDisplay.ALL, Source.CENTRE, True),
    (PublicDisplay.ALL, Source.PUBLIC, True),
    (PublicDisplay.NONE, Source.PUBLIC, False),
    (PublicDisplay.NONE, Source.OPEN311, False),
    (PublicDisplay.NONE, Source.GRID, False),
])
def test_the_list_publishes_by_source_and_the_categorys_setting(world, placed, client, fmt, display, source,
                                                                published):
    category = placed["garbage"]
    Category.objects.filter(pk=category.pk).update(public_display=display)
    category.refresh_from_db()
    event = _report(world, category, source, "村口垃圾堆了三天")
    rows = _listed(client, fmt)
    assert (event.number in rows) is published
    detail = client.get(f"/open311/v2/requests/{event.number}.{fmt}")
    assert detail.status_code == (200 if published else 404)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_published_row_has_rounded_coordinates_and_no_reporter(world, placed, client, fmt):
    event = _report(world, placed["garbage"], Source.OPEN311, "村口垃圾堆了三天")
    row = _listed(client, fmt)[event.number]
    # 37.901234, 113.601987 to three decimals
    assert float(row["lat"]) == 37.901 and float(row["long"]) == 113.602
    assert row["address"] == "固庄村东头老槐树下" and row["description"] == "村口垃圾堆了三天"
    body = client.get(f"/open311/v2/requests.{fmt}").content.decode()
    for secret in ("赵六", "13912345678", "139****5678", "zhaoliu", "37.901234", "113.601987"):
        assert secret not in body


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_sensitive_category_shows_the_grid_not_the_address_or_description(world, placed, client, fmt):
    event = _report(world, placed["family"], Source.PUBLIC, "张家夫妻吵架动手")
    row = _listed(client, fmt)[event.number]
    grid = world.grid("a")
    assert (float(row["lat"]), float(row["long"])) == (37.9, 113.6)  # the grid's centre
    assert row["address"] == grid.name and row["description"] == "（该类事件不公开描述）"
    body = client.get(f"/open311/v2/requests.{fmt}").content.decode()
    assert "老槐树" not in body and "吵架" not in body


def test_a_sensitive_category_saved_without_a_choice_is_not_published(world, placed):
    category = services.category_save(actor=world.users["district_admin"], data={
        "code": "0102", "name": "邻里纠纷", "parent": placed["clue"], "is_sensitive": True})
    plain = services.category_save(actor=world.users["district_admin"], data={
        "code": "0402", "name": "污水外溢", "parent": placed["env"]})
    assert category.public_display == PublicDisplay.NONE and plain.public_display == PublicDisplay.CITIZEN


def test_the_district_sets_public_display_on_the_category_page(world, placed, client):
    client.force_login(world.users["district_admin"])
    category = placed["gas"]
    response = client.post(f"/events/config/categories/{category.pk}/", {
        "code": "0301", "name": "燃气泄漏隐患", "parent": placed["safety"].pk, "is_public": "on",
        "public_display": "all", "deadline_amount": "4", "deadline_unit": "working_hours", "photo_rule": "none",
        "is_active": "on", "order": "0"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Category.objects.get(pk=category.pk).public_display == PublicDisplay.ALL
    entry = AuditEntry.objects.filter(action="events.category.update", object_id=str(category.pk)).latest("at")
    assert entry.changes["public_display"] == ["citizen", "all"]


def test_the_public_lookup_finds_only_citizens_reports(world, placed, client):
    internal = _report(world, placed["garbage"], Source.GRID, "网格员上报")
    response = client.post("/report/lookup/", {"number": internal.number, "code": "ABCDEFGH"})
    assert response.status_code == 404 and "网格员上报" not in response.content.decode()


# --- The key's area ------------------------------------------------------------------------------------------
@pytest.fixture
def township_key(world):
    """A key for township A only (河底镇)."""
    return services.open311_key_issue(actor=world.users["district_admin"], name="河底镇微信", channel=Channel.WECHAT,
                                      jurisdiction=world.township("a"))


def _post(client, fmt, key, **data):
    payload = {"api_key": key.secret, "service_code": "0401", "description": "路边垃圾", "attribute[kind]": "living"}
    payload.update(data)
    return client.post(f"/open311/v2/requests.{fmt}", payload)


def _error(response, fmt):
    if fmt == "json":
        body = response.json()
        return body[0]["code"], body[0]["description"]
    root = ET.fromstring(response.content)
    return int(root.find("error/code").text), root.find("error/description").text


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_point_outside_the_keys_area_is_refused_with_a_georeport_error(world, placed, client, township_key, fmt):
    # 37.80, 113.50 is township B's grid: inside the district, outside the key's township
    response = _post(client, fmt, township_key, lat="37.8001", long="113.5001")
    code, description = _error(response, fmt)
    assert response.status_code == 403 and code == 403 and "受理范围" in description
    assert not Event.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_jurisdiction_id_outside_the_keys_area_is_refused(world, placed, client, township_key, fmt):
    response = _post(client, fmt, township_key, lat="37.9001", long="113.6001",
                     jurisdiction_id=world.township("b").code)
    code, description = _error(response, fmt)
    assert response.status_code == 403 and code == 403 and world.township("b").code in description
    unknown = _post(client, fmt, township_key, lat="37.9001", long="113.6001", jurisdiction_id="999999")
    assert unknown.status_code == 400 and _error(unknown, fmt)[0] == 400
    assert not Event.objects.exists()


def test_an_address_in_another_township_is_refused(world, placed, client, township_key):
    response = _post(client, "json", township_key, address_string=f"{world.village('b').name}村口")
    assert response.status_code == 403 and "受理范围" in response.json()[0]["description"]
    assert not Event.objects.exists()


def test_a_point_and_jurisdiction_inside_the_area_are_accepted(world, placed, client, township_key):
    response = _post(client, "json", township_key, lat="37.9001", long="113.6001",
                     jurisdiction_id=world.county.code)
    assert response.status_code == 201, response.content
    event = Event.objects.get(number=response.json()[0]["service_request_id"])
    assert event.jurisdiction == world.grid("a") and event.api_key == township_key.key
    assert response.json()[0]["token"] == event.public_token
