"""Crime figures on the dashboard (crimes/dashboard.py): the sum of the monthly counts, not a count of rows, by
township and category, with 同比 as a key indicator; each figure clicks through to the crime summary of the
same place and months; read only by those the crimes module lets read them."""
from __future__ import annotations

import datetime as dt

import pytest

from pingan.analytics import figures as dashboard

pytestmark = pytest.mark.django_db
YEAR = (dt.date(2017, 1, 1), dt.date(2017, 12, 31))


def _crimes(data):
    return next((m for m in data["measures"] if m["key"] == "crimes"), None)


def test_the_district_sees_the_sums_by_township_and_category(world, figures, login):
    user = world.users["center_staff"]
    data = dashboard.build(user, *YEAR, world.county)
    m = _crimes(data)
    assert m["total"] == 358
    places = {p["code"]: p["value"] for p in m["by_place"]}
    assert places[world.township("a").code] == 215 and places[world.township("b").code] == 143
    cats = {c["label"]: c["value"] for c in m["by_category"]}
    assert cats == {"盗窃": 343, "伤害": 15}
    kpi = next(k for k in data["kpis"] if k["key"] == "crimes.total")
    # 358 against 490: (358 − 490) / 490 = −0.26938… → −26.9%
    assert (kpi["value"], kpi["previous"], kpi["change_shown"]) == (358, 490, "−26.9%")
    # 河底镇's bar lands on the crime summary of that township and those months: 215 there too.
    bar = next(p for p in m["by_place"] if p["code"] == world.township("a").code)
    assert "date_from=2017-01" in bar["url"] and "date_to=2017-12" in bar["url"] and "township=" in bar["url"]
    page = login(user).get(bar["url"])
    assert page.status_code == 200 and page.context["table"].total.current == 215


def test_a_township_sees_its_own_and_a_non_police_handler_sees_none(world, figures):
    from pingan.accounts.testing import add_role_net_personas

    add_role_net_personas(world)
    officer = world.officer("a")
    assert _crimes(dashboard.build(officer, *YEAR, world.township("a")))["total"] == 215
    assert _crimes(dashboard.build(world.users["handler_a"], *YEAR, world.township("a")))["total"] == 215
    assert _crimes(dashboard.build(world.users["other_handler_a"], *YEAR, world.township("a"))) is None
