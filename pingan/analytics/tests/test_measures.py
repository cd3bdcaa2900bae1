"""Every registered measure, whatever module declared it: its figures click through to a list page that shows
exactly the records counted. Each module's own leak factory (`<app>/testing.py`) makes one marked record in
河底镇 (A) and one in 荫营镇 (B); the centre's staff then sees, for each measure:

  total 2 for the county (one record per township),
  the total's list showing both records, 河底镇's bar's list showing A's and not B's, 荫营镇's the other way,
  each category bar's list showing the records of that category and no other,
  the 督办中 figure's list (when the module has one) showing exactly the records with an open 督办.
"""
from __future__ import annotations

import datetime as dt
from importlib import import_module
from importlib.util import find_spec

import pytest
from django.apps import apps

from pingan.analytics import figures
from pingan.core import measures
from pingan.core.testing import LEAK_FACTORIES

pytestmark = pytest.mark.django_db

START, END = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def _discover_testing_modules() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("pingan.") and find_spec(f"{config.name}.testing"):
            import_module(f"{config.name}.testing")


_discover_testing_modules()
# Measures that sum a field (crimes: 立案数) are checked with their sums in their own module (crimes/tests/test_dashboard.py).
MEASURES = [m for m in measures.all_measures() if m.get_model() in LEAK_FACTORIES and not m.sum_field]


def test_every_measure_of_a_module_with_records_is_checked():
    # The modules of issue 13's list: each has a measure and its model a leak factory to make records with.
    assert {m.key for m in MEASURES} >= {"events", "hazards", "disputes", "petitions", "special", "clues", "patrols",
                                         "alerts"}


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("measure", MEASURES, ids=[m.key for m in MEASURES])
def test_each_figure_of_the_measure_lands_on_its_records(world, login, measure):
    factory = LEAK_FACTORIES[measure.get_model()]
    made = {side: factory(world, side) for side in ("a", "b")}
    marks = {side: getattr(made[side], "leak_markers", (made[side].leak_marker,)) for side in made}

    def on(side, html):  # the record's marker, or what the list shows instead (a case's number)
        return any(mark in html for mark in marks[side])
    user = world.users["center_staff"]
    client = login(user)
    m = next(x for x in figures.build(user, START, END, world.county)["measures"] if x["key"] == measure.key)

    assert m["total"] == 2
    html = _page(client, m["url"])
    assert on("a", html) and on("b", html)

    places = {p["code"]: p for p in m["by_place"]}
    a, b = places[world.township("a").code], places[world.township("b").code]
    assert (a["value"], b["value"]) == (1, 1)
    html = _page(client, a["url"])
    assert on("a", html) and not on("b", html)
    html = _page(client, b["url"])
    assert on("b", html) and not on("a", html)

    for bar in m["by_category"]:
        html = _page(client, bar["url"])
        shown = {side for side in made if on(side, html)}
        assert len(shown) == bar["value"], (bar["label"], shown)
    assert sum(bar["value"] for bar in m["by_category"]) in (0, 2)

    if m.get("supervised"):
        from pingan.cases.models import Supervision

        open_ones = {side for side, obj in made.items() if Supervision.objects.filter(
            case_type=obj._meta.label_lower, case_id=obj.pk, status=Supervision.Status.OPEN).exists()}
        assert m["supervised"] == len(open_ones)
        html = _page(client, m["supervised_url"])
        assert {side for side in made if on(side, html)} == open_ones
