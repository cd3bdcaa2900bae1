"""A patrol's finding becomes a grid event in one step, through the events module's registration."""
import pytest
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.events.models import Event
from pingan.events.testing import make_categories
from pingan.security.models import Patrol
from pingan.security.testing import make_patrol, make_team

pytestmark = pytest.mark.django_db


def test_a_patrol_finding_becomes_an_event_once(world, login):
    categories = make_categories(world)
    patrol = make_patrol(world, "a", team=make_team(world, "a", jurisdiction=world.village("a")))
    client = login(world.officer("a"))
    page = client.get(reverse("security:patrol_to_event", args=[patrol.pk]))
    assert page.status_code == 200
    # The finding prefilled (stored with full-width punctuation made half-width, like every text input).
    assert "村口路灯损坏两盏,夜间照明不足" in page.content.decode()
    data = {"category": categories["gas"].pk, "jurisdiction": world.village("a").pk, "urgency": "normal",
            "description": "村口路灯损坏两盏，夜间照明不足", "address": "村口至学校"}
    response = client.post(reverse("security:patrol_to_event", args=[patrol.pk]), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert response["Location"] == reverse("events:detail", args=[event.pk])
    assert (event.description, event.jurisdiction, event.category) == (
        "村口路灯损坏两盏，夜间照明不足", world.village("a"), categories["gas"])
    assert Patrol.objects.get(pk=patrol.pk).event == event
    assert AuditEntry.objects.get(action="patrol.to_event").changes == {"event": [None, event.pk]}
    # A second click (GET or POST) leads to the same event and registers nothing.
    again = client.post(reverse("security:patrol_to_event", args=[patrol.pk]), data)
    assert again.status_code == 302 and Event.objects.count() == 1
    detail = client.get(reverse("security:patrols_detail", args=[patrol.pk])).content.decode()
    assert event.number in detail and "转为网格事件</a>" not in detail


def test_the_service_gives_back_the_same_event_on_a_second_call(world):
    from pingan.security import services

    categories = make_categories(world)
    patrol = make_patrol(world, "a")
    first, created = services.patrol_to_event(actor=world.officer("a"), patrol=patrol, category=categories["gas"],
                                              jurisdiction=world.grid("a"), description="发现燃气管道破损")
    second, created_again = services.patrol_to_event(actor=world.officer("a"), patrol=patrol,
                                                     category=categories["gas"], jurisdiction=world.grid("a"),
                                                     description="发现燃气管道破损")
    assert (created, created_again, first.pk) == (True, False, second.pk)
    assert Event.objects.count() == 1


def test_an_event_outside_the_patrols_place_is_refused(world, login):
    categories = make_categories(world)
    patrol = make_patrol(world, "a")
    client = login(world.users["district_admin"])
    response = client.post(reverse("security:patrol_to_event", args=[patrol.pk]), {
        "category": categories["gas"].pk, "jurisdiction": world.village("b").pk, "urgency": "normal",
        "description": "越界"})
    assert response.status_code == 400
    assert "不在巡防队伍的辖区内" in response.content.decode()
    assert Event.objects.count() == 0 and Patrol.objects.get(pk=patrol.pk).event is None


def test_a_missing_category_is_a_chinese_400(world, login):
    make_categories(world)
    patrol = make_patrol(world, "a")
    response = login(world.officer("a")).post(reverse("security:patrol_to_event", args=[patrol.pk]), {
        "jurisdiction": world.village("a").pk, "urgency": "normal", "description": "x"})
    assert response.status_code == 400 and "请选择事件类别" in response.content.decode()
    assert Event.objects.count() == 0


def test_a_leader_cannot_convert_and_another_township_gets_404(world, login):
    patrol = make_patrol(world, "a")
    assert login(world.users["leader"]).get(reverse("security:patrol_to_event", args=[patrol.pk])).status_code == 403
    assert login(world.officer("b")).get(reverse("security:patrol_to_event", args=[patrol.pk])).status_code == 404
