"""Registration, parties, sessions and the accept step: bad input gets a clear Chinese message and writes
nothing; another township's places, mediators and disputes are refused like ids that do not exist; edit
forms read back from the database; the list and the queue keep a pinned number of queries."""
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pingan.cases.models import TransitionLog
from pingan.core.models import AuditEntry
from pingan.disputes import services
from pingan.disputes.models import Dispute, DisputeParty, MediationSession
from pingan.disputes.testing import ID_LI, ID_ZHANG, make_dispute, make_mediator, make_org

TODAY = timezone.localdate


def base(world, side="a", **overrides):
    data = {"jurisdiction": world.village(side), "title": "土地承包纠纷", "occurred_on": TODAY() - dt.timedelta(days=1),
            "registered_on": TODAY(), "category": "0901", "scale": "01", "people_count": 2,
            "summary": "承包地边界不清", "source": "grid"}
    data.update(overrides)
    return data


def refused(world, data, parties=(), actor=None):
    with pytest.raises(ValidationError) as exc:
        services.dispute_register(actor=actor or world.officer("a"), data=data, parties=list(parties))
    assert not Dispute.objects.exists() and not DisputeParty.objects.exists()
    return {k: "；".join(v) for k, v in exc.value.message_dict.items()}


def test_register_with_a_local_category_name_and_parties(world):
    dispute = make_dispute(world, category="房屋宅基地")
    assert dispute.category == "0902"
    rows = list(dispute.parties.values_list("side", "name", "sex", "id_masked", "phone_masked", "category"))
    assert rows == [("applicant", "张三", "1", "1403************1X", "138****5678", "0102"),
                    ("respondent", "李四", "2", "1403************23", "139****4321", "")]
    party = dispute.parties.get(name="张三")
    assert party.id_cipher and "14031119800101001X" not in party.id_cipher and len(party.id_hash) == 64
    # The audit entries of the parties carry no number in plain text.
    for entry in AuditEntry.objects.filter(action="dispute.party_add"):
        assert ID_ZHANG not in str(entry.changes) and ID_LI not in str(entry.changes)
        assert "13812345678" not in str(entry.changes)


@pytest.mark.parametrize("overrides, field, message", [
    ({"occurred_on": TODAY() + dt.timedelta(days=1)}, "occurred_on", "发生日期不能晚于今天。"),
    ({"registered_on": TODAY() + dt.timedelta(days=1)}, "registered_on", "登记日期不能晚于今天。"),
    ({"occurred_on": TODAY(), "registered_on": TODAY() - dt.timedelta(days=1)}, "occurred_on",
     f"发生日期不能晚于登记日期（{TODAY() - dt.timedelta(days=1):%Y-%m-%d}）。"),
    ({"category": "邻居吵架"}, "category", "请选择事件类别（GB/T 31000 事件类别或本地人民调解纠纷类型）。"),
    ({"people_count": 0}, "people_count", "涉及人数应为 1 至 100000 之间的整数。"),
    ({"title": "  "}, "title", "请填写事件名称。"),
    ({"source": "police"}, "referrer_department", "移送来的纠纷请选择或填写移送单位（结果须反馈给移送单位）。"),
])
def test_bad_registration_is_refused_in_chinese_and_writes_nothing(world, overrides, field, message):
    assert refused(world, base(world, **overrides))[field] == message


def test_another_townships_place_is_refused_like_a_missing_one(world, client):
    errors = refused(world, base(world, jurisdiction=world.village("b")))
    assert errors["jurisdiction"] == "所选地点不存在或不在您的管辖范围内。"
    client.force_login(world.officer("a"))
    response = client.post(reverse("disputes:create"), {
        "jurisdiction": world.village("b").pk, "title": "x", "occurred_on": TODAY().isoformat(), "scale": "01",
        "category": "0901", "people_count": "2", "summary": "x", "source": "grid"})
    assert response.status_code == 400
    assert "所选发生地不存在或不在您的管辖范围内。" in response.content.decode()
    assert not Dispute.objects.exists()


def test_same_person_on_both_sides_is_refused(world):
    errors = refused(world, base(world), [{"side": "applicant", "name": "张三", "id_number": ID_ZHANG},
                                          {"side": "respondent", "name": "张三丰", "id_number": ID_ZHANG}])
    assert errors["parties"] == "同一人不能同时是双方当事人。"


def test_wrong_check_digit_and_more_parties_than_people(world):
    errors = refused(world, base(world), [{"side": "applicant", "name": "张三", "id_number": "140311198001010011"}])
    assert errors["parties.0.id_number"] == "公民身份号码“140311198001010011”校验码错误：最后一位应为 X，请核对号码。"
    errors = refused(world, base(world, people_count=1), [{"name": "张三"}, {"name": "李四", "side": "respondent"}])
    assert errors["people_count"] == "涉及人数（1）不能少于登记的自然人当事人人数（2）。"
    errors = refused(world, base(world), [{"name": "张三", "phone": "１２３"}])
    assert errors["parties.0.phone"].startswith("联系电话“123”格式不正确")


def test_party_add_same_person_and_closed_case(world, committee):
    dispute = make_dispute(world)
    with pytest.raises(ValidationError) as exc:
        services.party_add(actor=world.officer("a"), dispute=dispute,
                           data={"side": "respondent", "name": "张三", "id_number": ID_ZHANG})
    assert exc.value.message_dict["parties"] == ["同一人不能同时是双方当事人。"]
    assert dispute.parties.count() == 2
    org = make_org(world, "a")
    dispute_failed = make_dispute(world)
    from pingan.cases import engine

    engine.transition(actor=world.officer("a"), case=dispute_failed, action="accept",
                      data={"mediation_org": org, "mediator": committee[1], "assigned_department": None})
    engine.transition(actor=world.officer("a"), case=dispute_failed, action="fail",
                      data={"failure_reason": "一方拒绝调解", "other_routes": "诉讼"})
    with pytest.raises(ValidationError) as exc:
        services.party_add(actor=world.officer("a"), dispute=dispute_failed, data={"name": "王五"})
    assert exc.value.messages == ["此纠纷已调处失败，不能再修改当事人和调解记录。"]


def test_party_edit_form_reads_back_and_keeps_numbers(world, client):
    dispute = make_dispute(world)
    party = dispute.parties.get(name="李四")
    client.force_login(world.officer("a"))
    url = reverse("disputes:party_edit", args=[party.pk])
    page = client.get(url).content.decode()
    assert 'value="李四"' in page and "1403************23" in page and ID_LI not in page
    response = client.post(url, {"side": "respondent", "kind": "person", "name": "李四娃", "sex": "", "id_number": "",
                                 "phone": "0353-1234567", "category": "0107", "address": "固庄村3号"})
    assert response.status_code == 302, response.content.decode()[:2000]
    party.refresh_from_db()
    assert (party.name, party.category, party.address, party.sex) == ("李四娃", "0107", "固庄村3号", "2")
    assert (party.id_masked, party.phone_masked) == ("1403************23", "0353-*****67")
    entry = AuditEntry.objects.filter(action="dispute.party_update").get()
    assert entry.changes["name"] == ["李四", "李四娃"]
    # Removal: audited, gone.
    assert client.post(reverse("disputes:party_remove", args=[party.pk])).status_code == 302
    assert not DisputeParty.objects.filter(pk=party.pk).exists()
    assert AuditEntry.objects.filter(action="dispute.party_remove").count() == 1


def test_a_party_found_in_the_people_register(world, client):
    from pingan.people.services import person_register

    person = person_register(actor=world.officer("a"), grid=world.grid("a"), id_number=ID_ZHANG,
                             data={"name": "张三", "sex": "1", "current_address": "固庄村1号"})
    dispute = make_dispute(world, parties=False)
    client.force_login(world.officer("a"))
    page = client.get(reverse("disputes:party_add", args=[dispute.pk]), {"q": "张三"}).content.decode()
    assert "选为当事人" in page and "1403************1X" in page
    response = client.post(reverse("disputes:party_add", args=[dispute.pk]),
                           {"person": person.pk, "kind": "person", "side": "applicant"})
    assert response.status_code == 302, response.content.decode()[:2000]
    party = dispute.parties.get()
    assert (party.person, party.name, party.id_hash, party.address) == (person, "张三", person.id_hash, "固庄村1号")
    # Township b's officer cannot pick township a's person (refused like a missing one).
    dispute_b = make_dispute(world, "b", parties=False)
    with pytest.raises(ValidationError) as exc:
        services.party_add(actor=world.officer("b"), dispute=dispute_b, data={"person": person.pk})
    assert exc.value.message_dict["person"] == ["所选人员不存在或不在您的管辖范围内。"]


def test_accept_lists_only_the_places_orgs_and_refuses_another_townships_mediator(world, client, committee,
                                                                                  committee_b):
    org, mediator = committee
    org_b, mediator_b = committee_b
    dispute = make_dispute(world)
    client.force_login(world.officer("a"))
    url = reverse("disputes:act", args=[dispute.pk])
    form = client.get(url, {"action": "accept"}).content.decode()
    assert "固庄村委会人民调解委员会" in form and "矾窑村委会人民调解委员会" not in form and "赵调解" not in form
    response = client.post(url, {"action": "accept", "mediation_org": org.pk, "mediator": mediator_b.pk})
    assert response.status_code == 400
    assert "所选调解员属于其他乡镇或已不在任，不能指派。" in response.content.decode()
    response = client.post(url, {"action": "accept", "mediation_org": org_b.pk, "mediator": mediator.pk})
    assert "所选调解组织不在本纠纷所在地或其上级辖区（不能跨乡镇指派）。" in response.content.decode()
    dispute.refresh_from_db()
    assert (dispute.state, dispute.mediator_id) == ("registered", None)
    # A resident unit's organisation brings its department as the handling unit.
    room = make_org(world, "a", level="township", kind="centre", department=world.departments["police_a"],
                    name="河底派出所人民调解室")
    room_mediator = make_mediator(world, room, "刘警官")
    response = client.post(url, {"action": "accept", "mediation_org": room.pk, "mediator": room_mediator.pk})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.state, dispute.assigned_department) == ("mediating", world.departments["police_a"])
    # Co-mediators: another township's is refused.
    with pytest.raises(ValidationError) as exc:
        services.co_mediators_set(actor=world.officer("a"), dispute=dispute, mediators=[mediator_b])
    assert exc.value.message_dict["mediators"] == ["调解员赵调解属于其他乡镇或已不在任，不能指派。"]
    services.co_mediators_set(actor=world.officer("a"), dispute=dispute, mediators=[mediator])
    assert list(dispute.co_mediators.all()) == [mediator]


def _mediating(world, committee):
    from pingan.cases import engine

    dispute = make_dispute(world)
    org, mediator = committee
    engine.transition(actor=world.officer("a"), case=dispute, action="accept",
                      data={"mediation_org": org, "mediator": mediator, "assigned_department": None})
    return dispute


def test_settle_bad_inputs(world, client, committee):
    dispute = _mediating(world, committee)
    client.force_login(world.users["mediator_a"])
    url = reverse("disputes:act", args=[dispute.pk])
    ok = {"action": "settle", "agreement_form": "written", "agreement_on": TODAY().isoformat(),
          "agreement_terms": "赔偿 500 元"}
    response = client.post(url, ok | {"agreement_terms": ""})
    assert response.status_code == 400 and "请填写协议内容。" in response.content.decode()
    before = (dispute.registered_on - dt.timedelta(days=1)).isoformat()
    response = client.post(url, ok | {"agreement_on": before})
    assert response.status_code == 400
    assert f"日期不能早于登记日期（{dispute.registered_on:%Y-%m-%d}）。" in response.content.decode()
    DisputeParty.objects.filter(dispute=dispute, side="respondent").delete()
    response = client.post(url, ok)
    assert response.status_code == 400
    assert "调解协议须写明双方当事人：请先登记至少两方当事人。" in response.content.decode()
    dispute.refresh_from_db()
    assert (dispute.state, dispute.agreement_terms) == ("mediating", "")
    assert TransitionLog.objects.for_case(dispute).filter(action="settle").count() == 0


def test_a_grade_on_a_case_that_did_not_succeed(world, client, committee):
    dispute = _mediating(world, committee)
    client.force_login(world.officer("a"))
    url = reverse("disputes:act", args=[dispute.pk])
    assert client.post(url, {"action": "fail", "failure_reason": "一方拒绝", "other_routes": "诉讼"}).status_code == 302
    response = client.post(url, {"action": "grade", "grade": "general"})
    assert response.status_code == 400
    assert "不能“考评定级”" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.grade == ""


def test_session_bad_inputs_and_another_townships_dispute(world, client, committee):
    dispute = _mediating(world, committee)
    client.force_login(world.users["mediator_a"])
    url = reverse("disputes:session_add", args=[dispute.pk])
    response = client.post(url, {"held_on": (TODAY() + dt.timedelta(days=1)).isoformat(), "place": "村委会",
                                 "attendees": "双方", "record": "陈述"})
    assert response.status_code == 400 and "调解日期不能晚于今天。" in response.content.decode()
    response = client.post(url, {"held_on": "２０２０－０１－０１", "place": "村委会", "attendees": "双方", "record": "陈述"})
    assert f"调解日期不能早于登记日期（{dispute.registered_on:%Y-%m-%d}）。" in response.content.decode()
    assert not MediationSession.objects.exists()
    dispute_b = make_dispute(world, "b")
    for name in ("session_add", "party_add", "co_mediators"):
        assert client.get(reverse(f"disputes:{name}", args=[dispute_b.pk])).status_code == 404
        assert client.post(reverse(f"disputes:{name}", args=[dispute_b.pk]), {"name": "x"}).status_code == 404
    party_b = dispute_b.parties.first()
    client.force_login(world.officer("a"))
    assert client.post(reverse("disputes:party_edit", args=[party_b.pk]), {"name": "x"}).status_code == 404
    assert client.post(reverse("disputes:party_remove", args=[party_b.pk])).status_code == 404
    assert dispute_b.parties.count() == 2


def test_list_filters_and_query_counts(world, client, committee, django_assert_max_num_queries):
    settled = _mediating(world, committee)
    from pingan.cases import engine

    engine.transition(actor=world.users["mediator_a"], case=settled, action="settle",
                      data={"agreement_form": "oral", "agreement_terms": "道歉", "agreement_on": TODAY()})
    for i in range(5):
        make_dispute(world, title=f"纠纷{i}", category="0101" if i % 2 else "0699")
    make_dispute(world, "b", title="荫营纠纷")
    client.force_login(world.users["center_staff"])
    url = reverse("disputes:list")

    def numbers(params):
        return [d.title for d in client.get(url, params).context["page"]]

    assert "荫营纠纷" in numbers({})
    assert sorted(numbers({"place": "固庄"})) == sorted(["张某与李某宅基地边界纠纷"] + [f"纠纷{i}" for i in range(5)])
    assert sorted(numbers({"category": "01"})) == ["纠纷1", "纠纷3"]
    assert numbers({"state": "resolved"}) == ["张某与李某宅基地边界纠纷"]
    assert numbers({"mediator": committee[1].pk}) == ["张某与李某宅基地边界纠纷"]
    assert client.get(url, {"registered_from": "不是日期"}).status_code == 400
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    for i in range(10):
        make_dispute(world, title=f"更多{i}")
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("disputes:queue")).status_code == 200


def test_co_mediators_page_reads_back(world, client, committee):
    dispute = _mediating(world, committee)
    helper = make_mediator(world, committee[0], "孙协办")
    client.force_login(world.officer("a"))
    url = reverse("disputes:co_mediators", args=[dispute.pk])
    page = client.get(url).content.decode()
    assert "孙协办（固庄村委会人民调解委员会）" in page and "王调解（" not in page  # the main mediator is not offered
    assert client.post(url, {"mediators": [helper.pk]}).status_code == 302
    assert list(dispute.co_mediators.values_list("name", flat=True)) == ["孙协办"]
    assert AuditEntry.objects.filter(action="dispute.co_mediators").get().changes["co_mediators"] == [[], [helper.pk]]
    assert "孙协办" in client.get(url).content.decode()


def test_judicial_confirmation_window_expired(world, client, committee):
    from pingan.cases import engine

    today = TODAY()
    dispute = make_dispute(world, occurred_on=today - dt.timedelta(days=60),
                           registered_on=today - dt.timedelta(days=50))
    org, mediator = committee
    engine.transition(actor=world.officer("a"), case=dispute, action="accept",
                      data={"mediation_org": org, "mediator": mediator, "assigned_department": None})
    agreed = today - dt.timedelta(days=31)
    engine.transition(actor=world.users["mediator_a"], case=dispute, action="settle",
                      data={"agreement_form": "written", "agreement_terms": "赔偿 200 元", "agreement_on": agreed})
    client.force_login(world.users["mediator_a"])
    page = client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    assert f"申请期限 {today - dt.timedelta(days=1):%Y-%m-%d}（协议日期 + 30 天）" in page and "已过期" in page
    response = client.post(reverse("disputes:act", args=[dispute.pk]), {
        "action": "judicial_apply", "judicial_applied_on": today.isoformat(), "judicial_court": "郊区人民法院"})
    assert response.status_code == 400
    assert f"期限已于{today - dt.timedelta(days=1):%Y-%m-%d}届满" in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.judicial_applied_on is None
