"""The crime pages and API: the summary with 同比/环比 by category and township, its export, the entry grid
(read back from the database), the 八类 configuration, roles, and bad input answered in Chinese."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.crimes.models import CrimeCategory, CrimeCount
from pingan.crimes.testing import put


def test_the_summary_shows_year_on_year_by_category_and_township(world, figures, login, django_assert_max_num_queries):
    client = login(world.users["center_staff"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("crimes:summary"), {"date_from": "2017-01", "date_to": "2017-12"})
    assert page.status_code == 200
    body = page.content.decode()
    table = page.context["table"]
    lines = {line.code: line for line in table.categories}
    assert (lines["theft"].current, lines["theft"].year_ago) == (343, 423)
    # (343 − 423) / 423 = −0.189125… → 下降18.9%
    assert "下降18.9%" in body
    assert (table.total.current, table.total.year_ago, table.total.yoy) == (358, 490, -0.2694)
    assert (table.serious.current, table.serious.year_ago) == (15, 67)
    assert "同比下降26.9%" in body and "同比下降77.6%" in body
    # 抢劫 0 ← 27: 下降100.0%; 杀人 0 ← 0: —.
    assert lines["robbery"].yoy == -1.0 and lines["homicide"].yoy is None
    towns = {line.code: line for line in table.townships}
    assert (towns["140311101"].current, towns["140311101"].year_ago) == (215, 367)
    assert (towns["140311100"].current, towns["140311100"].year_ago) == (143, 123)
    # (143 − 123) / 123 = 0.162601… → 上升16.3%
    assert "上升16.3%" in body
    # Places are chosen by name.
    assert '<option value="140311101">河底镇</option>' in body


def test_the_month_boxes_show_the_period_the_page_shows_when_nothing_is_asked(world, login, monkeypatch):
    """Unasked, the page shows this year so far; the boxes say so (they were empty while the table covered
    January to this month)."""
    from pingan.crimes import views

    monkeypatch.setattr(views, "this_month", lambda: dt.date(2017, 8, 1))
    client = login(world.users["center_staff"])
    body = client.get(reverse("crimes:summary")).content.decode()
    assert 'name="date_from" value="2017-01"' in body and 'name="date_to" value="2017-08"' in body
    asked = client.get(reverse("crimes:summary"), {"date_from": "2016-03", "date_to": "2016-05"}).content.decode()
    assert 'name="date_from" value="2016-03"' in asked and 'name="date_to" value="2016-05"' in asked


def test_the_previous_period_is_the_same_length_just_before(world, figures, login):
    client = login(world.users["center_staff"])
    page = client.get(reverse("crimes:summary"), {"date_from": "2017-06", "date_to": "2017-12"})
    table = page.context["table"]
    assert table.prior == (dt.date(2016, 11, 1), dt.date(2017, 5, 1))
    # 2016-11..2017-05 holds 123 (2016-12) + 15 (2017-01) = 138; 本期 343; (343 − 138) / 138 = 1.485507… → 上升148.6%
    assert (table.total.current, table.total.prior, table.total.mom) == (343, 138, 1.4855)
    assert "上升148.6%" in page.content.decode()


def test_a_township_officer_sees_only_its_township_and_cannot_pick_another(world, figures, login):
    client = login(world.officer("b"))
    page = client.get(reverse("crimes:summary"), {"date_from": "2017-01", "date_to": "2017-12"})
    assert page.context["table"].total.current == 143
    assert "河底镇" not in page.content.decode()
    page = client.get(reverse("crimes:summary"), {"date_from": "2017-01", "date_to": "2017-12",
                                                  "township": "140311101"})
    assert page.status_code == 400 and "所选乡镇不存在或不在您的管辖范围内" in page.content.decode()


@pytest.mark.parametrize("query, message", [
    ({"date_from": "2017-12", "date_to": "2017-01"}, "起始月份不能晚于截止月份"),
    ({"date_from": "2017-13"}, "不存在"),
    ({"date_from": "１９９９－０１", "date_to": "2017-01"}, "统计期最长 120 个月"),
    ({"date_to": "abc"}, "格式不正确"),
])
def test_a_bad_period_is_answered_in_chinese(world, login, query, message):
    page = login(world.users["center_staff"]).get(reverse("crimes:summary"), query)
    assert page.status_code == 400 and message in page.content.decode()


def test_roles_that_do_not_need_the_figures_are_refused(world, figures, login):
    from pingan.accounts.testing import add_role_net_personas

    add_role_net_personas(world)
    for name in ("mediator_a", "grid_a", "village_a", "other_handler_a", "auditor", "security_admin"):
        assert login(world.users[name]).get(reverse("crimes:summary")).status_code == 403, name
    for name in ("handler_a", "county_handler", "leader", "township_a"):
        assert login(world.users[name]).get(reverse("crimes:summary")).status_code == 200, name
    assert login(world.users["leader"]).get(reverse("crimes:entry")).status_code == 403


def test_the_export_is_the_summary_as_a_sheet_and_is_audited(world, figures, login):
    response = login(world.users["center_staff"]).get(reverse("crimes:summary_download"),
                                                      {"date_from": "2017-01", "date_to": "2017-12"})
    assert response.status_code == 200
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(response.content)).active.values]
    rows = [r[: max((i + 1 for i, c in enumerate(r) if c is not None), default=0)] for r in rows]
    assert rows[1] == ["案件类别", "本期", "去年同期", "同比", "上期", "环比"]
    total = next(r for r in rows if r[0] == "合计")
    assert total == ["合计", 358, 490, "下降26.9%", 490, "下降26.9%"]
    assert next(r for r in rows if r[0] == "八类案件小计")[:4] == ["八类案件小计", 15, 67, "下降77.6%"]
    assert AuditEntry.objects.filter(action="crimes.export", actor=world.users["center_staff"]).count() == 1


def test_the_entry_grid_saves_a_month_and_reads_it_back(world, login):
    client = login(world.officer("a"))
    page = client.get(reverse("crimes:entry"))
    assert page.status_code == 200 and 'inputmode="numeric"' in page.content.decode()
    response = client.post(reverse("crimes:entry"), {"township": "140311101", "month": "2017-03",
                                                     "count_theft": "１２", "count_injury": "3", "count_fraud": "",
                                                     "source": "河底派出所月报"})
    assert response.status_code == 302
    assert dict(CrimeCount.objects.values_list("category__code", "count")) == {"theft": 12, "injury": 3}
    assert set(CrimeCount.objects.values_list("source", flat=True)) == {"河底派出所月报"}
    page = client.get(reverse("crimes:entry"), {"township": "140311101", "month": "2017-03"})
    assert page.context["form"].initial["count_theft"] == 12


@pytest.mark.parametrize("post, message", [
    ({"count_theft": "-1"}, "盗窃：立案数不能为负数"),
    ({"count_theft": "2.5"}, "不是整数"),
    ({"month": "2099-01", "count_theft": "1"}, "还未到"),
    ({"month": "2017-02-30", "count_theft": "1"}, "格式不正确"),
    ({"township": "140311100", "count_theft": "1"}, "所选乡镇不存在或不在您的管辖范围内"),
    ({"township": "140311101211", "count_theft": "1"}, "所选乡镇不存在或不在您的管辖范围内"),
])
def test_bad_entries_are_refused_in_chinese_and_nothing_is_written(world, login, post, message):
    data = {"township": "140311101", "month": "2017-03"} | post
    response = login(world.officer("a")).post(reverse("crimes:entry"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not CrimeCount.objects.exists()


def test_the_configuration_page_applies_a_list_in_one_step(world, login):
    client = login(world.users["district_admin"])
    assert client.get(reverse("crimes:categories")).status_code == 200
    assert client.post(reverse("crimes:categories"), {"preset": "criminal_law"}).status_code == 302
    assert CrimeCategory.objects.get(code="drug_trafficking").serious
    assert client.post(reverse("crimes:categories"), {"serious": ["theft", "homicide"]}).status_code == 302
    assert set(CrimeCategory.objects.filter(serious=True).values_list("code", flat=True)) == {"theft", "homicide"}
    assert client.post(reverse("crimes:categories"), {"preset": "bogus"}).status_code == 400
    officer = login(world.officer("a"))
    assert officer.get(reverse("crimes:categories")).status_code == 200
    assert officer.post(reverse("crimes:categories"), {"preset": "police"}).status_code == 403
    assert CrimeCategory.objects.filter(serious=True).count() == 2


def test_the_api_lists_filters_and_sets_counts_through_the_service(world, figures, api):
    client = api(world.officer("a"))
    listed = client.get(reverse("api:crimecount-list"), {"month_from": "2017-01", "month_to": "2017-12"}).json()
    assert sorted((r["month"], r["category_name"], r["count"]) for r in listed["results"]) == [
        ("2017-01", "伤害", 15), ("2017-06", "盗窃", 200)]
    made = client.post(reverse("api:crimecount-list"), {"month": "2017-07", "township": "140311101",
                                                        "category": "盗窃", "count": 9}, format="json")
    assert made.status_code == 201 and made.json()["category"] == "theft"
    again = client.post(reverse("api:crimecount-list"), {"month": "2017-07", "township": "140311101",
                                                         "category": "theft", "count": 11}, format="json")
    assert again.status_code == 200 and CrimeCount.objects.get(month=dt.date(2017, 7, 1)).count == 11
    for body, field in (({"count": -1}, "count"), ({"count": "x"}, "count"), ({"month": "2099-01"}, "month"),
                        ({"township": "140311100"}, "township"), ({"category": "偷"}, "category")):
        data = {"month": "2017-08", "township": "140311101", "category": "theft", "count": 1} | body
        response = client.post(reverse("api:crimecount-list"), data, format="json")
        assert response.status_code == 400 and field in response.json().get("errors", response.json()), body
    assert not CrimeCount.objects.filter(month=dt.date(2017, 8, 1)).exists()
    assert api(world.users["leader"]).post(reverse("api:crimecount-list"), {"month": "2017-08", "township": "140311101",
                                           "category": "theft", "count": 1}, format="json").status_code == 403


def test_the_summary_api_gives_the_pages_table(world, figures, api):
    data = api(world.users["center_staff"]).get(reverse("api:crime-summary"), {"from": "2017-01", "to": "2017-12"}).json()
    assert (data["total"]["current"], data["total"]["year_ago"], data["total"]["yoy"]) == (358, 490, -0.2694)
    assert data["period"] == {"from": "2017-01", "to": "2017-12", "year_ago": ["2016-01", "2016-12"],
                              "prior": ["2016-01", "2016-12"]}
    assert {t["code"]: t["current"] for t in data["townships"]} == {"140311100": 143, "140311101": 215}
    bad = api(world.users["center_staff"]).get(reverse("api:crime-summary"), {"from": "2017-12", "to": "2017-01"})
    assert bad.status_code == 400 and "起始月份不能晚于截止月份" in bad.json()["detail"]
    assert api(world.users["mediator_a"]).get(reverse("api:crime-summary")).status_code == 403
