"""The hazards API: scoped reads, registration and workflow steps, bad input answered in Chinese."""
import datetime as dt

import pytest
from django.utils import timezone

from pingan.core.models import AuditEntry
from pingan.hazards.models import Hazard
from pingan.hazards.testing import make_hazard

pytestmark = pytest.mark.usefixtures("holidays")
URL = "/api/v1/hazards/"


def payload(world, side="a", **extra):
    data = {"jurisdiction": world.village(side).code, "screened_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "hazard_type": "L02", "risk_level": "01", "description": "煤矿运输车辆碾压村道引发纠纷",
            "responsible_department": world.departments[f"police_{side}"].pk}
    data.update(extra)
    return data


def test_the_list_is_scoped_and_filtered(world, api, django_assert_max_num_queries):
    mine = make_hazard(world, "a")
    make_hazard(world, "b")
    late = make_hazard(world, "a", screened_on=timezone.localdate() - dt.timedelta(days=120), risk_level="01")
    client = api(world.officer("a"))
    with django_assert_max_num_queries(6):
        body = client.get(URL).json()
    assert {r["number"] for r in body["results"]} == {mine.number, late.number}
    overdue = client.get(URL, {"overdue": "true"}).json()["results"]
    assert [r["number"] for r in overdue] == [late.number] and overdue[0]["is_overdue"] is True
    assert client.get(URL, {"risk_level": "09"}).status_code == 400
    assert api(world.users["auditor"]).get(URL).json()["count"] == 0
    assert api().get(URL).status_code in (401, 403)


def test_it_registers_a_hazard_and_takes_steps(world, api):
    client = api(world.users["village_a"])
    response = client.post(URL, payload(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "pending" and body["number"].startswith(f"YH{world.township('a').code}")
    hazard = Hazard.objects.get(pk=body["id"])
    assert AuditEntry.objects.filter(action="hazard.create", object_id=str(hazard.pk)).exists()
    handler = api(world.users["handler_a"])
    log = handler.get(f"{URL}{hazard.pk}/log/").json()
    assert [a["action"] for a in log["allowed_actions"]] == ["start", "complete"]
    response = handler.post(f"{URL}{hazard.pk}/act/", {"action": "complete",
                            "rectified_on": timezone.localdate().isoformat(), "measures": "设置限速标志"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "awaiting_acceptance"
    response = handler.post(f"{URL}{hazard.pk}/act/", {"action": "accept"}, format="json")
    assert response.status_code == 403
    response = api(world.officer("a")).post(f"{URL}{hazard.pk}/act/", {"action": "send_back"}, format="json")
    assert response.status_code == 400 and response.json()["errors"] == {"note": ["请填写退回理由。"]}


@pytest.mark.parametrize("change,field,message", [
    ({"jurisdiction": "140311100206"}, "jurisdiction", "不在您的管辖范围内"),    # township B's village
    ({"responsible_department": None}, None, None),
    ({"screened_on": "2024-02-30"}, "screened_on", "日期"),
    ({"screened_on": "２０２４－０１－０１"}, "screened_on", "日期"),
    ({"risk_level": "高"}, "risk_level", "不是合法选项"),
    ({"description": ""}, "description", "不能为空"),
    ({"latitude": "北纬37"}, "latitude", "数"),
    ({"rectify_deadline": "2000-01-01"}, "rectify_deadline", "不能早于排查日期"),
])
def test_registration_rejects_bad_input_in_chinese(world, api, change, field, message):
    data = payload(world, **change)
    if field is None:  # the department of another township
        data["responsible_department"] = world.departments["police_b"].pk
        field, message = "responsible_department", "不在您的管辖范围内"
    before = Hazard.objects.count()
    response = api(world.officer("a")).post(URL, data, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert message in str(body["errors"][field]) and body["detail"]
    assert Hazard.objects.count() == before


def test_a_screening_date_in_the_future_and_missing_fields_are_refused(world, api):
    client = api(world.officer("a"))
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(URL, payload(world, screened_on=future), format="json")
    assert response.status_code == 400 and "排查日期不能晚于今天" in response.json()["detail"]
    response = client.post(URL, {}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) >= {"jurisdiction", "screened_on",
                                                                            "hazard_type", "risk_level", "description"}
    response = client.post(URL, "not json", content_type="application/json")
    assert response.status_code == 400
    assert Hazard.objects.count() == 0


def test_leaders_read_but_do_not_register(world, api):
    make_hazard(world, "a")
    leader = api(world.users["leader"])
    assert leader.get(URL).json()["count"] == 1
    assert leader.post(URL, payload(world), format="json").status_code == 403
    assert Hazard.objects.count() == 1


def test_another_townships_hazard_answers_404(world, api):
    hazard = make_hazard(world, "a")
    client = api(world.officer("b"))
    assert client.get(f"{URL}{hazard.pk}/").status_code == 404
    assert client.post(f"{URL}{hazard.pk}/act/", {"action": "start"}, format="json").status_code == 404
    assert client.post(f"{URL}{hazard.pk}/supervise/", {"note": "x"}, format="json").status_code == 404
    assert Hazard.objects.get().state == "pending"


def test_supervision_and_extension_through_the_api(world, api):
    hazard = make_hazard(world, "a")
    response = api(world.users["center_staff"]).post(f"{URL}{hazard.pk}/supervise/", {"note": "限期整改"}, format="json")
    assert response.status_code == 201
    new = (hazard.rectify_deadline + dt.timedelta(days=5)).isoformat()
    response = api(world.users["handler_a"]).post(f"{URL}{hazard.pk}/extension/",
                                                  {"new_deadline": new, "reason": "等待配件"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "pending"
    response = api(world.users["handler_a"]).post(f"{URL}{hazard.pk}/extension/", {"new_deadline": "明天", "reason": "x"},
                                                  format="json")
    assert response.status_code == 400


def test_the_old_transition_address_still_takes_a_step(world, api):
    hazard = make_hazard(world, "a")
    response = api(world.users["handler_a"]).post(f"{URL}{hazard.pk}/transition/", {"action": "start",
                                                  "measures": "设置围挡"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "rectifying"
    hazard.refresh_from_db()
    assert (hazard.state, hazard.measures) == ("rectifying", "设置围挡")
