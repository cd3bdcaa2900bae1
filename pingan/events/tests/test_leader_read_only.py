"""A leader reads and never writes (security review finding 13, "the leader can 督办"): 督办 of events and of
hazards is refused on the page and the API, nothing is written, and the page offers no 督办 form."""
import pytest

from pingan.cases.models import Supervision
from pingan.events import services
from pingan.hazards.testing import make_hazard

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("holidays")]


@pytest.fixture
def holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()


@pytest.fixture
def event(world, cats):
    return services.event_report(actor=world.users["grid_a"], category=cats["garbage"], description="垃圾",
                                 attributes={"kind": "living"}).event


def test_a_leader_cannot_supervise_an_event_on_the_page(world, event, client):
    client.force_login(world.users["leader"])
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert f"/events/{event.pk}/supervise/" not in page
    response = client.post(f"/events/{event.pk}/supervise/", {"note": "请尽快处理"})
    assert response.status_code == 403
    assert not Supervision.objects.exists()


def test_a_leader_cannot_supervise_through_the_engine(world, event):
    from django.core.exceptions import PermissionDenied

    from pingan.cases import engine

    with pytest.raises(PermissionDenied):
        engine.supervise(actor=world.users["leader"], case=event, note="请尽快处理")
    assert not Supervision.objects.exists()


def test_a_leader_gets_no_action_page_and_no_buttons(world, event, client):
    client.force_login(world.users["leader"])
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert f"/events/{event.pk}/act/" not in page and "申请延期" not in page
    for url in (f"/events/{event.pk}/act/?action=register", f"/events/{event.pk}/supervise/",
                f"/events/{event.pk}/extension/", f"/events/{event.pk}/extension/decide/",
                f"/events/{event.pk}/supervision-reply/"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/events/{event.pk}/act/", {"action": "register"}).status_code == 403
    event.refresh_from_db()
    assert event.state == "reported"


def test_the_centre_still_supervises_an_event(world, event, client):
    client.force_login(world.users["center_staff"])
    response = client.post(f"/events/{event.pk}/supervise/", {"note": "请尽快处理"})
    assert response.status_code == 302
    supervision = Supervision.objects.get()
    assert supervision.note == "请尽快处理" and supervision.case_id == event.pk and supervision.status == "open"


def test_a_leader_cannot_supervise_a_hazard_on_the_page_or_the_api(world, client, api):
    hazard = make_hazard(world, "a")
    client.force_login(world.users["leader"])
    assert f"/hazards/{hazard.pk}/supervise/" not in client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert client.post(f"/hazards/{hazard.pk}/supervise/", {"note": "请尽快整治"}).status_code == 403
    response = api(world.users["leader"]).post(f"/api/v1/hazards/{hazard.pk}/supervise/", {"note": "请尽快整治"},
                                               format="json")
    assert response.status_code == 403
    assert not Supervision.objects.exists()
    ok = api(world.users["center_staff"]).post(f"/api/v1/hazards/{hazard.pk}/supervise/", {"note": "请尽快整治"},
                                                format="json")
    assert ok.status_code == 201 and Supervision.objects.count() == 1
