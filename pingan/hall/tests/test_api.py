"""The window's API: register, list, retrieve, route; the citizen's lookup; bad input answered with 4xx."""
from __future__ import annotations

import pytest
from django.urls import reverse

from pingan.hall import choices as c
from pingan.hall.models import Matter
from pingan.hall.testing import make_matter


@pytest.fixture(autouse=True)
def _holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()


BODY = {"name": "刘芳", "phone": "13512345678", "category": "family", "topic": "赡养费", "summary": "子女不付赡养费",
        "channel": "visit", "head_count": 1}


def test_register_list_and_retrieve_show_masked_numbers_only(world, api):
    client = api(world.users["center_staff"])
    response = client.post(reverse("api:hall-matter-list"), BODY, format="json")
    assert response.status_code == 201
    data = response.json()
    assert data["visitor_phone"] == "135****5678" and data["status"] == "registered" and data["hall"] == "140311"
    assert "pin" not in data and "13512345678" not in response.content.decode()
    listed = client.get(reverse("api:hall-matter-list")).json()
    assert [m["code"] for m in listed["results"]] == [data["code"]]
    assert client.get(reverse("api:hall-matter-detail", args=[data["id"]])).json()["topic"] == "赡养费"


def test_another_townships_matter_is_404_and_not_listed(world, api):
    matter = make_matter(world, "b")
    client = api(world.officer("a"))
    assert client.get(reverse("api:hall-matter-detail", args=[matter.pk])).status_code == 404
    assert client.get(reverse("api:hall-matter-list")).json()["results"] == []
    response = client.post(reverse("api:hall-matter-route", args=[matter.pk]),
                           {"route": "answered", "note": "已答复政策"}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("change,field", [
    ({"category": "bogus"}, "category"), ({"head_count": "1e999999"}, "head_count"),
    ({"id_number": "140311199001011235"}, "id_number"), ({"summary": "x" * 10_000}, "summary"),
    ({"phone": "１３５１２３４"}, "phone"),
])
def test_bad_input_is_400_and_writes_nothing(world, api, change, field):
    response = api(world.users["center_staff"]).post(reverse("api:hall-matter-list"), {**BODY, **change},
                                                     format="json")
    assert response.status_code == 400 and field in response.json().get("errors", response.json())
    assert Matter.objects.count() == 0


def test_the_leader_and_the_grid_worker_cannot_register(world, api):
    for persona in ("leader", "grid_a"):
        assert api(world.users[persona]).post(reverse("api:hall-matter-list"), BODY,
                                              format="json").status_code == 403
    assert Matter.objects.count() == 0


def test_route_through_the_api(world, api):
    matter = make_matter(world, "a")
    client = api(world.officer("a"))
    refused = client.post(reverse("api:hall-matter-route", args=[matter.pk]), {"route": "answered",
                                                                              "note": "已解释相关政策"}, format="json")
    assert refused.status_code == 400 and "non_mediation_reason" in refused.json()["errors"]
    response = client.post(reverse("api:hall-matter-route", args=[matter.pk]),
                           {"route": "mediation", "place": world.village("a").code}, format="json")
    assert response.status_code == 200
    assert response.json()["route"] == "mediation" and response.json()["case_type"] == "disputes.dispute"


def test_the_public_lookup_api(world, api):
    matter = make_matter(world, "a")
    anonymous = api()
    ok = anonymous.post(reverse("api:hall-lookup"), {"code": matter.code, "secret": matter.pin}, format="json")
    assert ok.status_code == 200
    assert ok.json() == {"code": matter.code, "route": "", "stage": "已登记，正在分流（1 个工作日内）", "number": "",
                         "done": False, "result": ""}
    wrong = anonymous.post(reverse("api:hall-lookup"), {"code": matter.code, "secret": "abcd"}, format="json")
    unknown = anonymous.post(reverse("api:hall-lookup"), {"code": "ZZ000000XXXX", "secret": "1234"}, format="json")
    assert wrong.status_code == unknown.status_code == 404 and wrong.json() == unknown.json()
    assert anonymous.post(reverse("api:hall-lookup"), {"code": ["x"]}, format="json").status_code == 400
    for _ in range(20):
        anonymous.post(reverse("api:hall-lookup"), {"code": "ZZ", "secret": "0000"}, format="json")
    assert anonymous.post(reverse("api:hall-lookup"), {"code": matter.code, "secret": matter.pin},
                          format="json").status_code == 429


def test_the_openapi_schema_describes_the_hall(world, api):
    body = api(world.users["center_staff"]).get("/api/schema/").content.decode()
    assert "/api/v1/hall/matters/" in body and "/api/v1/hall/lookup/" in body and "/route/" in body


def test_the_route_choices_are_the_documented_nine():
    assert [label for _v, label in c.Route.choices] == ["人民调解", "信访", "诉讼服务", "劳动仲裁", "法律援助", "法律咨询",
                                                        "心理服务", "部门办理", "当场答复"]
