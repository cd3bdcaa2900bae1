"""视频监控统计 (GB/T 31000 表7) per village, and the map layer, with figures worked out by hand."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pingan.people.models import Person
from pingan.security.selectors import camera_figures, per_hundred
from pingan.security.testing import make_camera

pytestmark = pytest.mark.django_db


def _people(grid, n):
    for i in range(n):
        Person.objects.create(jurisdiction=grid, name=f"居民{i}", id_cipher="x", id_masked="x", id_tail="0000",
                              id_hash=f"h{grid.pk}-{i}", registered_on=dt.date(2017, 1, 1))


def test_per_hundred_rounds_half_up_to_two_places():
    assert per_hundred(3, 800) == Decimal("0.38")   # 0.375 → 0.38
    assert per_hundred(1, 3) == Decimal("33.33")
    assert per_hundred(5, 0) is None


def test_village_figures_count_standing_cameras_and_cameras_per_hundred_people(world):
    make_camera(world, "a", code="A1", hd=True, networked=True, watched_24h=True)
    make_camera(world, "a", code="A2", hd=False, networked=True)
    make_camera(world, "a", code="A3", hd=True, networked=False, status="faulty")
    make_camera(world, "a", code="A4", hd=True, networked=True, status="retired")  # not counted
    make_camera(world, "b", code="B1", hd=True, networked=True)
    _people(world.grid("a"), 8)
    townships, total = camera_figures(world.users["district_admin"])
    by_name = {v.node.name: v for t in townships for v in t.villages}
    a = by_name["固庄村委会"]
    assert (a.total, a.hd, a.networked, a.watched, a.residents, a.per_100) == (3, 2, 2, 1, 8, Decimal("37.50"))
    b = by_name["矾窑村委会"]
    assert (b.total, b.residents, b.per_100) == (1, 0, None)
    assert (total.total, total.hd, total.networked, total.residents, total.per_100) == (4, 3, 3, 8, Decimal("50.00"))


def test_a_role_without_people_data_sees_no_resident_figures(world):
    make_camera(world, "a", code="A1")
    townships, total = camera_figures(world.users["handler_a"])
    assert [t.node.name for t in townships] == ["河底镇"]
    assert (total.total, total.residents, total.per_100) == (1, None, None)


def test_the_stats_page_and_the_map_layer(world, login, django_assert_max_num_queries):
    make_camera(world, "a", code="A1")
    make_camera(world, "b", code="B1")
    client = login(world.officer("a"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("security:camera_stats"))
    body = page.content.decode()
    assert page.status_code == 200 and "固庄村委会" in body and "矾窑" not in body
    data = client.get(reverse("security:camera_map_data")).json()
    assert [(f["properties"]["name"], f["properties"]["cameras"], f["geometry"]["coordinates"]) for f in data["features"]] \
        == [("固庄村委会", 1, [113.55, 37.85])]
    map_page = client.get(reverse("security:camera_map")).content.decode()
    assert "security/camera-map.js" in map_page and "<script>" not in map_page and "style=" not in map_page


def test_an_unknown_place_on_the_stats_page_is_a_400(world, login):
    response = login(world.officer("a")).get(reverse("security:camera_stats"), {"place": world.township("b").code})
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()
