"""Bad input never makes a 500: every URL pattern and API route, present and future, gets garbage query
strings and garbage form posts from a district admin (who may reach the most), and must answer below 500.

It walks the same route list as the leak test, fills URL keywords with real records (from the leak
factories) and with nonsense, and sends impossible dates, full-width digits, huge values, wrong types and
another township's ids. It checks only "never a server error": the per-module tests check the messages. A route the net cannot build
a URL for (no leak factory for its model and no sample keyword values below) fails the test by name: a new
route is never silently left out.
"""
from __future__ import annotations

import json

import pytest
from django.urls import reverse

from pingan.core.testing import LEAK_FACTORIES, UNSCOPED_ROUTES
from pingan.core.tests.test_leaks import _discover_testing_modules, _kwarg_names, _model_and_kwargs, routes

GARBAGE_QUERY = {
    "page": "abc", "from": "2017-02-30", "to": "１２３", "jurisdiction": "ＡＢＣ", "level": "planet", "q": "'\"<script>",
    "state": "nope", "overdue": "maybe", "category": "-1", "kind": "x" * 300, "tab": "../../etc", "year": "99999",
    "format": "exe", "service_code": "%00", "start_date": "yesterday", "status": "both", "lat": "north",
}
GARBAGE_FORM = {
    "name": "x" * 5000, "description": "<b>" * 500, "jurisdiction": "999999999", "category": "abc",
    "screened_on": "2017-02-30", "rectify_deadline": "1900-01-01", "rectified_on": "2999-12-31", "latitude": "９０．５",
    "longitude": "east", "risk_level": "07", "hazard_type": "??", "action": "teleport", "note": "", "decision": "maybe",
    "due_on": "31/31/2031", "supervision": "-5", "extension": "abc", "id_number": "11010519491231002X",
    "phone": "１３８００００００００", "birth_date": "19990231", "level": "6", "kind": "correction", "category_code": "剥夺政治权利",
    "visited_on": "2999-01-01", "visited_at": "2999-01-01", "days": "-3", "interval_days": "zero", "amount": "-1e9",
    "is_pilot": "perhaps", "grid_leader": "999999", "grid_worker": "abc", "scope": "999999", "role": "king",
    "idempotency_key": "k" * 500, "urgency": "!!!", "department": "0", "reason": "",
    "date": "2026-13-40", "is_workday": "maybe", "photo": "hazards.hazard:teleport",
}
# Values that broke parsers elsewhere: overflowing floats, NaN, integers past any column, full-width digits,
# a 10 MB string (sent once per URL), JSON nested 1000 deep (API and Open311 posts).
HOSTILE_QUERY = {
    "latitude": "1e999999", "longitude": "NaN", "lat": "-1e999999", "long": "Infinity", "enrollment": "9" * 40,
    "department": "9" * 40, "jurisdiction": "-" + "9" * 40, "page": "9" * 30, "page_size": "1e9", "person": "１２",
    "category": "NaN", "year": "２０２６", "id": "9" * 25, "service_request_id": "9" * 40, "radius": "nan",
}
HOSTILE_FORM = {**GARBAGE_FORM, "latitude": "1e999999", "longitude": "NaN", "lat": "nan", "long": "1e400",
                "enrollment": "9" * 40, "department": "9" * 40, "jurisdiction": "9" * 30, "amount": "1e999999",
                "interval_days": "9" * 30, "days": "１２", "service_code": "9" * 40, "api_key": "x" * 300,
                "risk_level": "NaN"}
TEN_MB = {"description": "x" * (10 * 1024 * 1024), "name": "名" * 10}
DEEP_JSON = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
# Keyword values for routes whose keywords are no model lookup (Open311's formats and service codes, …); a
# route's keyword missing here and from its model's leak factory fails the net by name.
SAMPLE_KWARGS: dict[str, list] = {"fmt": ["json", "xml"], "format": ["json"],
                                  # the map's layers (pingan/geo/layers.py), and one that does not exist
                                  "key": ["events", "hazards", "special_people", "density", "nope"]}
# A keyword named differently from the record attribute it carries: Open311's token is an event's public_token.
SAMPLE_ATTRIBUTES = {"token": "public_token"}
NONSENSE_KWARGS = {"pk": 987654321, "code": "999999999999999", "label": "nope.model", "number": "XX0", "token": "nope",
                   "format": "json", "fmt": "json"}


def _fill(name, kwargs, values):
    try:
        return reverse(name, kwargs={k: values[k] for k in kwargs})
    except Exception:  # a keyword this route shapes differently: skip that variant
        return None


def _sample_urls(name, kwargs, records):
    """URLs from registered sample values and from any factory record carrying an attribute of the keyword's
    name (an event's number, a category's code, a key's prefix…), one URL per sample format."""
    found: dict[str, list] = {}
    for k in kwargs:
        values = list(SAMPLE_KWARGS.get(k, []))
        for record in records:
            value = getattr(record, SAMPLE_ATTRIBUTES.get(k, k), None)
            if value not in (None, "") and not callable(value) and value not in values:
                values.append(value)
        found[k] = values
    if any(not v for v in found.values()):
        return []
    urls = []
    for i in range(max(len(v) for v in found.values())):
        url = _fill(name, kwargs, {k: v[min(i, len(v) - 1)] for k, v in found.items()})
        if url and url not in urls:
            urls.append(url)
    return urls


def _urls_for(name, pattern, records, other):
    """(URLs built from real records or samples, a URL of nonsense values or None)."""
    kwargs = _kwarg_names(pattern)
    if not kwargs:
        return [reverse(name)], None
    urls = []
    model, attrs = _model_and_kwargs(pattern)
    if name == "core:history":
        for obj in list(records.values())[:3]:
            urls.append(reverse(name, kwargs={"label": obj._meta.label_lower, "pk": obj.pk}))
    elif model in records:
        for source in (records, other):
            url = _fill(name, kwargs, {k: getattr(source[model], attrs.get(k, k), None) for k in kwargs})
            if url:
                urls.append(url)
    if not urls:
        urls = _sample_urls(name, kwargs, [*records.values(), *other.values()])
    return urls, _fill(name, kwargs, NONSENSE_KWARGS)


def _attempts(url, first_persona):
    attempts = [("get", GARBAGE_QUERY, None), ("get", HOSTILE_QUERY, None), ("post", GARBAGE_FORM, None),
                ("post", HOSTILE_FORM, None), ("post", {}, None)]
    if first_persona:
        attempts.append(("post", TEN_MB, None))
    if url.startswith(("/api/", "/open311/")):
        attempts += [("post", "{not json", "application/json"), ("post", DEEP_JSON, "application/json"),
                     ("post", DEEP_OBJECT, "application/json"),
                     ("post", json.dumps({k: [v] for k, v in GARBAGE_FORM.items()}), "application/json"),
                     ("post", json.dumps(HOSTILE_FORM), "application/json"),
                     ("patch", json.dumps(GARBAGE_FORM), "application/json"),
                     ("put", DEEP_OBJECT, "application/json"), ("delete", "", None)]
    return attempts


def _send(client, method, url, data, content_type):
    extra = {"content_type": content_type} if content_type else {}
    return getattr(client, method)(url, data, **extra)


@pytest.mark.django_db
def test_no_route_answers_bad_input_with_a_server_error(world, client):
    _discover_testing_modules()
    records = {model: factory(world, "a") for model, factory in LEAK_FACTORIES.items()}
    other = {model: factory(world, "b") for model, factory in LEAK_FACTORIES.items()}
    client.raise_request_exception = False
    failures, unreachable = [], []
    checked = 0
    personas = [world.users["district_admin"], world.users["grid_a"]]  # the widest reach and the phone pages
    for route, name, pattern in routes():
        if not name or name in ("accounts:logout",):
            continue
        urls, nonsense = _urls_for(name, pattern, records, other)
        if not urls:
            unreachable.append(f"{name}（{route}）")
        if nonsense and nonsense not in urls:
            urls.append(nonsense)
        for url in urls:
            for i, user in enumerate(personas):
                client.force_login(user)
                for method, data, content_type in _attempts(url, i == 0):
                    response = _send(client, method, url, data, content_type)
                    checked += 1
                    if response.status_code >= 500:
                        failures.append(f"{method.upper()} {url} as {user.username}: {response.status_code}")
    assert not unreachable, ("无法为这些路由构造地址（为其模型登记 leak_factory，或在 SAMPLE_KWARGS 中登记关键字取值）：\n"
                             + "\n".join(unreachable))
    assert not failures, "服务器错误：\n" + "\n".join(failures)
    assert checked > 200


@pytest.mark.django_db
def test_unscoped_public_routes_survive_garbage_too(world, client):
    """Anonymous callers (the public pages, Open311 in JSON and XML, the login page) get the same garbage."""
    _discover_testing_modules()
    records = {model: factory(world, "a") for model, factory in LEAK_FACTORIES.items()}
    other = {model: factory(world, "b") for model, factory in LEAK_FACTORIES.items()}
    client.raise_request_exception = False
    failures, unreachable, reached = [], [], set()
    for route, name, pattern in routes():
        if name not in UNSCOPED_ROUTES or name == "accounts:logout":
            continue
        urls, nonsense = _urls_for(name, pattern, records, other)
        if not urls:
            unreachable.append(f"{name}（{route}）")
        for url in urls + ([nonsense] if nonsense and nonsense not in urls else []):
            reached.add(url)
            for method, data, content_type in _attempts(url, True):
                response = _send(client, method, url, data, content_type)
                if response.status_code >= 500:
                    failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert not unreachable, "无法为这些公开路由构造地址：\n" + "\n".join(unreachable)
    assert not failures, "服务器错误：\n" + "\n".join(failures)
    # Open311 is reached in both formats, lists and single records alike.
    for path in ("/open311/v2/requests.json", "/open311/v2/requests.xml", "/open311/v2/services.xml",
                 "/open311/v2/discovery.json"):
        assert path in reached, path
    assert any(u.startswith("/open311/v2/requests/") and u.endswith(".xml") for u in reached)
    assert any(u.startswith("/open311/v2/services/") and u.endswith(".json") for u in reached)


def test_a_route_the_net_cannot_fill_is_named(world):
    """The net's own check: a route with a keyword no factory or sample provides is reported, not skipped."""
    from django.urls import path

    pattern = path("nowhere/<slug:mystery>/", lambda request, mystery: None, name="nowhere")
    urls, _ = _urls_for("nowhere", pattern, {}, {})
    assert urls == []
