"""The 辖区 filter by name (full, short, without its level word, “名称（所属乡镇）”) and the period limits, on the
page, the API and `manage.py stats`. Expected codes and messages are written out by hand from the test world:
郊区 140311 ─ 河底镇 140311101 ─ 固庄村委会 140311101211; 荫营镇 140311100 ─ 矾窑村委会 140311100206."""
from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from pingan.geo.params import BadRequest, parse_period, resolve_node
from pingan.geo.models import Node

pytestmark = pytest.mark.django_db

UNKNOWN = "不存在，或不在您的管辖范围内"


@pytest.fixture
def twin(world):
    """A second 固庄村委会, in 荫营镇 (township B): the name 固庄 now names two villages."""
    b = world.township("b")
    return Node.objects.create(code="140311100207", name="固庄村委会", level="village", parent=b, parent_code=b.code,
                               path=b.path + "140311100207/", depth=b.depth + 1, latitude=Decimal("37.85"),
                               longitude=Decimal("113.55"))


@pytest.mark.parametrize("typed,code", [
    ("河底镇", "140311101"),          # full name of a township
    ("河底", "140311101"),            # without 镇
    ("固庄村委会", "140311101211"),   # full name of a village
    ("固庄村", "140311101211"),       # short name (委会 dropped)
    ("固庄", "140311101211"),         # without 村委会
    ("　河底镇　", "140311101"),      # full-width spaces around it
    (" 荫营 ", "140311100"),
    ("１４０３１１１０１", "140311101"),  # a code in full-width digits
    ("140311100206", "140311100206"),  # a code still works
    ("郊区", "140311"),
])
def test_a_name_or_code_gives_the_node(world, typed, code):
    assert resolve_node(typed, world.users["district_admin"]).code == code
    assert resolve_node(typed, None).code == code


def test_an_ambiguous_name_lists_the_candidates_with_their_township(world, twin):
    with pytest.raises(BadRequest) as exc:
        resolve_node("固庄", world.users["district_admin"])
    assert exc.value.status == 400
    assert exc.value.message == ("“固庄”对应多个辖区：固庄村委会（荫营镇）、固庄村委会（河底镇），"
                                 "请选择其中一个（可填写“名称（所属乡镇）”）。")
    # The full name is just as ambiguous; the township in brackets (either width, with or without 镇) decides.
    with pytest.raises(BadRequest):
        resolve_node("固庄村委会", world.users["district_admin"])
    assert resolve_node("固庄村（河底镇）", world.users["district_admin"]).code == "140311101211"
    assert resolve_node("固庄村委会(荫营)", world.users["district_admin"]).code == "140311100207"
    with pytest.raises(BadRequest) as exc:
        resolve_node("固庄村（平坦镇）", world.users["district_admin"])
    assert exc.value.status == 404 and UNKNOWN in exc.value.message


def test_a_name_is_matched_only_among_the_users_places(world, twin):
    # Township B's officer sees one 固庄: its own.
    assert resolve_node("固庄", world.officer("b")).code == "140311100207"
    assert resolve_node("固庄", world.officer("a")).code == "140311101211"


def test_another_townships_village_is_answered_like_an_unknown_name(world):
    officer_b = world.officer("b")
    with pytest.raises(BadRequest) as theirs:
        resolve_node("固庄村", officer_b)
    with pytest.raises(BadRequest) as nowhere:
        resolve_node("无此村", officer_b)
    assert theirs.value.status == nowhere.value.status == 404
    assert theirs.value.message == "辖区“固庄村”不存在，或不在您的管辖范围内。请填写本辖区内的乡镇、村(社区)名称或区划代码。"
    assert nowhere.value.message == theirs.value.message.replace("固庄村", "无此村")
    with pytest.raises(BadRequest) as code:
        resolve_node("140311101", officer_b)
    assert code.value.message == theirs.value.message.replace("固庄村", "140311101")


@pytest.mark.parametrize("typed", ["x" * 300, "固庄\x00", "%", "_", "()", "（）"])
def test_odd_names_are_unknown_not_errors(world, typed):
    with pytest.raises(BadRequest) as exc:
        resolve_node(typed, world.users["district_admin"])
    assert exc.value.status == 404 and UNKNOWN in exc.value.message


@pytest.mark.parametrize("start,end", [("2008-01-01", "2017-12-31"), ("2016-02-29", "2026-02-28"),
                                       ("2017-05-05", "2017-05-05")])
def test_periods_up_to_ten_years_are_accepted(start, end):
    assert [d.isoformat() for d in parse_period(start, end)] == [start, end]


@pytest.mark.parametrize("start,end,message", [
    ("2008-01-01", "2018-01-01", "统计期 2008-01-01 至 2018-01-01 超过 10 年，请缩短统计期（最晚截止到 2017-12-31）。"),
    ("2016-02-29", "2026-03-01", "统计期 2016-02-29 至 2026-03-01 超过 10 年，请缩短统计期（最晚截止到 2026-02-28）。"),
    ("2017-12-31", "2017-01-01", "开始日期 2017-12-31 晚于截止日期 2017-01-01。"),
    ("2017-02-30", "2017-12-31", "开始日期“2017-02-30”无效：日期不存在（2017年2月30日）。"),
    ("2017-01-01", "2017-04-31", "截止日期“2017-04-31”无效：日期不存在（2017年4月31日）。"),
])
def test_bad_periods_are_refused_in_chinese(start, end, message):
    with pytest.raises(BadRequest) as exc:
        parse_period(start, end)
    assert exc.value.status == 400 and exc.value.message == message


# ---------------------------------------------------------------------------------------------------- the page
def page(client, **query):
    response = client.get(reverse("analytics:stats"), {"from": "2017-01-01", "to": "2017-12-31", **query})
    return response.status_code, response.content.decode()


def without_token(body: str) -> str:
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", body)  # the CSRF tokens differ between two requests


def test_the_page_takes_a_name(world, login):
    status, body = page(login(world.users["district_admin"]), jurisdiction="固庄村")
    assert status == 200 and "辖区：固庄村委会（140311101211）" in body
    status, body = page(login(world.users["district_admin"]), jurisdiction="　河底　")
    assert status == 200 and "辖区：河底镇（140311101）" in body


def test_the_page_lists_the_users_places_by_name(world, login, twin):
    _, body = page(login(world.officer("b")))
    assert '<option value="荫营镇">' in body and '<option value="矾窑村委会">' in body
    assert '<option value="固庄村委会">' in body and "河底镇" not in body
    _, body = page(login(world.users["district_admin"]))
    assert '<option value="郊区">' in body and '<option value="河底镇">' in body
    assert '<option value="固庄村委会（荫营镇）">' in body and '<option value="固庄村委会（河底镇）">' in body


def test_the_page_answers_ambiguous_unknown_and_foreign_names(world, login, twin):
    status, body = page(login(world.users["district_admin"]), jurisdiction="固庄")
    assert status == 400 and "“固庄”对应多个辖区：固庄村委会（荫营镇）、固庄村委会（河底镇）" in body


def test_a_foreign_village_on_the_page_looks_like_an_unknown_one(world, login):
    client = login(world.officer("b"))
    status, body = page(client, jurisdiction="固庄村")
    assert status == 404 and "辖区“固庄村”不存在，或不在您的管辖范围内。" in body
    for marker in ("河底镇", "140311101", "固庄村委会", "河底"):
        assert marker not in body
    status_unknown, body_unknown = page(client, jurisdiction="无此村")
    assert status_unknown == 404 and without_token(body_unknown.replace("无此村", "固庄村")) == without_token(body)


@pytest.mark.parametrize("start,end,message", [
    ("2008-01-01", "2018-01-01", "超过 10 年"),
    ("2017-12-31", "2017-01-01", "晚于截止日期"),
    ("2017-02-30", "2017-12-31", "日期不存在"),
])
def test_the_page_refuses_bad_periods(world, login, start, end, message):
    response = login(world.officer("a")).get(reverse("analytics:stats"), {"from": start, "to": end})
    assert response.status_code == 400 and message in response.content.decode()


def test_the_page_by_name_uses_a_fixed_number_of_queries(world, login, twin, django_assert_max_num_queries):
    # The default page's 69 (test_indicators) plus one: the code-or-name lookup (one query whatever the tree).
    client = login(world.users["district_admin"])
    with django_assert_max_num_queries(70):
        assert page(client, jurisdiction="河底镇")[0] == 200
    # An ambiguous name computes no indicators: 10 = the request's own (session, user, second factor, bell …),
    # the lookup, one query for the candidates' townships however many, the datalist.
    with django_assert_max_num_queries(10):
        assert page(client, jurisdiction="固庄")[0] == 400


# ----------------------------------------------------------------------------------------------------- the API
def test_the_api_takes_a_name(world, api, twin):
    url = reverse("api:stats")
    data = api(world.users["district_admin"]).get(url, {"from": "2017-01-01", "to": "2017-12-31",
                                                        "jurisdiction": "固庄村（河底镇）"}).json()
    assert data["jurisdiction"] == {"code": "140311101211", "name": "固庄村委会"}
    response = api(world.users["district_admin"]).get(url, {"jurisdiction": "固庄"})
    assert response.status_code == 400 and response.json()["detail"].startswith(
        "“固庄”对应多个辖区：固庄村委会（荫营镇）、固庄村委会（河底镇）")
    assert api(world.officer("b")).get(url, {"jurisdiction": "固庄"}).json()["jurisdiction"]["code"] == "140311100207"


def test_the_api_answers_a_foreign_village_like_an_unknown_one(world, api):
    client = api(world.officer("b"))
    theirs = client.get(reverse("api:stats"), {"jurisdiction": "固庄村"})
    nowhere = client.get(reverse("api:stats"), {"jurisdiction": "无此村"})
    assert theirs.status_code == nowhere.status_code == 404
    assert theirs.json() == {"detail": "辖区“固庄村”不存在，或不在您的管辖范围内。请填写本辖区内的乡镇、村(社区)名称或区划代码。"}
    assert nowhere.content.decode().replace("无此村", "固庄村") == theirs.content.decode()
    assert "河底" not in theirs.content.decode()


def test_the_api_refuses_a_period_over_ten_years(world, api):
    response = api(world.officer("a")).get(reverse("api:stats"), {"from": "2007-01-01", "to": "2017-12-31"})
    assert response.status_code == 400
    assert response.json()["detail"] == "统计期 2007-01-01 至 2017-12-31 超过 10 年，请缩短统计期（最晚截止到 2016-12-31）。"


# ----------------------------------------------------------------------------------------------------- the CLI
def stats(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("stats", "--format", "json", *args, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()


def test_the_command_takes_a_name(world, twin):
    code, out, _ = stats("--from", "2017-01-01", "--to", "2017-12-31", "--jurisdiction", "河底")
    assert code == 0 and json.loads(out)["jurisdiction"] == {"code": "140311101", "name": "河底镇"}
    code, out, _ = stats("--from", "2017-01-01", "--to", "2017-12-31", "--jurisdiction", "固庄村（荫营镇）")
    assert code == 0 and json.loads(out)["jurisdiction"]["code"] == "140311100207"


@pytest.mark.parametrize("args,message", [
    (("--jurisdiction", "固庄"), "“固庄”对应多个辖区：固庄村委会（荫营镇）、固庄村委会（河底镇）"),
    (("--jurisdiction", "无此村"), "辖区“无此村”不存在"),
    (("--from", "2006-06-01"), "超过 10 年"),
    (("--from", "2018-01-01"), "晚于截止日期"),
])
def test_the_command_refuses_bad_places_and_periods(world, twin, args, message):
    base = {"--from": "2017-01-01", "--to": "2017-12-31"}
    options = dict(base, **dict(zip(args[::2], args[1::2])))
    code, out, err = stats(*[part for pair in options.items() for part in pair])
    assert code != 0 and message in err and out == ""
