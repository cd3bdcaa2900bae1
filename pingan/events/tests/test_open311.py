"""Open311 GeoReport v2: an independent client (the `georeport` package) lists services and reads requests
against a live server; a form POST creates one request; errors are lists of {code, description}."""
import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.core.management import call_command

from pingan.core.models import AuditEntry
from pingan.events import services
from pingan.events.choices import Channel, Source
from pingan.events.models import Event, Open311Key

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def placed(world, cats):
    for side, (lat, lng) in {"a": ("37.900000", "113.600000"), "b": ("37.800000", "113.500000")}.items():
        grid = world.grid(side)
        grid.latitude, grid.longitude = Decimal(lat), Decimal(lng)
        grid.save()
    return cats


@pytest.fixture
def key(world):
    return services.open311_key_issue(actor=world.users["district_admin"], name="12345热线对接",
                                      channel=Channel.HOTLINE_12345)


def post(client, fmt="json", **data):
    return client.post(f"/open311/v2/requests.{fmt}", data)


def test_the_management_command_prints_a_working_key(world, capsys):
    call_command("open311_key", "12345热线", "--channel", "hotline_12345")
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("pa_")
    assert services.open311_key_check(secret).channel == "hotline_12345"
    assert AuditEntry.objects.filter(action="events.open311_key.issue").exists()


def test_the_management_command_refuses_a_bad_channel(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("open311_key", "x", "--channel", "fax")
    assert Open311Key.objects.count() == 0


def test_a_form_post_creates_one_request_tied_to_the_keys_channel(world, placed, key, client):
    response = post(client, api_key=key.secret, service_code="0401", lat="37.801", long="113.501",
                    description="河边堆了<b>垃圾</b>", first_name="三", last_name="张", phone="13900000000",
                    **{"attribute[kind]": "living"})
    assert response.status_code == 201, response.content
    body = response.json()
    event = Event.objects.get(number=body[0]["service_request_id"])
    assert body[0]["token"] == event.public_token
    assert event.source == Source.OPEN311 and event.channel == Channel.HOTLINE_12345 and event.api_key == key.key
    assert event.jurisdiction == world.grid("b") and event.reporter_name == "张 三"
    assert event.description == "河边堆了<b>垃圾</b>"


@pytest.mark.parametrize("data,status,words", [
    ({"service_code": "0401", "lat": "37.8", "long": "113.5", "description": "x"}, 403, "api_key"),
    ({"api_key": "pa_wrong", "service_code": "0401", "lat": "37.8", "long": "113.5"}, 403, "api_key"),
    ({"lat": "37.8", "long": "113.5", "description": "x"}, 400, "service_code"),
    ({"service_code": "9999", "lat": "37.8", "long": "113.5", "description": "x"}, 404, "9999"),
    ({"service_code": "0401", "description": "x", "attribute[kind]": "living"}, 400, "位置"),
    ({"service_code": "0401", "lat": "39.9", "long": "116.4", "description": "x", "attribute[kind]": "living"}, 400, "不在本区"),
    ({"service_code": "0401", "lat": "３７.８", "long": "abc", "description": "x", "attribute[kind]": "living"}, 400, "不是数字"),
    ({"service_code": "0401", "lat": "37.8", "long": "113.5", "description": "长" * 10_000, "attribute[kind]": "living"}, 400, "最多"),
    ({"service_code": "0401", "lat": "37.8", "long": "113.5", "description": "x", "attribute[kind]": "nuclear"}, 400, "不在可选范围"),
])
def test_bad_posts_answer_a_spec_error_list_and_write_nothing(world, placed, key, client, data, status, words):
    if data.get("api_key") is None and status != 403:
        data = {**data, "api_key": key.secret}
    for fmt in ("json", "xml"):
        response = post(client, fmt, **data)
        assert response.status_code == status
        if fmt == "json":
            errors = response.json()
            assert isinstance(errors, list) and errors[0]["code"] == status and words in errors[0]["description"]
        else:
            root = ET.fromstring(response.content)
            assert root.tag == "errors" and root.find("error/code").text == str(status)
    assert Event.objects.count() == 0


def test_a_revoked_key_is_refused(world, placed, key, client):
    services.open311_key_revoke(actor=world.users["district_admin"], key=key.key)
    assert post(client, api_key=key.secret, service_code="0401", lat="37.8", long="113.5",
                description="x").status_code == 403


def test_public_reads_show_no_reporter_and_round_sensitive_locations_to_the_grid(world, placed, key, client):
    services.event_report(actor=None, category=placed["family"], description="张家夫妻吵架动手", latitude="37.8012",
                          longitude="113.5013", source=Source.PUBLIC, reporter_name="李四", reporter_phone="13800000000")
    services.event_report(actor=None, category=placed["garbage"], description="路边垃圾", latitude="37.9011",
                          longitude="113.6012", source=Source.PUBLIC, reporter_name="王五",
                          attributes={"kind": "living"})
    rows = client.get("/open311/v2/requests.json").json()
    text = json.dumps(rows, ensure_ascii=False)
    assert "李四" not in text and "王五" not in text and "1380000" not in text and "吵架" not in text
    sensitive = next(r for r in rows if r["service_code"] == "0101")
    assert (sensitive["lat"], sensitive["long"]) == (37.8, 113.5) and sensitive["address"] == world.grid("b").name
    plain = next(r for r in rows if r["service_code"] == "0401")
    # 37.9011, 113.6012 published to three decimals (about 100 m)
    assert (plain["lat"], plain["long"]) == (37.901, 113.601) and plain["status"] == "open"
    assert plain["requested_datetime"].endswith("+08:00")


def test_request_filters_and_bad_dates(world, placed, key, client):
    event = services.event_report(actor=None, category=placed["garbage"], description="垃圾", latitude="37.9",
                                  longitude="113.6", source=Source.PUBLIC, attributes={"kind": "living"}).event
    assert len(client.get("/open311/v2/requests.json?status=open").json()) == 1
    assert client.get("/open311/v2/requests.json?status=closed").json() == []
    assert client.get("/open311/v2/requests.json?service_code=0301").json() == []
    assert len(client.get(f"/open311/v2/requests.json?service_request_id={event.number}").json()) == 1
    assert client.get("/open311/v2/requests.json?start_date=2026-13-45").status_code == 400
    assert client.get("/open311/v2/requests.json?status=pending").status_code == 400
    assert client.get("/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2021-01-01T00:00:00Z").status_code == 400
    assert client.get("/open311/v2/requests/SJ0000.json").status_code == 404
    assert client.get("/open311/v2/services/0000.xml").status_code == 404
    xml = ET.fromstring(client.get(f"/open311/v2/tokens/{event.public_token}.xml").content)
    assert xml.find("request/service_request_id").text == event.number


def _get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.mark.django_db(transaction=True)
def test_an_independent_georeport_client_lists_services_and_reads_requests_and_a_form_post_creates_one(live_server, world):
    """The `georeport` package (PyPI) reads; it cannot create requests, so the POST is a plain form post
    with urllib, exactly as the spec describes."""
    from georeport import GeoReport

    from pingan.events.testing import make_categories

    make_categories(world)
    grid = world.grid("a")
    grid.latitude, grid.longitude = Decimal("37.9"), Decimal("113.6")
    grid.save()
    issued = services.open311_key_issue(actor=None, name="微信公众号", channel=Channel.WECHAT)
    root = live_server.url + "/open311/v2"

    for fmt in ("json", "xml"):
        client = GeoReport(root, output_format=fmt)
        services_list = client.get_service_list()
        codes = [s["service_code"] for s in services_list]
        assert {"0401", "0301", "0101"} <= set(codes)
        definition = client.get_service_definition("0401")
        attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
        assert {a["code"] for a in attributes} == {"volume", "kind"}

    form = urllib.parse.urlencode({"api_key": issued.secret, "service_code": "0401", "lat": "37.9001",
                                   "long": "113.6002", "description": "小区门口垃圾满了", "email": "a@example.com",
                                   "attribute[kind]": "living"}).encode()
    request = urllib.request.Request(root + "/requests.json", data=form, method="POST",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        created = json.loads(response.read())[0]
    assert Event.objects.filter(number=created["service_request_id"]).count() == 1

    for fmt in ("json", "xml"):
        client = GeoReport(root, output_format=fmt)
        found = client.get_service_requests(service_code="0401", status="open")
        found = found if isinstance(found, list) else [found]
        assert [r["service_request_id"] for r in found] == [created["service_request_id"]]
        one = client.get_service_request(created["service_request_id"])
        assert one["status"] == "open" and one["service_name"] == "垃圾堆放"
        assert "a@example.com" not in json.dumps(one, ensure_ascii=False)
    status, body = _get(root + "/discovery.json")
    assert status == 200 and json.loads(body)["endpoints"][0]["specification"].endswith("GeoReport_v2")
    try:
        _get(root + "/requests/SJ404.json")
    except urllib.error.HTTPError as exc:
        assert exc.code == 404 and json.loads(exc.read())[0]["code"] == 404
    else:
        raise AssertionError("未知编号应返回 404")
