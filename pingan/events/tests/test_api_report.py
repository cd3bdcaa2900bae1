"""Reporting through the API (token): the answer, the idempotent repeat, and the work it takes."""
import json

import pytest
from rest_framework.authtoken.models import Token

from pingan.core.models import AuditEntry

from pingan.cases.models import CaseCounter, TransitionLog
from pingan.events.models import Event

pytestmark = pytest.mark.django_db


def _post(client, token, cats, world, key, **extra):
    body = {"category": cats["garbage"].pk, "description": "村口垃圾堆放三天无人清理", "jurisdiction": world.grid("a").pk,
            "urgency": "normal", "idempotency_key": key, "attribute[kind]": "living", **extra}
    return client.post("/api/v1/events/", json.dumps(body), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT="application/json")


def test_a_report_answers_what_reading_the_event_back_answers(client, world, cats):
    token = Token.objects.create(user=world.users["grid_a"]).key
    response = _post(client, token, cats, world, "api-report-0001")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body.pop("created") is True
    again = client.get(f"/api/v1/events/{body['id']}/", HTTP_AUTHORIZATION=f"Token {token}",
                       HTTP_ACCEPT="application/json")
    assert again.status_code == 200
    assert body == again.json()
    event = Event.objects.get(pk=body["id"])
    assert event.attributes["kind"] == "living"
    assert AuditEntry.objects.filter(action="events.event.report", object_id=str(event.pk)).count() == 1
    assert TransitionLog.objects.filter(case_type="events.event", case_id=event.pk, kind="create").count() == 1


def test_the_same_key_twice_gives_the_first_event_and_writes_nothing(client, world, cats):
    token = Token.objects.create(user=world.users["grid_a"]).key
    first = _post(client, token, cats, world, "api-report-0002")
    audits, logs = AuditEntry.objects.count(), TransitionLog.objects.count()
    second = _post(client, token, cats, world, "api-report-0002")
    assert second.status_code == 200 and second.json()["created"] is False
    assert second.json()["id"] == first.json()["id"] and second.json()["number"] == first.json()["number"]
    assert Event.objects.filter(idempotency_key="api-report-0002").count() == 1
    assert (AuditEntry.objects.count(), TransitionLog.objects.count()) == (audits, logs)


def test_consecutive_reports_get_consecutive_numbers(client, world, cats):
    token = Token.objects.create(user=world.users["grid_a"]).key
    numbers = [_post(client, token, cats, world, f"api-report-1{i:03d}").json()["number"] for i in range(3)]
    assert [int(n[-3:]) for n in numbers] == [1, 2, 3]
    assert len(set(numbers)) == 3
    assert CaseCounter.objects.get(prefix="SJ", township_code=numbers[0][2:11]).last == 3


def test_a_report_takes_a_bounded_number_of_queries(client, world, cats, django_assert_max_num_queries):
    """Token with user and scope, category, its fields, the idempotency check, the counter, three inserts
    (event, audit entry, first log row) — and no re-reading."""
    token = Token.objects.create(user=world.users["grid_a"]).key
    _post(client, token, cats, world, "api-report-warm")
    with django_assert_max_num_queries(12):
        response = _post(client, token, cats, world, "api-report-0003")
    assert response.status_code == 201


def test_a_report_in_another_grid_of_the_scope_and_outside_it(client, world, cats):
    token = Token.objects.create(user=world.users["grid_a"]).key
    outside = _post(client, token, cats, world, "api-report-0004", jurisdiction=world.grid("b").pk)
    assert outside.status_code == 400
