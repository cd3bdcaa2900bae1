"""List pages keep a fixed number of queries however many events they show; config pages need the role."""
import pytest
from django.urls import reverse

from pingan.cases import engine
from pingan.events import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world, cats):
    for i in range(12):
        event = services.event_report(actor=world.users["grid_a"], category=cats["gas"], description=f"燃气味{i}").event
        engine.transition(actor=world.users["center_staff"], case=event, action="register")
        if i % 2:
            engine.transition(actor=world.users["center_staff"], case=event, action="dispatch",
                              data={"assigned_department": world.departments["police_a"]})
            engine.supervise(actor=world.users["center_staff"], case=event, note="请加快")


@pytest.mark.parametrize("name,user", [("events:list", "center_staff"), ("events:queue", "handler_a"),
                                       ("events:queue", "center_staff")])
def test_list_pages_use_a_fixed_number_of_queries(world, many, client, django_assert_max_num_queries, name, user):
    client.force_login(world.users[user])
    with django_assert_max_num_queries(14):
        response = client.get(reverse(name))
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse(name) + "?tab=supervised").status_code == 200


def test_bulk_dispatch_sends_every_selected_event_by_the_rule_or_refuses_all(world, many, client):
    from pingan.events.models import Event

    registered = list(Event.objects.filter(state="registered").values_list("pk", flat=True))
    client.force_login(world.users["center_staff"])
    response = client.post(reverse("events:bulk_dispatch"), {"events": registered,
                                                              "department": world.departments["police_b"].pk})
    assert response.status_code == 302
    assert Event.objects.filter(pk__in=registered, state="dispatched",
                                assigned_department=world.departments["police_b"]).count() == len(registered)


def test_configuration_pages_answer_403_to_a_grid_worker(world, client):
    client.force_login(world.users["grid_a"])
    assert client.get(reverse("events:category_list")).status_code == 403
    assert client.get(reverse("events:key_list")).status_code == 403


def test_the_district_issues_a_key_in_the_ui_and_sees_it_once(world, client):
    client.force_login(world.users["district_admin"])
    response = client.post(reverse("events:key_list"), {"name": "12345热线", "channel": "hotline_12345"})
    assert response.status_code == 200 and "pa_" in response.content.decode()
    assert client.post(reverse("events:key_list"), {"name": "", "channel": "fax"}).status_code == 400
