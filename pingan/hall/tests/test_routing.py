"""Routing (分流) with 调解先行: the done-when flows — a visitor routed to mediation becomes a dispute with the
source 窗口受理, another routed to a petition becomes a petition carrying the hall code, each citizen follows
their matter by its code — and the rules around them (why not mediation, 改派, one transaction)."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pingan.core.models import AuditEntry
from pingan.hall import choices as c
from pingan.hall import services
from pingan.hall.models import Matter
from pingan.hall.testing import make_matter


@pytest.fixture(autouse=True)
def _holidays(db):
    from pingan.core.calendar.loader import load_holidays

    load_holidays()


def route(world, matter, route, side="a", **data):
    return services.matter_route(actor=world.officer(side), matter=matter, route=route, data=data)


def test_a_visitor_routed_to_mediation_becomes_a_hall_dispute_the_citizen_follows(world, client):
    from pingan.disputes.models import Dispute

    matter = make_matter(world, "a", name="王秀英", phone="13912345678", id_number="140311199001011236")
    route(world, matter, c.Route.MEDIATION, place=world.village("a"), other_party="楼上住户张某")
    matter.refresh_from_db()
    dispute = Dispute.objects.get()
    assert (dispute.source, dispute.jurisdiction, dispute.title, dispute.category) == \
        ("hall", world.village("a"), "邻居装修漏水", "0299")
    assert sorted(dispute.parties.values_list("side", "name")) == [("applicant", "王秀英"), ("respondent", "楼上住户张某")]
    applicant = dispute.parties.get(side="applicant")
    assert applicant.phone_masked == "139****5678" and applicant.id_masked == "1403************36"
    assert (matter.status, matter.route, matter.case_number, matter.case_id) == \
        ("routed", "mediation", dispute.number, dispute.pk)
    assert matter.case_type.model == "dispute"
    response = client.post(reverse("hall:track"), {"code": matter.code, "secret": matter.pin})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"人民调解：{dispute.get_state_display()}" in body and dispute.number in body and "办理中" in body
    assert "王秀英" not in body


def test_another_visitor_routed_to_a_petition_carries_the_hall_code(world, client):
    from pingan.petitions.models import Petition

    matter = make_matter(world, "a", name="赵建国", phone="13812345678", category=c.Category.LITIGATION,
                         topic="判决执行进度", summary="胜诉一年仍未执行到位")
    assert matter.mediation_applicable is False
    route(world, matter, c.Route.PETITION, place=world.village("a"))
    matter.refresh_from_db()
    petition = Petition.objects.get()
    assert petition.hall_code == matter.code
    assert (matter.status, matter.route, matter.case_number) == ("routed", "petition", petition.number)
    body = client.post(reverse("hall:track"), {"code": matter.code, "secret": "5678"}).content.decode()
    assert f"信访：{petition.get_state_display()}" in body and petition.number in body


def test_mediation_first_asks_why_not_when_mediation_applies(world):
    matter = make_matter(world, "a")   # 邻里纠纷: mediation applies
    with pytest.raises(ValidationError) as err:
        route(world, matter, c.Route.LEGAL_ADVICE, unit="公共法律服务工作站")
    assert "调解先行" in err.value.message_dict["non_mediation_reason"][0]
    matter.refresh_from_db()
    assert matter.status == "registered" and matter.route == ""
    route(world, matter, c.Route.LEGAL_ADVICE, unit="公共法律服务工作站", non_mediation_reason="对方拒绝调解")
    matter.refresh_from_db()
    assert (matter.status, matter.route_unit, matter.non_mediation_reason) == \
        ("referred", "公共法律服务工作站", "对方拒绝调解")
    entry = AuditEntry.objects.get(action="matter.route", object_id=str(matter.pk))
    assert entry.changes["non_mediation_reason"] == "对方拒绝调解"
    assert entry.changes["after"]["route"] == "legal_advice"


def test_a_routed_matter_is_routed_again_only_by_reroute_with_a_reason(world):
    matter = make_matter(world, "a", category=c.Category.POLICY)
    route(world, matter, c.Route.ANSWERED, note="已解释低保申请条件")
    with pytest.raises(ValidationError) as err:
        route(world, matter, c.Route.LEGAL_AID, unit="区法律援助中心")
    assert "如需改派请填写改派原因" in err.value.message_dict["route"][0]
    services.matter_route(actor=world.officer("a"), matter=matter, route=c.Route.LEGAL_AID,
                          data={"unit": "区法律援助中心"}, reroute_reason="群众要求法律援助")
    matter.refresh_from_db()
    assert (matter.route, matter.status, matter.reroute_count, matter.answer_note) == \
        ("legal_aid", "referred", 1, "已解释低保申请条件")
    assert AuditEntry.objects.get(action="matter.reroute").changes["reason"] == "群众要求法律援助"


def test_a_referral_names_its_unit_and_an_answer_its_content(world):
    matter = make_matter(world, "a", category=c.Category.POLICY)
    with pytest.raises(ValidationError) as err:
        route(world, matter, c.Route.LITIGATION)
    assert "请填写承接单位" in err.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as err:
        route(world, matter, c.Route.ANSWERED, note="好")
    assert err.value.message_dict["note"] == ["请填写当场答复的内容（至少 4 个字）。"]


def test_a_department_matter_becomes_an_event_registered_by_the_centre(world):
    from pingan.events.models import Event
    from pingan.events.testing import make_categories

    categories = make_categories(world)
    matter = make_matter(world, "a", category=c.Category.CITY, topic="路灯不亮", summary="村口路灯坏了一个月")
    route(world, matter, c.Route.DEPARTMENT, place=world.grid("a"), event_category=categories["gas"])
    matter.refresh_from_db()
    event = Event.objects.get()
    assert (event.source, event.jurisdiction, matter.case_number, matter.status) == \
        ("centre", world.grid("a"), event.number, "routed")
    assert matter.code in event.description


def test_routing_to_another_townships_place_writes_nothing(world):
    from pingan.disputes.models import Dispute

    matter = make_matter(world, "a")
    with pytest.raises(ValidationError) as err:
        route(world, matter, c.Route.MEDIATION, place=world.village("b"))
    assert err.value.message_dict["place"] == ["所选地点不在您的管辖范围内。"]
    assert Dispute.objects.count() == 0
    assert Matter.objects.get(pk=matter.pk).status == "registered"


def test_a_failed_case_registration_leaves_the_matter_unrouted(world, monkeypatch):
    from pingan.disputes import services as dispute_services
    from pingan.disputes.models import Dispute

    def broken(**kwargs):
        raise ValidationError({"summary": "请填写事件简述。"})

    monkeypatch.setattr(dispute_services, "dispute_register", broken)
    matter = make_matter(world, "a")
    with pytest.raises(ValidationError):
        route(world, matter, c.Route.MEDIATION, place=world.village("a"))
    matter.refresh_from_db()
    assert (matter.status, matter.route, Dispute.objects.count()) == ("registered", "", 0)
    assert not AuditEntry.objects.filter(action="matter.route").exists()


def test_followup_closes_the_matter(world, client):
    matter = make_matter(world, "a", category=c.Category.POLICY)
    with pytest.raises(ValidationError):
        services.matter_followup(actor=world.officer("a"), matter=matter, note="已回访", satisfaction="satisfied")
    route(world, matter, c.Route.ANSWERED, note="已解释低保申请条件")
    services.matter_followup(actor=world.officer("a"), matter=matter, note="群众表示满意", satisfaction="satisfied")
    matter.refresh_from_db()
    assert (matter.status, matter.satisfaction) == ("closed", "satisfied")
    body = client.post(reverse("hall:track"), {"code": matter.code, "secret": matter.pin}).content.decode()
    assert "已回访办结" in body


def test_the_route_page_posts_and_reads_back(world, login):
    matter = make_matter(world, "a", category=c.Category.POLICY)
    client = login(world.officer("a"))
    page = client.get(reverse("hall:matter_detail", args=[matter.pk])).content.decode()
    assert page.index("转人民调解") < page.index("转信访")   # mediation is offered first
    response = client.post(reverse("hall:route", args=[matter.pk]), {"route": "answered", "note": "已解释政策四字"})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert (matter.status, matter.answer_note) == ("answered", "已解释政策四字")
    bad = client.post(reverse("hall:route", args=[matter.pk]), {"route": "nonsense"})
    assert bad.status_code == 400


def test_the_leader_reads_but_cannot_route(world, login):
    matter = make_matter(world, "a", category=c.Category.POLICY)
    client = login(world.users["leader"])
    assert client.get(reverse("hall:matter_detail", args=[matter.pk])).status_code == 200
    assert client.post(reverse("hall:route", args=[matter.pk]), {"route": "answered",
                                                                 "note": "已解释政策四字"}).status_code == 403
    assert Matter.objects.get(pk=matter.pk).status == "registered"
