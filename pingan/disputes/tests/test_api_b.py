"""Part B's API under /api/v1/disputes-admin/: registers through their services, meetings with their agenda,
subsidy sheets built and approved; bad input 400 in Chinese, another township 404/400, roles 403."""
import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from pingan.disputes import choices as c
from pingan.disputes.models import Mediator, Meeting, SubsidySheet

from .b_helpers import S, dispute, mediator, org

pytestmark = pytest.mark.django_db


def test_mediators_through_the_api_refuse_another_township(world, api):
    committee = org(world, "a")
    client = api(world.officer("a"))
    url = reverse("api:disputes-mediator-list")
    response = client.post(url, {"name": "王调解", "org": committee.pk, "kind": "part"}, format="json")
    assert response.status_code == 201, response.json()
    m = Mediator.objects.get(name="王调解")
    assert m.jurisdiction == world.village("a")
    # An organisation of 荫营镇 by id: 400 (not visible), nothing written.
    other = org(world, "b")
    response = client.post(url, {"name": "越界", "org": other.pk}, format="json")
    assert response.status_code == 400 and "不在您的管辖范围内" in str(response.json())
    admin = api(world.users["district_admin"])
    response = admin.post(url, {"name": "越界", "org": committee.pk, "jurisdiction": world.village("b").pk},
                          format="json")
    assert response.status_code == 400 and "所在乡镇" in response.json()["detail"]
    assert not Mediator.objects.filter(name="越界").exists()
    assert api(world.officer("b")).get(reverse("api:disputes-mediator-detail", args=[m.pk])).status_code == 404
    assert api(world.users["leader"]).post(url, {"name": "x", "org": committee.pk}, format="json").status_code == 403
    listed = client.get(url).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["name"] for r in rows] == ["王调解"] and rows[0]["phone"] == ""


def test_subsidy_sheets_through_the_api(world, api):
    m = mediator(world, "a")
    dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 3, 5), grade=c.Grade.GENERAL, who=m)
    officer = api(world.officer("a"))
    url = reverse("api:disputes-subsidy-sheet-build")
    response = officer.post(url, {"node": world.township("a").pk, "month": "2017-03"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["total"] == "100.00" and [line["grade"] for line in body["lines"]] == ["general"]
    sheet = SubsidySheet.objects.get()
    assert officer.post(reverse("api:disputes-subsidy-sheet-approve", args=[sheet.pk])).status_code == 403
    assert officer.post(url, {"node": world.township("b").pk, "month": "2017-03"}, format="json").status_code == 400
    assert officer.post(url, {"node": world.township("a").pk, "month": "2017/13"}, format="json").status_code == 400
    centre = api(world.users["center_staff"])
    response = centre.post(reverse("api:disputes-subsidy-sheet-approve", args=[sheet.pk]))
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = officer.post(url, {"node": world.township("a").pk, "month": "2017-03"}, format="json")
    assert response.status_code == 400 and "已审批" in response.json()["detail"]
    assert api(world.officer("b")).get(reverse("api:disputes-subsidy-sheet-detail", args=[sheet.pk])).status_code == 404
    assert api(world.users["handler_a"]).get(reverse("api:disputes-subsidy-sheet-list")).status_code == 403
    assert api(world.users["mediator_a"]).post(url, {"node": world.township("a").pk, "month": "2017-04"},
                                               format="json").status_code == 403
    assert SubsidySheet.objects.get().total == Decimal("100")


def test_meetings_through_the_api(world, api):
    d = dispute(world, "a")
    client = api(world.officer("a"))
    url = reverse("api:disputes-meeting-list")
    payload = {"jurisdiction": world.township("a").pk, "kind": "regular", "held_on": "2017-04-08",
               "attendees": "综治办、司法所", "decisions": "包案化解", "disputes": [d.number],
               "follow_up_items": [{"task": "三日内再次调解", "responsible": "司法所", "due_on": "2017-04-11"}]}
    response = client.post(url, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["dispute_numbers"] == [d.number]
    assert Meeting.objects.get().follow_ups.get().responsible == "司法所"
    other = dispute(world, "b")
    response = client.post(url, {**payload, "disputes": [other.number]}, format="json")
    assert response.status_code == 400 and "找不到纠纷" in response.json()["detail"]
    response = client.post(url, {**payload, "held_on": "2017-02-30"}, format="json")
    assert response.status_code == 400
    assert api(world.users["mediator_a"]).post(url, payload, format="json").status_code == 403
    assert Meeting.objects.count() == 1
