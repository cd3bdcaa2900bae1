"""The indicator framework, the stats command, the API and the page, on hand-computed hazards."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from pingan.core import indicators
from pingan.core.indicators import Query, change, percent, rate
from pingan.hazards.choices import HazardStatus
from pingan.hazards.models import Hazard

pytestmark = pytest.mark.django_db
S = HazardStatus


def hazard(world, number, screened, state, deadline, side="a", done=None):
    # The engine's due moment of an open hazard: the end of its 整治期限 (the next midnight); none once closed.
    due_at = None if state == S.RECTIFIED else timezone.make_aware(
        dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(0, 0)))
    return Hazard.objects.create(number=number, screened_on=screened, state=state, rectify_deadline=deadline,
                                 due_at=due_at, jurisdiction=world.village(side), hazard_type="01",
                                 risk_level="02", description="测试隐患", rectified_on=done)


@pytest.fixture
def hazards(world):
    d = dt.date
    # Township A, 2017: 4 screened, 2 rectified; overdue at 2017-12-31: H3 (deadline 06-30, open). H4's deadline
    # is 2017-12-31 itself: not before `to`, so not overdue.
    hazard(world, "H1", d(2017, 1, 5), S.RECTIFIED, d(2017, 2, 1), done=d(2017, 1, 20))
    hazard(world, "H2", d(2017, 3, 1), S.RECTIFIED, d(2017, 12, 1), done=d(2018, 1, 5))
    hazard(world, "H3", d(2017, 6, 1), S.AWAITING_ACCEPTANCE, d(2017, 6, 30))
    hazard(world, "H4", d(2017, 12, 31), S.PENDING, d(2017, 12, 31))
    # Outside the period, and township B.
    hazard(world, "H5", d(2016, 12, 31), S.PENDING, d(2017, 1, 10))
    hazard(world, "H6", d(2017, 5, 1), S.RECTIFYING, d(2017, 5, 10), side="b")
    hazard(world, "H7", d(2018, 1, 1), S.PENDING, d(2018, 1, 2))


def test_rates_round_half_up_to_four_decimals_and_are_null_on_zero():
    assert rate(1270, 1369) == 0.9277
    assert rate(53, 59) == 0.8983
    assert rate(45, 45) == 1.0
    assert rate(1, 8) == 0.125 and rate(1, 3) == 0.3333 and rate(2, 3) == 0.6667
    assert rate(0, 0) is None and rate(5, None) is None
    assert change(358, 490) == -0.2694 and change(21, 67) == -0.6866 and change(3, 0) is None
    assert percent(0.9277) == "92.8%" and percent(0.8983) == "89.8%" and percent(None) == "—"
    assert percent(0.00045) == "0.0%" and percent(0.99995) == "100.0%"


def test_hazard_indicators_match_hand_computed_numbers(world, hazards):
    q = Query(dt.date(2017, 1, 1), dt.date(2017, 12, 31), world.county)
    result = indicators.compute(q)
    assert result["hazards"] == {"screened": 5, "rectified": 2, "rectification_rate": 0.4, "overdue": 2}
    q = Query(dt.date(2017, 1, 1), dt.date(2017, 12, 31), world.township("a"))
    assert indicators.compute(q)["hazards"] == {"screened": 4, "rectified": 2, "rectification_rate": 0.5, "overdue": 1}
    assert result["period"] == {"from": "2017-01-01", "to": "2017-12-31"}
    assert result["jurisdiction"] == {"code": "140311", "name": "郊区"}


def test_an_empty_period_gives_zero_counts_and_a_null_rate(world, hazards):
    q = Query(dt.date(2010, 1, 1), dt.date(2010, 12, 31), world.county)
    assert indicators.compute(q)["hazards"] == {"screened": 0, "rectified": 0, "rectification_rate": None, "overdue": 0}


def test_the_seed_report_check_1369_screened_1270_rectified_gives_0_9277(world):
    village = world.village("a")
    Hazard.objects.bulk_create([
        Hazard(number=f"S{i:04d}", screened_on=dt.date(2017, 1, 1) + dt.timedelta(days=i % 365),
               state=S.RECTIFIED if i < 1270 else S.RECTIFYING, rectify_deadline=dt.date(2018, 6, 30),
               jurisdiction=village, hazard_type="02", risk_level="03", description="排查")
        for i in range(1369)])
    q = Query(dt.date(2017, 1, 1), dt.date(2017, 12, 31), world.county)
    values = indicators.compute(q)["hazards"]
    assert (values["screened"], values["rectified"], values["rectification_rate"]) == (1369, 1270, 0.9277)
    assert percent(values["rectification_rate"]) == "92.8%"


def test_indicators_use_one_aggregate_query_for_the_hazards_group(world, hazards, django_assert_max_num_queries):
    q = Query(dt.date(2017, 1, 1), dt.date(2017, 12, 31), world.county)
    with django_assert_max_num_queries(1):
        indicators.compute(q, keys=["hazards"])


def test_a_users_query_only_counts_what_the_user_sees(world, hazards):
    q = Query(dt.date(2017, 1, 1), dt.date(2017, 12, 31), world.county, world.officer("b"))
    assert indicators.compute(q)["hazards"]["screened"] == 1


def stats(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("stats", *args, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()


def test_the_stats_command_prints_the_documented_json(world, hazards):
    code, out, _ = stats("--from", "2017-01-01", "--to", "2017-12-31", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["period"]["from"] == "2017-01-01" and data["jurisdiction"]["code"] == "140311"
    assert data["hazards"]["screened"] == 5 and data["hazards"]["rectification_rate"] == 0.4
    code, out, _ = stats("--from", "2017-01-01", "--to", "2017-12-31", "--jurisdiction", "140311101",
                         "--format", "json")
    assert json.loads(out)["hazards"]["overdue"] == 1 and json.loads(out)["jurisdiction"]["name"] == "河底镇"


def test_the_stats_command_prints_a_table_with_percentages(world, hazards):
    code, out, _ = stats("--from", "2017-01-01", "--to", "2017-12-31", "--format", "table")
    assert code == 0 and "整治率" in out and "40.0%" in out and "郊区" in out


@pytest.mark.parametrize("args,message", [
    (("--from", "2017-02-30", "--to", "2017-12-31"), "日期不存在"),
    (("--from", "yesterday", "--to", "2017-12-31"), "开始日期“yesterday”无效"),
    (("--from", "2017-12-31", "--to", "2017-01-01"), "晚于截止日期"),
    (("--from", "2017-01-01", "--to", "2017-12-31", "--jurisdiction", "999999"), "辖区“999999”不存在"),
])
def test_the_stats_command_rejects_bad_input_in_chinese(world, args, message):
    code, _, err = stats(*args)
    assert code != 0 and message in err and "Traceback" not in err


def test_the_api_returns_the_same_json_scoped_to_the_caller(world, hazards, api):
    url = reverse("api:stats") + "?from=2017-01-01&to=2017-12-31"
    data = api(world.users["district_admin"]).get(url).json()
    assert data["hazards"] == {"screened": 5, "rectified": 2, "rectification_rate": 0.4, "overdue": 2}
    own = api(world.officer("a")).get(url).json()
    assert own["jurisdiction"]["code"] == world.township("a").code and own["hazards"]["screened"] == 4
    other = api(world.officer("a")).get(url + f"&jurisdiction={world.township('b').code}")
    assert other.status_code == 404 and "管辖范围" in other.json()["detail"]


@pytest.mark.parametrize("query,message", [
    ("from=2017-02-30&to=2017-12-31", "日期不存在"),
    ("from=2017-12-31&to=2017-01-01", "晚于截止日期"),
    ("from=abc&to=2017-12-31", "无效"),
])
def test_the_api_answers_bad_dates_with_400_in_chinese(world, api, query, message):
    response = api(world.officer("a")).get(reverse("api:stats") + "?" + query)
    assert response.status_code == 400 and message in response.json()["detail"]


def test_the_api_refuses_roles_without_case_data(world, api):
    assert api(world.users["auditor"]).get(reverse("api:stats")).status_code == 403
    assert api(world.users["security_admin"]).get(reverse("api:stats")).status_code == 403
    assert api().get(reverse("api:stats")).status_code in (401, 403)


def test_the_page_shows_percentages_with_one_decimal_and_a_dash_for_null(world, hazards, login):
    client = login(world.users["district_admin"])
    body = client.get(reverse("analytics:stats") + "?from=2017-01-01&to=2017-12-31").content.decode()
    assert "40.0%" in body and "整治率" in body and "风险隐患" in body
    body = client.get(reverse("analytics:stats") + "?from=2010-01-01&to=2010-12-31").content.decode()
    assert "—" in body


def test_the_page_answers_bad_input_with_4xx(world, login):
    client = login(world.officer("a"))
    response = client.get(reverse("analytics:stats") + "?from=2017-02-30&to=2017-12-31")
    assert response.status_code == 400 and "日期不存在" in response.content.decode()
    response = client.get(reverse("analytics:stats") + f"?jurisdiction={world.township('b').code}")
    assert response.status_code == 404 and world.township("b").name not in response.content.decode()


def test_the_page_uses_a_fixed_number_of_queries(world, hazards, login, django_assert_max_num_queries):
    client = login(world.users["district_admin"])
    # 36: the page's 15 for events, hazards and people, 19 for the groups added since (disputes and subsidy,
    # petitions, crimes this year and last, forces, cameras, liaison coverage, training, the hall, campaigns:
    # one aggregate or two per group, none per record), django-otp reading the verified second-factor device,
    # the bell's unread count; then 33 for the charts (figures.build): the township list, and per measure (8 in
    # this world: events, disputes, hazards, petitions, special populations, clues, patrols, warnings) one
    # aggregate, one monthly group, one group by township and one by category (the events' category names
    # instead of a group where there is no category) — none per record.
    with django_assert_max_num_queries(69):
        client.get(reverse("analytics:stats") + "?from=2017-01-01&to=2017-12-31")
