"""The map page (/geo/map/): who may open it, which layers it offers, the place and period in its address, and
the CSP (no inline script: the settings go in a json_script block the static map-page.js reads)."""
from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from pingan.geo.params import years_after


def config_of(response):
    match = re.search(r'<script id="map-config" type="application/json">(.*?)</script>', response.content.decode())
    assert match, "map-config missing"
    return json.loads(match.group(1))


def checked(response):
    return re.findall(r'value="(\w+)" data-layer="\w+" checked', response.content.decode())


def messages_of(response):
    return re.findall(r'<li class="msg msg-error">(.*?)</li>', response.content.decode())


@pytest.mark.django_db
def test_the_centre_opens_the_county_map_with_every_layer(world, login):
    response = login(world.users["center_staff"]).get(reverse("geo:map"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>综治地图 <span class=\"muted map-scope\">郊区</span></h1>" in page
    config = config_of(response)
    assert config["jurisdiction"] == "140311"
    assert [layer["key"] for layer in config["layers"]] == ["events", "disputes", "hazards", "petitions", "liaison",
                                                           "cameras", "special_people"]
    assert [d["key"] for d in config["density_of"]] == ["events", "disputes", "hazards", "petitions"]
    assert config["boundaries"] == "/api/v1/geo/boundaries/"
    assert config["layer"] == "/api/v1/geo/layers/KEY/"
    # The last twelve months up to today.
    today = timezone.localdate()
    assert config["to"] == today.isoformat()
    assert config["from"] == (years_after(today, -1) + timezone.timedelta(days=1)).isoformat()
    assert checked(response) == ["events"]
    for label in ("网格事件", "矛盾纠纷", "风险隐患", "信访问题属地", "治安联络点", "视频监控探头", "特殊人群（按网格统计）"):
        assert label in page
    assert "只显示每个网格在管的人数（截止日期当天），不显示任何个人或住址。" in page
    # No inline script: every <script> is a file or the JSON block.
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.django_db
def test_a_handler_has_no_special_population_layer(world, login):
    response = login(world.users["handler_a"]).get(reverse("geo:map"))
    assert response.status_code == 200
    assert "special_people" not in [layer["key"] for layer in config_of(response)["layers"]]
    assert "特殊人群" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["auditor", "security_admin"])
def test_admin_roles_get_403(world, login, username):
    assert login(world.users[username]).get(reverse("geo:map")).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(world, client):
    response = client.get(reverse("geo:map"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["140311", "140311100", "荫营镇", "999999", "x" * 300])
def test_a_township_officer_asking_for_another_place_or_the_district_gets_404(world, login, asked):
    response = login(world.officer("a")).get(reverse("geo:map"), {"jurisdiction": asked})
    assert response.status_code == 404
    assert "不存在，或不在您的管辖范围内" in response.content.decode()


@pytest.mark.django_db
def test_the_centre_may_open_a_township_by_name(world, login):
    response = login(world.users["center_staff"]).get(reverse("geo:map"), {"jurisdiction": "河底"})
    assert response.status_code == 200
    assert config_of(response)["jurisdiction"] == "140311101"


@pytest.mark.django_db
def test_the_address_sets_the_period_and_the_layers(world, login):
    response = login(world.users["center_staff"]).get(
        reverse("geo:map") + "?from=２０１７-０１-０１&to=2017-12-31&layer=hazards&layer=special_people")
    config = config_of(response)
    assert (config["from"], config["to"]) == ("2017-01-01", "2017-12-31")
    assert checked(response) == ["hazards", "special_people"]
    assert messages_of(response) == []


@pytest.mark.django_db
@pytest.mark.parametrize("query, message", [
    ("from=2017-12-31&to=2017-01-01", "开始日期 2017-12-31 晚于截止日期 2017-01-01。地图按近 12 个月显示。"),
    ("from=2000-01-01&to=2017-01-01",
     "统计期 2000-01-01 至 2017-01-01 超过 10 年，请缩短统计期（最晚截止到 2009-12-31）。地图按近 12 个月显示。"),
    ("from=abc&to=2017-01-01", "开始日期“abc”无效：日期格式无法识别，应为 2017-03-05、2017/3/5、2017.3.5 或 2017年3月5日。"
                               "地图按近 12 个月显示。"),
])
def test_a_bad_period_in_the_address_is_said_and_the_map_opens_on_the_default(world, login, query, message):
    response = login(world.users["center_staff"]).get(reverse("geo:map") + "?" + query)
    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert config_of(response)["to"] == timezone.localdate().isoformat()


@pytest.mark.django_db
def test_a_layer_the_role_may_not_see_is_said_not_shown(world, login):
    response = login(world.users["handler_a"]).get(reverse("geo:map") + "?layer=special_people")
    assert response.status_code == 200
    assert messages_of(response) == ["没有图层“special_people”，或您的角色不能查看它。"]
    assert checked(response) == ["events"]
