"""The map's API (/api/v1/geo/...): boundaries, the layer list and each layer, per role and township, and every
bad input. Expected values are worked out by hand from the small map below (nothing is computed by the code
under test).

The map (lng × lat), squares drawn by hand:

    county 郊区 140311           113.40–113.80 × 37.70–38.00
      township A 河底镇 140311101  113.40–113.60 × 37.70–38.00
        village A 固庄村           113.40–113.60 × 37.70–37.85
          grid A                 113.40–113.50 × 37.70–37.85
      township B 荫营镇 140311100  113.60–113.80 × 37.70–38.00
        village B 矾窑村           113.60–113.80 × 37.70–37.85
          grid B                 113.60–113.70 × 37.70–37.85

Records (all within the last twelve months unless said):
  events:    A1 grid A at (113.45, 37.75), dispatched to 河底派出所 (police_a); A2 grid A, no point;
             A3 grid A at (113.46, 37.76) reported 400 days ago; B1 grid B at (113.65, 37.75)
  hazards:   A at (113.47, 37.77) (河底派出所 responsible); B at (113.67, 37.77) (荫营派出所)
  disputes:  A at (113.48, 37.78); B without a point
  petitions: A about village A (assigned to 河底派出所); B about village B
  cameras:   A at (113.49, 37.79); B at (113.69, 37.79)
  liaison:   A at (113.44, 37.74); B at (113.64, 37.74)
  special:   grid A: 1 严重精神障碍 (health) + 2 刑满释放; grid B: 1 刑满释放
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pingan.geo.models import Boundary, LiaisonPoint


def square(min_lng, min_lat, max_lng, max_lat):
    return {"type": "Polygon", "coordinates": [[[min_lng, min_lat], [max_lng, min_lat], [max_lng, max_lat],
                                                 [min_lng, max_lat], [min_lng, min_lat]]]}


BOXES = {
    "county": (113.40, 37.70, 113.80, 38.00),
    "township_a": (113.40, 37.70, 113.60, 38.00), "village_a": (113.40, 37.70, 113.60, 37.85),
    "grid_a": (113.40, 37.70, 113.50, 37.85),
    "township_b": (113.60, 37.70, 113.80, 38.00), "village_b": (113.60, 37.70, 113.80, 37.85),
    "grid_b": (113.60, 37.70, 113.70, 37.85),
}


def _node(world, key):
    return world.county if key == "county" else world.nodes[key]


@pytest.fixture
def bounded(world):
    for key, box in BOXES.items():
        Boundary.objects.create(node=_node(world, key), geometry=square(*box), min_lng=box[0], min_lat=box[1],
                                max_lng=box[2], max_lat=box[3], source="test")
    return world


@pytest.fixture
def mapworld(bounded):
    world = bounded
    from pingan.cases import engine
    from pingan.disputes.testing import make_dispute
    from pingan.events import services as event_services
    from pingan.events.testing import make_categories
    from pingan.hazards.testing import make_hazard
    from pingan.people import choices as pc
    from pingan.people.testing import make_enrollment
    from pingan.petitions.testing import make_petition
    from pingan.security.testing import make_camera

    centre = world.users["center_staff"]
    garbage = make_categories(world)["garbage"]

    def event(side, lat=None, lng=None, description="路口垃圾堆放"):
        return event_services.event_report(actor=world.users[f"grid_{side}"], category=garbage,
                                           description=description, latitude=lat, longitude=lng,
                                           attributes={"kind": "living"}).event

    a1 = event("a", "37.75", "113.45", "固庄路口垃圾堆放")
    engine.transition(actor=centre, case=a1, action="register")
    engine.transition(actor=centre, case=a1, action="dispatch", data={"assigned_department": world.departments["police_a"]})
    a2 = event("a")
    a3 = event("a", "37.76", "113.46")
    type(a3).objects.filter(pk=a3.pk).update(reported_at=timezone.now() - dt.timedelta(days=400))
    b1 = event("b", "37.75", "113.65", "矾窑路口垃圾堆放")

    hazard_a = make_hazard(world, "a", latitude=Decimal("37.77"), longitude=Decimal("113.47"))
    hazard_b = make_hazard(world, "b", latitude=Decimal("37.77"), longitude=Decimal("113.67"))
    dispute_a = make_dispute(world, "a", latitude=Decimal("37.78"), longitude=Decimal("113.48"))
    dispute_b = make_dispute(world, "b")
    petition_a = make_petition(world, "a")
    engine.transition(actor=world.officer("a"), case=petition_a, action="assign",
                      data={"assigned_department": world.departments["police_a"]})
    petition_b = make_petition(world, "b")
    camera_a, camera_b = make_camera(world, "a"), make_camera(world, "b")
    # The camera service keeps points near the test world's node points (all at 113.55, 37.85); the map's
    # squares are wider, so the points are set here.
    type(camera_a).objects.filter(pk=camera_a.pk).update(latitude=Decimal("37.79"), longitude=Decimal("113.49"))
    type(camera_b).objects.filter(pk=camera_b.pk).update(latitude=Decimal("37.79"), longitude=Decimal("113.69"))
    liaison_a = LiaisonPoint.objects.create(jurisdiction=world.village("a"), name="固庄村治安联络点",
                                            latitude=Decimal("37.74"), longitude=Decimal("113.44"))
    liaison_b = LiaisonPoint.objects.create(jurisdiction=world.village("b"), name="矾窑村治安联络点",
                                            latitude=Decimal("37.74"), longitude=Decimal("113.64"))
    mental = make_enrollment(world, "a", kind=pc.SpecialKind.MENTAL)
    released = [make_enrollment(world, "a", kind=pc.SpecialKind.RELEASED) for _ in range(2)]
    released_b = make_enrollment(world, "b", kind=pc.SpecialKind.RELEASED)
    world.records = {
        "a1": a1, "a2": a2, "a3": a3, "b1": b1, "hazard_a": hazard_a, "hazard_b": hazard_b, "dispute_a": dispute_a,
        "dispute_b": dispute_b, "petition_a": petition_a, "petition_b": petition_b, "camera_a": camera_a,
        "camera_b": camera_b, "liaison_a": liaison_a, "liaison_b": liaison_b, "mental": mental,
        "released": released, "released_b": released_b,
    }
    return world


def layer_url(key):
    return reverse("api:geo-layer", kwargs={"key": key})


def get(api, user, url, **params):
    response = api(user).get(url, params)
    assert response.status_code < 500, response.content[:300]
    return response


def points(data):
    return sorted((f["geometry"]["coordinates"][0], f["geometry"]["coordinates"][1]) for f in data["features"])


def areas(data):
    return {f["properties"]["code"]: f["properties"]["count"] for f in data["features"]}


# --- the layer list ---------------------------------------------------------------------------------------

ALL_LAYERS = ["events", "disputes", "hazards", "petitions", "liaison", "cameras", "special_people"]


@pytest.mark.django_db
@pytest.mark.parametrize("username, keys", [
    ("center_staff", ALL_LAYERS),
    ("leader", ALL_LAYERS),
    ("township_a", ALL_LAYERS),
    ("grid_a", ALL_LAYERS),
    ("mediator_a", ALL_LAYERS),
    # A department's handler reads cases by assignment and places' records; no person data at all.
    ("handler_a", ["events", "disputes", "hazards", "petitions", "liaison", "cameras"]),
])
def test_each_role_is_offered_the_layers_of_its_data_kinds(world, api, username, keys):
    data = get(api, world.users[username], reverse("api:geo-layers")).json()
    assert [layer["key"] for layer in data["layers"]] == keys


@pytest.mark.django_db
def test_the_special_population_layer_offers_health_kinds_only_to_roles_with_health_data(world, api):
    def kinds(username):
        data = get(api, world.users[username], reverse("api:geo-layers")).json()
        layer = next(layer for layer in data["layers"] if layer["key"] == "special_people")
        return [c["value"] for c in layer["categories"]]

    everything = ["released", "correction", "mental", "drug", "aids", "youth"]
    assert kinds("township_a") == everything
    assert kinds("leader") == ["released", "correction", "drug", "youth"]
    assert kinds("mediator_a") == ["released", "correction", "drug", "youth"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["auditor", "security_admin"])
def test_roles_that_see_no_business_data_get_no_map(world, api, username):
    user = world.users[username]
    for url in (reverse("api:geo-layers"), reverse("api:geo-boundaries"), layer_url("events")):
        response = get(api, user, url)
        assert response.status_code == 403
        assert response.json()["detail"] == "您的角色不能查看综治地图。"


@pytest.mark.django_db
def test_anonymous_callers_are_refused(world, api):
    for url in (reverse("api:geo-layers"), reverse("api:geo-boundaries"), layer_url("events")):
        assert api().get(url).status_code in (401, 403)


# --- points layers per role and township --------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("username, expected, unplaced", [
    # The centre: A1 and B1 in the period (A3 is 400 days old); A2 has no point.
    ("center_staff", [(113.45, 37.75), (113.65, 37.75)], 1),
    ("leader", [(113.45, 37.75), (113.65, 37.75)], 1),
    ("township_a", [(113.45, 37.75)], 1),
    ("township_b", [(113.65, 37.75)], 0),
    ("grid_a", [(113.45, 37.75)], 1),
    ("village_b", [(113.65, 37.75)], 0),
    # 河底派出所's handler: only A1, dispatched to it.
    ("handler_a", [(113.45, 37.75)], 0),
    ("handler_b", [], 0),
    ("county_handler", [], 0),
])
def test_events_layer_per_role(mapworld, api, username, expected, unplaced):
    data = get(api, mapworld.users[username], layer_url("events")).json()
    assert points(data) == expected
    assert data["meta"]["total"] == len(expected)
    assert data["meta"]["unplaced"] == unplaced


@pytest.mark.django_db
def test_an_event_point_carries_its_number_and_page_and_nothing_of_the_reporter(mapworld, api):
    a1 = mapworld.records["a1"]
    data = get(api, mapworld.users["township_a"], layer_url("events")).json()
    assert data["features"] == [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [113.45, 37.75]},
        "properties": {"id": a1.pk, "title": f"{a1.number} 垃圾堆放",
                       "subtitle": f"{a1.get_state_display()} · 上报于 {timezone.localtime(a1.reported_at):%Y-%m-%d}",
                       "url": f"/events/{a1.pk}/"}}]
    assert data["meta"]["message"] == "另有 1 件没有标注位置，未画成点（可用“密度分布”按村查看）。"
    assert "grid_a" not in json.dumps(data, ensure_ascii=False)


@pytest.mark.django_db
def test_the_period_filters_events(mapworld, api):
    today = timezone.localdate()
    old = today - dt.timedelta(days=400)
    centre = mapworld.users["center_staff"]
    data = get(api, centre, layer_url("events"), **{"from": old.isoformat(), "to": old.isoformat()}).json()
    assert points(data) == [(113.46, 37.76)]
    assert (data["meta"]["from"], data["meta"]["to"]) == (old.isoformat(), old.isoformat())
    data = get(api, centre, layer_url("events"), **{"from": (old - dt.timedelta(days=1)).isoformat(),
                                                    "to": today.isoformat()}).json()
    assert points(data) == [(113.45, 37.75), (113.46, 37.76), (113.65, 37.75)]


@pytest.mark.django_db
def test_the_category_filter_takes_a_main_category_and_its_subcategories(mapworld, api):
    centre = mapworld.users["center_staff"]
    assert points(get(api, centre, layer_url("events"), category="04").json()) == [(113.45, 37.75), (113.65, 37.75)]
    assert points(get(api, centre, layer_url("events"), category="03").json()) == []
    assert points(get(api, centre, layer_url("events"), category="０４").json()) == [(113.45, 37.75), (113.65, 37.75)]


@pytest.mark.django_db
def test_a_jurisdiction_narrows_the_layer(mapworld, api):
    centre = mapworld.users["center_staff"]
    assert points(get(api, centre, layer_url("events"), jurisdiction="荫营镇").json()) == [(113.65, 37.75)]
    assert points(get(api, centre, layer_url("events"), jurisdiction="140311101211").json()) == [(113.45, 37.75)]
    assert points(get(api, centre, layer_url("events"), jurisdiction="固庄").json()) == [(113.45, 37.75)]


@pytest.mark.django_db
def test_the_bbox_keeps_only_points_inside(mapworld, api):
    centre = mapworld.users["center_staff"]
    data = get(api, centre, layer_url("events"), bbox="113.40,37.70,113.60,37.80").json()
    assert points(data) == [(113.45, 37.75)]
    # Full-width digits and comma, as a Chinese keyboard types them.
    data = get(api, centre, layer_url("events"), bbox="１１３．６，３７．７，１１３．８，３８").json()
    assert points(data) == [(113.65, 37.75)]


@pytest.mark.django_db
@pytest.mark.parametrize("key, username, expected", [
    ("hazards", "center_staff", [(113.47, 37.77), (113.67, 37.77)]),
    ("hazards", "township_a", [(113.47, 37.77)]),
    ("hazards", "handler_a", [(113.47, 37.77)]),  # 河底派出所 is responsible for hazard A
    ("hazards", "handler_b", [(113.67, 37.77)]),
    ("hazards", "county_handler", []),
    ("disputes", "center_staff", [(113.48, 37.78)]),
    ("disputes", "township_b", []),
    ("disputes", "mediator_a", [(113.48, 37.78)]),
    ("disputes", "handler_a", []),  # not handed to 河底派出所
    ("cameras", "center_staff", [(113.49, 37.79), (113.69, 37.79)]),
    ("cameras", "township_b", [(113.69, 37.79)]),
    ("cameras", "handler_a", [(113.49, 37.79)]),  # reference data: by place (the handler's township)
    ("liaison", "leader", [(113.44, 37.74), (113.64, 37.74)]),
    ("liaison", "village_a", [(113.44, 37.74)]),
    ("liaison", "grid_a", []),  # the point belongs to the village, above the grid worker's scope
    ("liaison", "handler_b", [(113.64, 37.74)]),
])
def test_points_layers_per_role_and_township(mapworld, api, key, username, expected):
    data = get(api, mapworld.users[username], layer_url(key)).json()
    assert points(data) == expected


@pytest.mark.django_db
def test_a_dispute_without_a_point_is_counted_not_drawn(mapworld, api):
    data = get(api, mapworld.users["township_b"], layer_url("disputes")).json()
    assert data["features"] == []
    assert data["meta"]["unplaced"] == 1


# --- area layers --------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("username, expected", [
    ("center_staff", {"140311101211": 1, "140311100206": 1}),
    ("township_a", {"140311101211": 1}),
    ("handler_a", {"140311101211": 1}),  # assigned to 河底派出所
    ("handler_b", {}),
])
def test_petitions_are_counted_per_village(mapworld, api, username, expected):
    data = get(api, mapworld.users[username], layer_url("petitions")).json()
    assert areas(data) == expected
    assert data["meta"]["total"] == sum(expected.values())


@pytest.mark.django_db
@pytest.mark.parametrize("username, expected", [
    # The township and the grid see health data: 1 mental + 2 released in grid A.
    ("township_a", {"140311101211001": 3}),
    ("grid_a", {"140311101211001": 3}),
    ("center_staff", {"140311101211001": 3, "140311100206001": 1}),
    # The leader and the mediator do not see health data: the mental patient is not counted.
    ("leader", {"140311101211001": 2, "140311100206001": 1}),
    ("mediator_a", {"140311101211001": 2}),
    ("township_b", {"140311100206001": 1}),
])
def test_special_populations_are_only_counts_per_grid(mapworld, api, username, expected):
    data = get(api, mapworld.users[username], layer_url("special_people")).json()
    assert areas(data) == expected
    for feature in data["features"]:
        assert feature["geometry"]["type"] == "Polygon"
        assert set(feature["properties"]) == {"code", "name", "count", "url"}
    # No person's name, address or point anywhere in the answer.
    text = json.dumps(data, ensure_ascii=False)
    for person in [mapworld.records["mental"].person] + [e.person for e in mapworld.records["released"]]:
        assert person.name not in text
        assert person.current_address not in text
    assert '"Point"' not in text


@pytest.mark.django_db
def test_the_grid_polygon_is_the_grids_boundary_and_links_to_the_filtered_list(mapworld, api):
    data = get(api, mapworld.users["township_a"], layer_url("special_people"), category="released").json()
    assert data["features"] == [{"type": "Feature", "geometry": square(*BOXES["grid_a"]), "properties": {
        "code": "140311101211001", "name": "固庄第一网格", "count": 2,
        "url": "/people/special/?jurisdiction=140311101211001&kind=released&status=active"}}]


@pytest.mark.django_db
def test_special_populations_count_those_under_management_on_the_last_day(mapworld, api):
    # One of grid A's two 刑满释放 (both enrolled 30 days ago) was released 10 days ago.
    today = timezone.localdate()
    released = mapworld.records["released"][0]
    type(released).objects.filter(pk=released.pk).update(released_on=today - dt.timedelta(days=10))
    officer = mapworld.users["township_a"]
    data = get(api, officer, layer_url("special_people"), category="released").json()
    assert areas(data) == {"140311101211001": 1}
    # On a day 20 days ago both were under management; the link lists those enrolled by then.
    day = (today - dt.timedelta(days=20)).isoformat()
    data = get(api, officer, layer_url("special_people"), category="released", to=day).json()
    assert areas(data) == {"140311101211001": 2}
    assert data["features"][0]["properties"]["url"] == (
        f"/people/special/?jurisdiction=140311101211001&kind=released&enrolled_to={day}")
    # 35 days ago nobody was enrolled yet: no polygon at all.
    data = get(api, officer, layer_url("special_people"), to=(today - dt.timedelta(days=35)).isoformat()).json()
    assert data["features"] == [] and data["meta"]["total"] == 0


@pytest.mark.django_db
def test_too_many_points_are_cut_to_the_latest_with_a_message(mapworld, api, monkeypatch):
    from pingan.geo import layers

    monkeypatch.setattr(layers, "POINT_LIMIT", 1)
    data = get(api, mapworld.users["center_staff"], layer_url("events")).json()
    # B1 was reported after A1: the latest one is kept.
    assert points(data) == [(113.65, 37.75)]
    assert (data["meta"]["total"], data["meta"]["truncated"], data["meta"]["limit"]) == (2, True, 1)
    assert data["meta"]["message"] == ("范围内共有 2 个点，只显示最近的 1 个；请缩小地图范围、时间段或选择类别。"
                                       "另有 1 件没有标注位置，未画成点（可用“密度分布”按村查看）。")


@pytest.mark.django_db
def test_a_role_without_health_data_cannot_ask_for_a_health_kind(mapworld, api):
    response = get(api, mapworld.users["leader"], layer_url("special_people"), category="mental")
    assert response.status_code == 400
    assert response.json()["detail"] == "类别“mental”不是“特殊人群（按网格统计）”图层的类别。"


@pytest.mark.django_db
def test_a_handler_gets_no_special_population_layer(mapworld, api):
    response = get(api, mapworld.users["handler_a"], layer_url("special_people"))
    assert response.status_code == 404
    assert response.json()["detail"] == "没有这个地图图层，或您的角色不能查看它。"


@pytest.mark.django_db
def test_density_counts_every_case_of_a_village_with_or_without_a_point(mapworld, api):
    # Events in the period: village A has A1 and A2 (no point), village B has B1.
    data = get(api, mapworld.users["center_staff"], layer_url("density"), of="events", level="village").json()
    assert areas(data) == {"140311101211": 2, "140311100206": 1}
    assert data["meta"]["max"] == 2
    assert data["meta"]["label"] == "网格事件密度（按村(社区)）"
    data = get(api, mapworld.users["township_a"], layer_url("density"), of="events", level="township").json()
    assert areas(data) == {"140311101": 2}


# --- boundaries ---------------------------------------------------------------------------------------------

def _codes(data):
    return [(f["properties"]["code"], f["properties"]["level"], f["properties"]["self"]) for f in data["features"]]


@pytest.mark.django_db
def test_the_centre_gets_the_county_its_townships_and_villages(bounded, api):
    data = get(api, bounded.users["center_staff"], reverse("api:geo-boundaries")).json()
    assert _codes(data) == [("140311", "county", True), ("140311100", "township", False),
                            ("140311100206", "village", False), ("140311101", "township", False),
                            ("140311101211", "village", False)]
    assert data["meta"]["bbox"] == [113.40, 37.70, 113.80, 38.00]
    assert data["meta"]["message"] == ""
    with_grids = get(api, bounded.users["center_staff"], reverse("api:geo-boundaries"), grids="1").json()
    assert len(with_grids["features"]) == 7


@pytest.mark.django_db
def test_a_township_officer_gets_its_township_with_villages_and_grids_only(bounded, api):
    data = get(api, bounded.users["township_a"], reverse("api:geo-boundaries")).json()
    assert _codes(data) == [("140311101", "township", True), ("140311101211", "village", False),
                            ("140311101211001", "grid", False)]
    assert data["meta"]["bbox"] == [113.40, 37.70, 113.60, 38.00]
    assert data["features"][0]["geometry"] == square(*BOXES["township_a"])


@pytest.mark.django_db
def test_no_boundaries_loaded_says_how_to_load_them(world, api):
    data = get(api, world.users["center_staff"], reverse("api:geo-boundaries")).json()
    assert data["features"] == []
    assert data["meta"]["message"] == "本辖区还没有边界数据（manage.py load_boundaries 载入）。"


# --- bad input ------------------------------------------------------------------------------------------------

NOT_YOURS = "辖区“{}”不存在，或不在您的管辖范围内。请填写本辖区内的乡镇、村(社区)名称或区划代码。"


@pytest.mark.django_db
@pytest.mark.parametrize("url, extra", [(reverse("api:geo-boundaries"), {}), (layer_url("events"), {}),
                                        (layer_url("special_people"), {}), (layer_url("density"), {"of": "events"})])
@pytest.mark.parametrize("asked", ["140311100", "荫营镇", "矾窑村", "999999", "不存在的镇", "１４０３１１１００"])
def test_another_township_answers_like_an_unknown_place(bounded, api, url, extra, asked):
    # 河底镇's officer asks for 荫营镇 (by code, name, a village of it, full-width digits) or for nothing that
    # exists: the same 404, the same words (it must not tell which).
    response = get(api, bounded.users["township_a"], url, jurisdiction=asked, **extra)
    assert response.status_code == 404
    shown = "140311100" if asked == "１４０３１１１００" else asked
    assert response.json()["detail"] == NOT_YOURS.format(shown)


@pytest.mark.django_db
def test_the_district_asked_by_a_township_officer_is_404(bounded, api):
    response = get(api, bounded.users["township_a"], reverse("api:geo-boundaries"), jurisdiction="140311")
    assert response.status_code == 404
    assert response.json()["detail"] == NOT_YOURS.format("140311")


@pytest.mark.django_db
@pytest.mark.parametrize("params, status, message", [
    ({"from": "2017-02-01", "to": "2017-01-01"}, 400, "开始日期 2017-02-01 晚于截止日期 2017-01-01。"),
    ({"from": "2007-01-01", "to": "2017-01-01"}, 400,
     "统计期 2007-01-01 至 2017-01-01 超过 10 年，请缩短统计期（最晚截止到 2016-12-31）。"),
    ({"from": "2017-13-01", "to": "2017-12-31"}, 400, "开始日期“2017-13-01”无效："),
    ({"from": "昨天", "to": "2017-12-31"}, 400, "开始日期“昨天”无效：日期格式无法识别"),
    ({"from": "2017-01-01", "to": "2017-02-30"}, 400, "截止日期“2017-02-30”无效：日期不存在（2017年2月30日）。"),
    ({"bbox": "100,30,120,40"}, 400, "查询范围过大（20.00°×10.00°），每边不能超过 2 度，请放大地图后再查询。"),
    # 1.9° × 1.9° = 3.61 square degrees, over four times the county's 0.4° × 0.3° = 0.12.
    ({"bbox": "113,37,114.9,38.9"}, 400, "查询范围过大：超过本县区范围的 4 倍，请放大地图后再查询。"),
    ({"bbox": "113.8,38,113.4,37.7"}, 400, "范围参数 bbox 的最小值应小于最大值"),
    ({"bbox": "abc"}, 400, "范围参数 bbox“abc”格式不正确"),
    ({"bbox": "1,2,3"}, 400, "范围参数 bbox“1,2,3”格式不正确"),
    ({"bbox": "nan,37,113.5,38"}, 400, "格式不正确"),
    ({"bbox": "113,37,inf,38"}, 400, "格式不正确"),
    ({"bbox": "37.7,113.4,38,113.8"}, 400, "范围参数 bbox 超出经度 -180～180、纬度 -90～90 的范围（经度在前）。"),
    ({"category": "99"}, 400, "类别“99”不是“网格事件”图层的类别。"),
    ({"jurisdiction": "x" * 500}, 404, "不存在，或不在您的管辖范围内"),
    ({"jurisdiction": "河底镇\x00"}, 404, "不存在，或不在您的管辖范围内"),
])
def test_bad_input_gets_a_chinese_message(bounded, api, params, status, message):
    from pingan.events.testing import make_categories

    make_categories(bounded)
    response = get(api, bounded.users["center_staff"], layer_url("events"), **params)
    assert response.status_code == status
    assert message in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("params, message", [
    ({"of": "special_people"}, "图层“special_people”不能用于密度分布（应为事件、纠纷、隐患、信访等案件图层）。"),
    ({"of": "cameras"}, "图层“cameras”不能用于密度分布"),
    ({}, "图层“”不能用于密度分布"),
    ({"of": "events", "level": "grid"}, "密度分布的层级应为 village（村、社区）或 township（乡镇、街道）。"),
    ({"of": "events", "from": "2017-02-01", "to": "2017-01-01"}, "开始日期 2017-02-01 晚于截止日期 2017-01-01。"),
])
def test_bad_density_requests(bounded, api, params, message):
    response = get(api, bounded.users["center_staff"], layer_url("density"), **params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.django_db
def test_an_unknown_layer_is_404_in_chinese(bounded, api):
    response = get(api, bounded.users["center_staff"], layer_url("nothing"))
    assert response.status_code == 404
    assert response.json()["detail"] == "没有这个地图图层，或您的角色不能查看它。"


@pytest.mark.django_db
def test_full_width_dates_and_codes_are_read(mapworld, api):
    today = timezone.localdate()
    wide = str.maketrans("0123456789-", "０１２３４５６７８９－")
    response = get(api, mapworld.users["center_staff"], layer_url("events"), jurisdiction="１４０３１１１０１",
                   **{"from": (today - dt.timedelta(days=30)).isoformat().translate(wide),
                      "to": today.isoformat().translate(wide)})
    assert response.status_code == 200
    assert points(response.json()) == [(113.45, 37.75)]


@pytest.mark.django_db
def test_only_one_date_given(mapworld, api):
    today = timezone.localdate()
    centre = mapworld.users["center_staff"]
    # Only "to": the twelve months up to it.
    data = get(api, centre, layer_url("events"), to=today.isoformat()).json()
    assert data["meta"]["to"] == today.isoformat()
    assert points(data) == [(113.45, 37.75), (113.65, 37.75)]
    # Only "from", twelve years back: up to today is over ten years.
    start = today.replace(year=today.year - 12)
    response = get(api, centre, layer_url("events"), **{"from": start.isoformat()})
    assert response.status_code == 400
    assert "超过 10 年" in response.json()["detail"]


@pytest.mark.django_db
def test_repeated_and_odd_parameters_never_fail(mapworld, api):
    centre = mapworld.users["center_staff"]
    client = api(centre)
    for query in ("jurisdiction=140311&jurisdiction=140311101", "from=&to=", "grids=maybe", "category=",
                  "bbox=", "bbox=%EF%BC%8C%EF%BC%8C%EF%BC%8C", "from=2017-01-01T00:00:00", "level=village&of=events",
                  "jurisdiction=%E2%80%8B", "jurisdiction=%20%20"):
        for url in (reverse("api:geo-boundaries"), layer_url("events"), layer_url("special_people"),
                    layer_url("density")):
            response = client.get(url + "?" + query)
            assert response.status_code in (200, 400, 404), (url, query, response.status_code)
            if response.status_code != 200:
                assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"]), (url, query)
