"""The disputes API: registration with parties (JSON), the accept step's unit derived from the organisation on
the act path too, parties and sessions through the services, 400 with Chinese messages, scope, OpenAPI."""
import datetime as dt

from django.urls import reverse
from django.utils import timezone

from pingan.disputes.models import Dispute, DisputeParty, MediationSession
from pingan.disputes.testing import ID_LI, ID_ZHANG, make_dispute, make_mediator, make_org


def payload(world, side="a", **extra):
    body = {"jurisdiction": world.village(side).code, "title": "劳务费纠纷", "category": "劳动争议",
            "occurred_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(), "people_count": 2,
            "summary": "工头拖欠工钱 3000 元", "source": "court", "referrer_name": "郊区人民法院",
            "referrer_number": "(2026)晋0311民诉前调123号",
            "parties": [{"side": "applicant", "name": "张三", "id_number": ID_ZHANG, "phone": "13812345678"},
                        {"side": "respondent", "kind": "org", "name": "河底建筑队", "representative": "王工头"}]}
    body.update(extra)
    return body


def test_register_act_parties_sessions(world, api):
    client = api(world.officer("a"))
    response = client.post(reverse("api:dispute-list"), payload(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["category"], body["state"], body["referrer"], body["created"]) == ("07", "registered", "郊区人民法院",
                                                                                     True)
    dispute = Dispute.objects.get(pk=body["id"])
    parties = client.get(reverse("api:dispute-parties", args=[dispute.pk])).json()
    assert [(p["side"], p["kind"], p["name"], p["id_number"], p["phone"], p["representative"]) for p in parties] == [
        ("applicant", "person", "张三", "1403************1X", "138****5678", ""),
        ("respondent", "org", "河底建筑队", "", "", "王工头")]

    # 受理 through act: the resident unit's department becomes the handling unit (the same form as the page).
    room = make_org(world, "a", level="township", kind="centre", department=world.departments["police_a"],
                    name="河底派出所人民调解室")
    mediator = make_mediator(world, room, "刘警官", user=world.users["mediator_a"])
    response = client.post(reverse("api:dispute-act", args=[dispute.pk]),
                           {"action": "accept", "data": {"mediation_org": room.pk, "mediator": mediator.pk}},
                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["assigned_department"] == world.departments["police_a"].pk

    # A party and a session through the sub-routes.
    response = client.post(reverse("api:dispute-parties", args=[dispute.pk]),
                           {"side": "other", "name": "李四", "id_number": ID_LI}, format="json")
    assert response.status_code == 201 and response.json()["id_number"] == "1403************23"
    response = client.post(reverse("api:dispute-parties", args=[dispute.pk]),
                           {"side": "respondent", "name": "张三", "id_number": ID_ZHANG}, format="json")
    assert response.status_code == 400 and response.json()["errors"]["parties"] == ["同一人不能同时是双方当事人。"]
    response = client.post(reverse("api:dispute-sessions", args=[dispute.pk]), {
        "held_on": timezone.localdate().isoformat(), "place": "派出所调解室", "attendees": "张三、王工头",
        "record": "双方核对工时"}, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["mediator_name"], MediationSession.objects.get().mediator) == ("刘警官", mediator)
    response = client.post(reverse("api:dispute-sessions", args=[dispute.pk]), {
        "held_on": "2026-13-40", "place": "", "attendees": "x", "record": "x"}, format="json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"held_on", "place"}

    # Party update and removal through /dispute-parties/{id}/.
    party = DisputeParty.objects.get(name="李四")
    response = client.patch(reverse("api:dispute-party-detail", args=[party.pk]), {"address": "固庄村9号"},
                            format="json")
    assert response.status_code == 200, response.json()
    party.refresh_from_db()
    assert (party.address, party.id_masked, party.side) == ("固庄村9号", "1403************23", "other")
    assert client.delete(reverse("api:dispute-party-detail", args=[party.pk])).status_code == 204
    assert not DisputeParty.objects.filter(pk=party.pk).exists()


def test_bad_input_is_400_in_chinese_and_writes_nothing(world, api):
    client = api(world.officer("a"))
    cases = [
        (payload(world, jurisdiction=world.village("b").code), "jurisdiction", "所选地点不存在或不在您的管辖范围内。"),
        (payload(world, category="吵架"), "category", "请选择事件类别（GB/T 31000 事件类别或本地人民调解纠纷类型）。"),
        (payload(world, referrer_name=""), "referrer_department", "移送来的纠纷请选择或填写移送单位（结果须反馈给移送单位）。"),
        (payload(world, parties=[{"name": "张三", "id_number": "140311198001010011"}]), "parties.0.id_number",
         "公民身份号码“140311198001010011”校验码错误：最后一位应为 X，请核对号码。"),
        (payload(world, occurred_on="2999-01-01"), "occurred_on", "发生日期不能晚于今天。"),
    ]
    for body, field, message in cases:
        response = client.post(reverse("api:dispute-list"), body, format="json")
        assert response.status_code == 400, (field, response.json())
        assert response.json()["errors"][field] == [message], response.json()
    response = client.post(reverse("api:dispute-list"), {"title": 5, "people_count": "很多"}, format="json")
    assert response.status_code == 400 and {"jurisdiction", "summary", "category", "people_count"} <= set(
        response.json()["errors"])
    assert not Dispute.objects.exists() and not DisputeParty.objects.exists()
    # The grid worker of township a cannot register in township b, nor the leader anywhere.
    leader = api(world.users["leader"])
    assert leader.post(reverse("api:dispute-list"), payload(world), format="json").status_code == 403


def test_another_townships_dispute_is_404_on_the_sub_routes(world, api):
    dispute_b = make_dispute(world, "b")
    party_b = dispute_b.parties.first()
    client = api(world.officer("a"))
    assert client.get(reverse("api:dispute-parties", args=[dispute_b.pk])).status_code == 404
    assert client.post(reverse("api:dispute-parties", args=[dispute_b.pk]), {"name": "x"},
                       format="json").status_code == 404
    assert client.post(reverse("api:dispute-sessions", args=[dispute_b.pk]), {}, format="json").status_code == 404
    assert client.patch(reverse("api:dispute-party-detail", args=[party_b.pk]), {"name": "x"},
                        format="json").status_code == 404
    assert client.delete(reverse("api:dispute-party-detail", args=[party_b.pk])).status_code == 404
    assert dispute_b.parties.count() == 2


def test_openapi_lists_the_dispute_routes(world, api):
    schema = api(world.users["center_staff"]).get(reverse("schema"), {"format": "json"}).json()
    paths = set(schema["paths"])
    assert {"/api/v1/disputes/", "/api/v1/disputes/{id}/", "/api/v1/disputes/{id}/act/",
            "/api/v1/disputes/{id}/parties/", "/api/v1/disputes/{id}/sessions/",
            "/api/v1/dispute-parties/{id}/"} <= paths
