"""Bad input never makes a 500: every URL pattern and API route, present and future, gets garbage query
strings and garbage form posts from a district admin (who may reach the most), and must answer below 500.

It walks the same route list as the leak test, fills URL keywords with real records (from the leak
factories) and with nonsense, and sends impossible dates, full-width digits, huge values, wrong types and
another township's ids. It checks only "never a server error": the per-module tests check the messages.
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
NONSENSE_KWARGS = {"pk": 987654321, "code": "999999999999999", "label": "nope.model", "number": "XX0", "token": "nope",
                   "format": "json"}


def _fill(name, kwargs, values):
    try:
        return reverse(name, kwargs={k: values[k] for k in kwargs})
    except Exception:  # a keyword this route shapes differently: skip that variant
        return None


@pytest.mark.django_db
def test_no_route_answers_bad_input_with_a_server_error(world, client):
    _discover_testing_modules()
    records = {model: factory(world, "a") for model, factory in LEAK_FACTORIES.items()}
    other = {model: factory(world, "b") for model, factory in LEAK_FACTORIES.items()}
    client.raise_request_exception = False
    failures = []
    checked = 0
    personas = [world.users["district_admin"], world.users["grid_a"]]  # the widest reach and the phone pages
    for route, name, pattern in routes():
        if not name or name in ("accounts:logout",):
            continue
        kwargs = _kwarg_names(pattern)
        urls = []
        if not kwargs:
            urls.append(reverse(name))
        else:
            model, attrs = _model_and_kwargs(pattern)
            if name == "core:history":
                for obj in list(records.values())[:3]:
                    urls.append(reverse(name, kwargs={"label": obj._meta.label_lower, "pk": obj.pk}))
            elif model in records:
                for source in (records, other):
                    url = _fill(name, kwargs, {k: getattr(source[model], attrs.get(k, k)) for k in kwargs})
                    if url:
                        urls.append(url)
            nonsense = _fill(name, kwargs, NONSENSE_KWARGS)
            if nonsense:
                urls.append(nonsense)
        for url in urls:
            for user in personas:
                client.force_login(user)
                attempts = [("get", GARBAGE_QUERY, None), ("post", GARBAGE_FORM, None), ("post", {}, None)]
                if url.startswith("/api/"):
                    attempts += [("post", "{not json", "application/json"),
                                 ("post", json.dumps({k: [v] for k, v in GARBAGE_FORM.items()}), "application/json"),
                                 ("patch", json.dumps(GARBAGE_FORM), "application/json"), ("delete", "", None)]
                for method, data, content_type in attempts:
                    extra = {"content_type": content_type} if content_type else {}
                    response = getattr(client, method)(url, data, **extra)
                    checked += 1
                    if response.status_code >= 500:
                        failures.append(f"{method.upper()} {url} as {user.username}: {response.status_code}")
    assert not failures, "服务器错误：\n" + "\n".join(failures)
    assert checked > 200


@pytest.mark.django_db
def test_unscoped_public_routes_survive_garbage_too(db, client):
    _discover_testing_modules()
    client.raise_request_exception = False
    failures = []
    for route, name, pattern in routes():
        if name not in UNSCOPED_ROUTES or name == "accounts:logout":
            continue
        kwargs = _kwarg_names(pattern)
        url = _fill(name, kwargs, NONSENSE_KWARGS) if kwargs else reverse(name)
        if not url:
            continue
        for method, data in (("get", GARBAGE_QUERY), ("post", GARBAGE_FORM)):
            response = getattr(client, method)(url, data)
            if response.status_code >= 500:
                failures.append(f"{method.upper()} {url}: {response.status_code}")
    assert not failures, "服务器错误：\n" + "\n".join(failures)
