"""/healthz answers a bare JSON without login or database, and only to GET."""
import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_without_login_and_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_refuses_a_post(client):
    assert client.post("/healthz").status_code == 405
