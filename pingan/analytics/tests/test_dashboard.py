"""The dashboard, its data call and the big screen, on hazards whose figures are worked out by hand below.

The test world: 郊区 140311 ─ 河底镇 140311101 (A) ─ 固庄村委会 140311101211; 荫营镇 140311100 (B) ─ 矾窑村委会.
Period 2017-01-01 … 2017-06-30; the same period a year earlier 2016-01-01 … 2016-06-30.

  DH1  A  2017-03-05  火灾(01)  已整治                       counted, closed
  DH2  A  2017-03-10  火灾(01)  待整治, due 2017-04-01        counted, overdue now; assigned to A's 派出所
  DH3  A  2017-03-20  治安(02)  整治中, due 2099-01-01         counted, open, under an open 督办
  DH4  B  2017-04-02  火灾(01)  待整治, due 2017-05-01        counted, overdue now
  DP1  A  2016-03-15  火灾(01)  已整治                       last year
  DP2  A  2016-04-15  治安(02)  已整治                       last year
  DX9  A  2017-08-01  火灾(01)  已整治                       after the period (not counted, not overdue)

County: 4 this period against 2 → 同比 +100.0%; 河底镇 3 against 2 → +50.0%. Rectification rate 1/4 = 25.0% against
2/2 = 100.0% → 同比 (0.25 − 1) / 1 = −75.0%. March 2017: 3 (a year earlier 1); April 2017: 1 (a year earlier 1).
By township: 荫营镇 1, 河底镇 3. By type: 火灾 3, 治安 1. Now: overdue 2 (DH2, DH4), 督办 1 (DH3), open 3.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pingan.analytics import figures
from pingan.core import measures
from pingan.cases.models import Supervision
from pingan.hazards.choices import HazardStatus
from pingan.hazards.models import Hazard

pytestmark = pytest.mark.django_db
S = HazardStatus
PERIOD = {"from": "2017-01-01", "to": "2017-06-30"}
MARKER = re.compile(r"\bD[HPX]\d\b")


def due(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


def hazard(world, number, screened, state, kind="01", side="a", due_on=None, department=None):
    return Hazard.objects.create(
        number=number, screened_on=screened, state=state, rectify_deadline=due_on or screened,
        due_at=None if state == S.RECTIFIED else due(due_on), jurisdiction=world.village(side), hazard_type=kind,
        risk_level="02", description="驾驶舱测试隐患", responsible_department=department)


@pytest.fixture
def records(world):
    d = dt.date
    hazard(world, "DH1", d(2017, 3, 5), S.RECTIFIED)
    dh2 = hazard(world, "DH2", d(2017, 3, 10), S.PENDING, due_on=d(2017, 4, 1), department=world.departments["police_a"])
    dh3 = hazard(world, "DH3", d(2017, 3, 20), S.RECTIFYING, kind="02", due_on=d(2099, 1, 1))
    hazard(world, "DH4", d(2017, 4, 2), S.PENDING, side="b", due_on=d(2017, 5, 1))
    hazard(world, "DP1", d(2016, 3, 15), S.RECTIFIED)
    hazard(world, "DP2", d(2016, 4, 15), S.RECTIFIED, kind="02")
    hazard(world, "DX9", d(2017, 8, 1), S.RECTIFIED)
    Supervision.objects.create(case_type="hazards.hazard", case_id=dh3.pk, jurisdiction=dh3.jurisdiction,
                               note="请加快整治", due_on=d(2099, 1, 10), by=world.users["center_staff"])
    return {"dh2": dh2, "dh3": dh3}


def hazards_of(data):
    return next(m for m in data["measures"] if m["key"] == "hazards")


def markers(client, url) -> list[str]:
    """The hazard numbers on the list page the URL opens (the records behind a figure)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return sorted(set(MARKER.findall(response.content.decode())))


def build(user, node, start=dt.date(2017, 1, 1), end=dt.date(2017, 6, 30)):
    return figures.build(user, start, end, node)


# ------------------------------------------------------------------------------------------- figures by hand
def test_the_county_figures_the_series_and_the_breakdowns(world, records):
    data = build(world.users["leader"], world.county)
    h = hazards_of(data)
    assert (h["total"], h["previous"], h["change"], h["change_shown"]) == (4, 2, 1.0, "+100.0%")
    assert h["url"] == "/hazards/?place=140311&screened_from=2017-01-01&screened_to=2017-06-30"
    assert h["previous_url"] == "/hazards/?place=140311&screened_from=2016-01-01&screened_to=2016-06-30"
    assert (h["overdue"], h["supervised"], h["open"], h["today"]) == (2, 1, 3, 0)
    assert h["overdue_url"] == "/hazards/?place=140311&overdue=true"
    assert h["supervised_url"] == "/hazards/?place=140311&supervised=true"
    # Twelve months ending with the period's last month.
    assert [p["month"] for p in h["months"]] == ["2016-07", "2016-08", "2016-09", "2016-10", "2016-11", "2016-12",
                                                 "2017-01", "2017-02", "2017-03", "2017-04", "2017-05", "2017-06"]
    assert [p["value"] for p in h["months"]] == [0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 0, 0]
    assert [p["previous"] for p in h["months"]] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0]
    assert h["months"][8]["url"] == "/hazards/?place=140311&screened_from=2017-03-01&screened_to=2017-03-31"
    assert h["months"][8]["previous_url"] == "/hazards/?place=140311&screened_from=2016-03-01&screened_to=2016-03-31"
    assert [(p["name"], p["value"]) for p in h["by_place"]] == [("荫营镇", 1), ("河底镇", 3)]
    assert h["by_place"][1]["url"] == "/hazards/?place=140311101&screened_from=2017-01-01&screened_to=2017-06-30"
    assert [(p["label"], p["value"]) for p in h["by_category"]] == [("火灾", 3), ("治安", 1)]
    assert h["by_category"][0]["url"] == \
        "/hazards/?place=140311&screened_from=2017-01-01&screened_to=2017-06-30&hazard_type=01"
    assert data["place_title"] == "按乡镇（街道）"


def test_the_key_indicator_with_its_counts_and_change(world, records):
    data = build(world.users["leader"], world.county)
    kpi = next(k for k in data["kpis"] if k["key"] == "hazards.rectification_rate")
    assert (kpi["value"], kpi["previous"], kpi["shown"], kpi["previous_shown"]) == (0.25, 1.0, "25.0%", "100.0%")
    assert (kpi["change"], kpi["change_shown"]) == (-0.75, "−75.0%")
    assert [(p["label"], p["value"]) for p in kpi["parts"]] == [("排查数", 4), ("整治数", 1)]
    assert kpi["parts"][1]["url"] == \
        "/hazards/?place=140311&screened_from=2017-01-01&screened_to=2017-06-30&state=rectified"


def test_a_township_scope_breaks_down_by_village_and_compares_with_last_year(world, records):
    data = build(world.users["leader"], world.township("a"))
    h = hazards_of(data)
    assert (h["total"], h["previous"], h["change_shown"]) == (3, 2, "+50.0%")
    assert data["place_title"] == "按村（社区）"
    assert [(p["name"], p["value"]) for p in h["by_place"]] == [("固庄村委会", 3)]
    assert (h["overdue"], h["supervised"], h["open"]) == (1, 1, 2)


def test_change_is_shown_with_a_sign_in_tenths_of_a_percent():
    assert figures.change_shown(0.5) == "+50.0%"
    assert figures.change_shown(-0.2694) == "−26.9%"
    assert figures.change_shown(0.00049) == "0.0%"
    assert figures.change_shown(None) == "—"


# --------------------------------------------------------------------- every figure clicks through to its records
def test_following_each_figure_lands_on_exactly_its_records(world, records, login):
    client = login(world.users["leader"])
    h = hazards_of(build(world.users["leader"], world.county))
    assert markers(client, h["url"]) == ["DH1", "DH2", "DH3", "DH4"]
    assert markers(client, h["previous_url"]) == ["DP1", "DP2"]
    assert markers(client, h["months"][8]["url"]) == ["DH1", "DH2", "DH3"]
    assert markers(client, h["months"][9]["url"]) == ["DH4"]
    assert markers(client, h["by_place"][0]["url"]) == ["DH4"]
    assert markers(client, h["by_place"][1]["url"]) == ["DH1", "DH2", "DH3"]
    assert markers(client, h["by_category"][0]["url"]) == ["DH1", "DH2", "DH4"]
    assert markers(client, h["by_category"][1]["url"]) == ["DH3"]
    assert markers(client, h["overdue_url"]) == ["DH2", "DH4"]
    assert markers(client, h["supervised_url"]) == ["DH3"]
    assert markers(client, h["open_url"]) == ["DH2", "DH3", "DH4"]


def test_the_page_shows_the_figures_as_links_and_the_chart_data(world, records, login):
    client = login(world.users["leader"])
    response = client.get(reverse("analytics:dashboard"), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    url = "/hazards/?place=140311&amp;screened_from=2017-01-01&amp;screened_to=2017-06-30"
    assert f'<a href="{url}">4</a>' in html
    assert '<a href="/hazards/?place=140311&amp;overdue=true">2</a>' in html
    assert "+100.0%" in html and "−75.0%" in html
    assert 'id="dashboard-data"' in html and "echarts/echarts.min.js" in html
    assert 'data-chart="place" data-measure="hazards"' in html
    # No inline script or style (CSP): the data travels as JSON in a script of type application/json.
    assert "style=" not in html and "onclick" not in html
    assert len(re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", html)) == 0


def test_the_data_call_returns_the_same_figures(world, records, api):
    response = api(world.users["leader"]).get(reverse("api:analytics-dashboard"), PERIOD)
    assert response.status_code == 200
    data = response.json()
    h = hazards_of(data)
    assert (h["total"], h["previous"], h["change_shown"], h["overdue"], h["supervised"]) == (4, 2, "+100.0%", 2, 1)
    assert data["jurisdiction"] == {"code": "140311", "name": "郊区", "level": "county"}
    assert data["period"] == {"from": "2017-01-01", "to": "2017-06-30"}
    assert data["previous"] == {"from": "2016-01-01", "to": "2016-06-30"}
    assert h["by_place"][1]["url"] == "/hazards/?place=140311101&screened_from=2017-01-01&screened_to=2017-06-30"


def test_the_data_call_uses_a_fixed_number_of_queries(world, records, api, django_assert_max_num_queries):
    client = api(world.users["district_admin"])
    url = reverse("api:analytics-dashboard")
    # 42 whatever the number of records: 33 for the test world's 8 measures (per measure one aggregate for the
    # period, last year, today, overdue, 督办 and open; one monthly group over 24 months; one group by township;
    # one by category; plus the township list and the events' category names; patrols have no category), 8 for
    # the key indicators this period and last (events, disputes, hazards, petitions: one aggregate per group),
    # 1 for the warnings panel. The API client authenticates without a query.
    with django_assert_max_num_queries(42) as first:
        assert client.get(url, PERIOD).status_code == 200
    for i in range(20):
        hazard(world, f"M{i}", dt.date(2017, 1 + i % 6, 1 + i), S.PENDING, side="ab"[i % 2], due_on=dt.date(2017, 7, 1))
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url, PERIOD).status_code == 200


def test_the_statistics_page_draws_the_same_charts(world, records, login):
    client = login(world.users["leader"])
    response = client.get(reverse("analytics:stats"), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="dashboard-data"' in html and 'data-chart="trend" data-measure="hazards"' in html
    assert '<a href="/hazards/?place=140311101&amp;screened_from=2017-01-01&amp;screened_to=2017-06-30">3</a>' in html


def test_the_big_screen_renders_with_its_refresh_settings(world, records, login):
    client = login(world.users["leader"])
    response = client.get(reverse("analytics:screen"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="screen-config"' in html and '"refresh": 60' in html and '"rotate": 15' in html
    assert "/api/v1/analytics/dashboard/" in html and "analytics/screen.js" in html
    assert "style=" not in html


def _square(node, lng, lat, side=0.1):
    from pingan.geo.models import Boundary

    ring = [[lng, lat], [lng + side, lat], [lng + side, lat + side], [lng, lat + side], [lng, lat]]
    return Boundary.objects.create(node=node, geometry={"type": "Polygon", "coordinates": [ring]},
                                   min_lng=lng, min_lat=lat, max_lng=lng + side, max_lat=lat + side)


def test_the_big_screen_map_panel_holds_the_areas_one_level_down_in_scope(world, records, login):
    """The county outline, both townships and a village have boundaries: the county's screen gets the two
    townships (the areas its by-place figures are keyed by), not the county itself nor the village; a township
    officer's screen gets its own village only."""
    import json

    _square(world.county, 113.4, 37.8, 0.4)
    _square(world.township("a"), 113.4, 37.8, 0.2)
    _square(world.township("b"), 113.6, 37.8, 0.2)
    _square(world.village("a"), 113.4, 37.8, 0.05)
    _square(world.village("b"), 113.6, 37.8, 0.05)

    def areas(user):
        response = login(user).get(reverse("analytics:screen"), {"from": "2017-01-01", "to": "2017-06-30"})
        assert response.status_code == 200
        html = response.content.decode()
        start = html.index('<script id="screen-areas" type="application/json">') + len(
            '<script id="screen-areas" type="application/json">')
        return json.loads(html[start:html.index("</script>", start)])

    county = areas(world.users["leader"])
    assert sorted(f["properties"]["code"] for f in county["features"]) == sorted(
        [world.township("a").code, world.township("b").code])
    township = areas(world.officer("a"))
    assert [f["properties"]["code"] for f in township["features"]] == [world.village("a").code]


# --------------------------------------------------------------------------------------------------------- roles
def test_each_role_counts_only_what_its_duty_allows(world, records, api):
    url = reverse("api:analytics-dashboard")

    def figures_of(username, **params):
        response = api(world.users[username]).get(url, {**PERIOD, **params})
        assert response.status_code == 200, response.content
        return response.json()

    leader = figures_of("leader")
    assert hazards_of(leader)["total"] == 4 and leader["jurisdiction"]["code"] == "140311"
    assert "clues" in {m["key"] for m in leader["measures"]}
    # A township officer: its own township by default.
    township = figures_of("township_a")
    assert township["jurisdiction"]["code"] == "140311101" and hazards_of(township)["total"] == 3
    # A department handler: only the cases assigned to its department (DH2), nothing else.
    handler = figures_of("handler_a")
    assert (hazards_of(handler)["total"], hazards_of(handler)["overdue"]) == (1, 1)
    assert "clues" not in {m["key"] for m in handler["measures"]} or \
        next(m for m in handler["measures"] if m["key"] == "clues")["total"] == 0
    # A mediator: the township's cases by place, but no clue, no health data.
    mediator = figures_of("mediator_a")
    assert hazards_of(mediator)["total"] == 3
    assert "clues" not in {m["key"] for m in mediator["measures"]}
    # A grid worker: its grid only (these hazards sit on the village, above the grid), and no clues.
    grid = figures_of("grid_a")
    assert hazards_of(grid)["total"] == 0 and "clues" not in {m["key"] for m in grid["measures"]}


def test_a_handlers_click_through_shows_its_one_case(world, records, login):
    client = login(world.users["handler_a"])
    h = hazards_of(build(world.users["handler_a"], world.township("a")))
    assert markers(client, h["url"]) == ["DH2"]


def test_roles_without_statistics_are_refused(world, login, api):
    for username in ("auditor", "security_admin"):
        assert login(world.users[username]).get(reverse("analytics:dashboard")).status_code == 403
        assert login(world.users[username]).get(reverse("analytics:screen")).status_code == 403
        assert api(world.users[username]).get(reverse("api:analytics-dashboard")).status_code == 403


def test_the_measures_registry_has_every_module(world):
    keys = {m.key for m in measures.all_measures()}
    assert {"events", "hazards", "disputes", "petitions", "special", "clues", "patrols", "alerts"} <= keys
    assert measures.get("clues").data_kind == "clue"


def test_the_leaders_home_leads_to_the_dashboard(world, login):
    html = login(world.users["leader"]).get(reverse("core:home")).content.decode()
    assert reverse("analytics:dashboard") in html


# ----------------------------------------------------------------------------------------------------- bad input
BAD = [
    ({"from": "2017-06-30", "to": "2017-01-01"}, 400, "开始日期 2017-06-30 晚于截止日期 2017-01-01。"),
    ({"from": "2000-01-01", "to": "2017-01-01"}, 400, "超过 10 年"),
    ({"from": "abc", "to": "2017-01-01"}, 400, "开始日期“abc”无效"),
    ({"from": "2017-02-30", "to": "2017-03-01"}, 400, "开始日期“2017-02-30”无效"),
    ({"jurisdiction": "无此镇"}, 404, "辖区“无此镇”不存在，或不在您的管辖范围内。"),
    ({"jurisdiction": "999999999"}, 404, "不存在，或不在您的管辖范围内"),
    ({"jurisdiction": "河底\x00镇"}, 404, "不存在，或不在您的管辖范围内"),
    ({"jurisdiction": "x" * 500}, 404, "不存在，或不在您的管辖范围内"),
]


@pytest.mark.parametrize("params,status,message", BAD)
def test_bad_input_on_the_page_the_screen_and_the_data_call(world, login, api, params, status, message):
    client = login(world.users["center_staff"])
    for name in ("analytics:dashboard", "analytics:screen"):
        response = client.get(reverse(name), params)
        assert response.status_code == status
        assert message in response.content.decode()
    response = api(world.users["center_staff"]).get(reverse("api:analytics-dashboard"), params)
    assert response.status_code == status and message in response.json()["detail"]


def test_a_township_officer_asking_for_the_district_or_another_township_gets_404(world, login, api):
    client = login(world.users["township_b"])
    for place in ("郊区", "140311", "河底镇", "140311101211"):
        response = client.get(reverse("analytics:dashboard"), {"jurisdiction": place})
        assert response.status_code == 404 and "不在您的管辖范围内" in response.content.decode()
        response = api(world.users["township_b"]).get(reverse("api:analytics-dashboard"), {"jurisdiction": place})
        assert response.status_code == 404 and "不在您的管辖范围内" in response.json()["detail"]
