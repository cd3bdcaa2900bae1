"""Jurisdiction pages and API: scope, counts, pilot flags, liaison points."""
import pytest
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.geo.models import LiaisonPoint
from pingan.geo.services import grid_create


def test_a_township_officer_sees_only_its_own_villages_and_grids(world, login):
    client = login(world.officer("a"))
    body = client.get(reverse("geo:tree")).content.decode()
    assert "河底镇" in body and "固庄村委会" in body
    assert "荫营镇" not in body and "矾窑" not in body
    assert client.get(reverse("geo:node", args=[world.village("b").code])).status_code == 404
    assert client.get(reverse("geo:node", args=[world.county.code])).status_code == 404


def test_the_district_sees_every_township_with_counts(world, login):
    client = login(world.users["district_admin"])
    response = client.get(reverse("geo:node", args=[world.county.code]))
    body = response.content.decode()
    assert "河底镇" in body and "荫营镇" in body
    children = dict((node.code, counts) for node, counts in response.context["children"])
    assert children["140311101"] == {"villages": 1, "grids": 1, "staff": 5, "liaison_points": 0}


def test_counts_roll_up_from_grids_to_the_county(world):
    from pingan.geo.selectors import subtree_counts

    grid_create(actor=None, village=world.village("a"), code=world.village("a").code + "002", name="固庄第二网格")
    counts = subtree_counts(world.county)
    assert counts[world.county.path]["grids"] == 3
    assert counts[world.township("a").path]["grids"] == 2
    assert counts[world.village("a").path]["grids"] == 2


def test_a_village_page_lists_its_grids_and_staff(world, login):
    body = login(world.officer("a")).get(reverse("geo:node", args=[world.village("a").code])).content.decode()
    assert world.grid("a").name in body and "village_a" in body


def test_the_api_lists_only_the_callers_tree(world, api):
    data = api(world.officer("a")).get("/api/v1/jurisdictions/").json()
    codes = {row["code"] for row in data["results"]}
    assert codes == {"140311101", "140311101211", "140311101211001"}
    assert api(world.officer("a")).get("/api/v1/jurisdictions/140311100/").status_code == 404
    district = api(world.users["district_admin"]).get("/api/v1/jurisdictions/?level=township").json()
    assert {row["code"] for row in district["results"]} == {"140311101", "140311100"}


def test_the_api_refuses_bad_filters_in_chinese(world, api):
    response = api(world.users["district_admin"]).get("/api/v1/jurisdictions/?level=planet")
    assert response.status_code == 400
    assert "选择" in str(response.json())


def test_the_api_needs_credentials(db, api):
    response = api().get("/api/v1/jurisdictions/")
    assert response.status_code == 401
    assert "请先登录" in response.json()["detail"]


def test_the_district_marks_a_pilot_village_and_it_is_audited(world, login):
    client = login(world.users["district_admin"])
    village = world.village("a")
    response = client.post(reverse("geo:node_pilot", args=[village.code]), {"is_pilot": "on"})
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.is_pilot
    entry = AuditEntry.objects.get(action="jurisdiction.set_pilot")
    assert entry.changes == {"is_pilot": [False, True]} and entry.actor == world.users["district_admin"]
    assert "试点" in client.get(reverse("geo:pilot_list")).content.decode()


def test_a_grid_cannot_be_a_pilot(world, login):
    client = login(world.users["district_admin"])
    client.post(reverse("geo:node_pilot", args=[world.grid("a").code]), {"is_pilot": "on"})
    world.grid("a").refresh_from_db()
    assert not world.grid("a").is_pilot


@pytest.mark.parametrize("persona", ["township_a", "center_staff", "leader", "grid_a"])
def test_only_the_district_admin_sets_pilot_flags(world, login, persona):
    response = login(world.users[persona]).post(reverse("geo:node_pilot", args=[world.village("a").code]), {"is_pilot": "on"})
    assert response.status_code == 403
    world.village("a").refresh_from_db()
    assert not world.village("a").is_pilot


def test_a_township_adds_a_liaison_point_in_its_own_village(world, login):
    client = login(world.officer("a"))
    response = client.post(reverse("geo:liaison_create"), {
        "jurisdiction": world.village("a").pk, "name": "固庄治安联络点", "address": "村委会", "contact_name": "张三",
        "contact_phone": "13800000000", "latitude": "37.85", "longitude": "113.55"})
    assert response.status_code == 302
    point = LiaisonPoint.objects.get()
    assert AuditEntry.objects.filter(action="liaison_point.create", object_id=str(point.pk)).exists()


@pytest.mark.parametrize("overrides, message", [
    ({"jurisdiction": "VILLAGE_B"}, "选择一个有效的选项"),
    ({"name": ""}, "该字段是必填项"),
    ({"latitude": "north"}, "输入一个数字"),
    ({"latitude": "95", "longitude": "113.5"}, "经纬度超出有效范围"),
    ({"latitude": "37.8", "longitude": ""}, "经度和纬度须同时填写"),
    ({"jurisdiction": "GRID_A"}, "选择一个有效的选项"),
])
def test_bad_liaison_input_is_refused(world, login, overrides, message):
    data = {"jurisdiction": world.village("a").pk, "name": "联络点", "address": "", "contact_name": "",
            "contact_phone": "", "latitude": "", "longitude": ""}
    data.update(overrides)
    if data["jurisdiction"] == "VILLAGE_B":
        data["jurisdiction"] = world.village("b").pk
    if data["jurisdiction"] == "GRID_A":
        data["jurisdiction"] = world.grid("a").pk
    response = login(world.officer("a")).post(reverse("geo:liaison_create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert LiaisonPoint.objects.count() == 0


@pytest.mark.parametrize("url_name", ["geo:tree", "geo:liaison_list", "geo:pilot_list"])
def test_list_pages_pin_their_query_counts(world, login, django_assert_max_num_queries, url_name):
    for i in range(5):
        LiaisonPoint.objects.create(jurisdiction=world.village("a"), name=f"点{i}")
    client = login(world.users["district_admin"])
    with django_assert_max_num_queries(13):
        assert client.get(reverse(url_name)).status_code == 200


def test_the_node_page_pins_its_query_count(world, login, django_assert_max_num_queries):
    client = login(world.users["district_admin"])
    with django_assert_max_num_queries(15):
        assert client.get(reverse("geo:node", args=[world.county.code])).status_code == 200
