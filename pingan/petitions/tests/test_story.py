"""The done-when story of issue 11 (P1), dates worked by hand from the 信访工作条例:

registered 2026-03-02 → 转送/交办 and 受理告知 due 2026-03-17 (第二十二条, 第二十三条: 15 days);
交办 to the 派出所 with 受理 on 2026-03-05 → 办结 due 2026-05-04 (第三十四条: 60 days: 26 left in March,
30 in April, 4 in May); one extension of at most 30 days → at most 2026-06-03, a second refused;
closed with 三到位一处理 and the reply on 2026-04-20 → 复查 may be asked until 2026-05-20 (第三十五条: the
request of 2026-05-21 is refused, that of 2026-05-20 accepted, answered within 30 days: due 2026-06-19);
复核 after the 复查 answer, and a 复核 after 复核 refused citing 第三十六条.
"""
import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pingan.cases import engine
from pingan.cases.models import Extension, TransitionLog, WorkflowAttachment
from pingan.core.models import AuditEntry
from pingan.documents.registry import document_type
from pingan.documents.services import document_generate
from pingan.petitions import choices as c
from pingan.petitions.models import Petition, Petitioner
from pingan.petitions.services import petition_register
from pingan.petitions.testing import VALID_ID

from .conftest import BJ, png

D = dt.date


def end_of(day):
    return dt.datetime(day.year, day.month, day.day, tzinfo=BJ) + dt.timedelta(days=1)


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_petition_story(world, clock):
    officer, handler, centre = world.officer("a"), world.users["handler_a"], world.users["center_staff"]
    police = world.departments["police_a"]

    # 2026-03-02: a letter, scanned, registered with its writer.
    clock(D(2026, 3, 2))
    petition = petition_register(actor=officer, data={
        "jurisdiction": world.village("a"), "form": c.Form.LETTER, "registered_on": D(2026, 3, 2),
        "petition_type": c.PetitionType.APPEAL, "topic_text": "土地征收补偿", "content": "反映征地补偿款未足额发放",
        "head_count": 1, "source": c.Source.LOCAL,
    }, petitioners=[{"name": "赵大", "id_number": VALID_ID, "phone": "13912345678"}], attachments=[png()])
    assert petition.number == f"XF{world.township('a').code}20260302001"
    assert petition.state == "registered"
    assert petition.forward_due_on == D(2026, 3, 17) and petition.acknowledge_due_on == D(2026, 3, 17)
    assert petition.due_at == end_of(D(2026, 3, 17))
    assert WorkflowAttachment.objects.for_case(petition).count() == 1
    person = Petitioner.objects.get(petition=petition)
    assert (person.name, person.id_masked, person.phone_masked) == ("赵大", "1403************1X", "139****5678")
    assert VALID_ID not in person.id_cipher and person.id_hash

    # 2026-03-05: 交办 to the 派出所, 受理 the same day; the unit tells the petitioner.
    clock(D(2026, 3, 5))
    engine.transition(actor=officer, case=petition, action="assign",
                      data={"assigned_department": police, "accepted_on": D(2026, 3, 5)})
    assert petition.state == "handling" and petition.assigned_on == D(2026, 3, 5)
    assert petition.handling_due_on == D(2026, 5, 4) and petition.due_at == end_of(D(2026, 5, 4))
    engine.transition(actor=handler, case=petition, action="acknowledge",
                      data={"acknowledged_on": D(2026, 3, 5), "acknowledge_method": "书面告知"})
    engine.transition(actor=handler, case=petition, action="investigate", data={"investigation": "调取补偿款发放台账"})
    petition.refresh_from_db()
    assert petition.acknowledged_on == D(2026, 3, 5) and petition.state == "handling"
    assert petition.due_at == end_of(D(2026, 5, 4))  # note-only steps keep the clock

    # An extension beyond 30 days is refused citing 第三十四条; 2026-06-03 (exactly 30) is asked.
    clock(D(2026, 4, 1))
    with pytest.raises(ValidationError) as refused:
        engine.extension_request(actor=handler, case=petition, new_deadline=D(2026, 6, 4), reason="需补充调查")
    assert "一次延期不能超过 30 天" in str(refused.value) and "第三十四条" in str(refused.value)
    extension = engine.extension_request(actor=handler, case=petition, new_deadline=D(2026, 6, 3), reason="需补充调查")
    engine.extension_decide(actor=officer, extension=extension, case=petition, approve=True)
    petition.refresh_from_db()
    assert petition.handling_due_on == D(2026, 6, 3) and petition.due_at == end_of(D(2026, 6, 3))
    # The petitioner is told (a note is required).
    with pytest.raises(ValidationError) as refused:
        engine.transition(actor=handler, case=petition, action="tell_extension",
                          data={"extension_told_on": D(2026, 4, 1)})
    assert "note" in refused.value.message_dict
    engine.transition(actor=handler, case=petition, action="tell_extension",
                      data={"extension_told_on": D(2026, 4, 1)}, note="已告知信访人延期理由：需补充调查")
    # A second extension is refused citing 第三十四条, nothing written.
    with pytest.raises(ValidationError) as refused:
        engine.extension_request(actor=handler, case=petition, new_deadline=D(2026, 6, 10), reason="再延")
    assert refused.value.message_dict["new_deadline"] == [
        "此信访事项已延期 1 次，不能再申请延期（《信访工作条例》第三十四条：办理期限经批准可以延长一次，延长期限不得超过30日）。"]
    assert Extension.objects.for_case(petition).count() == 1

    # The handler drafts the 信访处理意见书; the township closes it (办结 needs 三到位一处理, 第二十七条).
    clock(D(2026, 4, 20))
    engine.transition(actor=handler, case=petition, action="draft_opinion",
                      data={"opinion": c.Opinion.SUPPORT, "opinion_reasons": "补偿款确有少发，责成补发"})
    with pytest.raises(PermissionDenied):  # the department handler does not close it
        engine.transition(actor=handler, case=petition, action="resolve",
                          data={"opinion": c.Opinion.SUPPORT, "reply_on": D(2026, 4, 20), "sanwei_solved": True})
    with pytest.raises(ValidationError) as refused:
        engine.transition(actor=officer, case=petition, action="resolve",
                          data={"opinion": c.Opinion.SUPPORT, "reply_on": D(2026, 4, 20)})
    assert "第二十七条" in refused.value.message_dict["sanwei_solved"][0]
    petition.refresh_from_db()
    assert petition.state == "handling" and petition.reply_on is None  # nothing half-written
    engine.transition(actor=officer, case=petition, action="resolve",
                      data={"opinion": c.Opinion.SUPPORT, "reply_on": D(2026, 4, 20), "sanwei_solved": True,
                            "sanwei_assisted": True, "result_note": "补偿款已补发到位"})
    petition.refresh_from_db()
    assert petition.state == "resolved" and petition.closed_on == D(2026, 4, 20) and petition.due_at is None
    assert petition.sanwei_labels == ["解决问题到位", "帮扶救助到位"]

    # 复查: 2026-05-21 is the 31st day after the reply → refused citing 第三十五条; 2026-05-20 accepted.
    clock(D(2026, 5, 21))
    with pytest.raises(ValidationError) as refused:
        engine.transition(actor=officer, case=petition, action="review_request",
                          data={"review_requested_on": D(2026, 5, 21)})
    message = refused.value.message_dict["review_requested_on"][0]
    assert "第三十五条" in message and "2026-05-20" in message
    engine.transition(actor=officer, case=petition, action="review_request",
                      data={"review_requested_on": D(2026, 5, 20), "review_body": "区信访联席会议办公室"})
    petition.refresh_from_db()
    assert petition.state == "reviewing" and petition.review_due_on == D(2026, 6, 19)
    assert petition.due_at == end_of(D(2026, 6, 19)) and petition.closed_at is None

    clock(D(2026, 6, 10))
    engine.transition(actor=officer, case=petition, action="review_conclude",
                      data={"review_decision": c.ReviewDecision.UPHOLD, "review_reasons": "原处理意见正确",
                            "review_reply_on": D(2026, 6, 10)})
    clock(D(2026, 6, 15))
    engine.transition(actor=centre, case=petition, action="recheck_request", data={"recheck_requested_on": D(2026, 6, 15)})
    petition.refresh_from_db()
    assert petition.state == "rechecking" and petition.recheck_due_on == D(2026, 7, 15)
    engine.transition(actor=centre, case=petition, action="recheck_conclude",
                      data={"recheck_decision": c.ReviewDecision.UPHOLD, "recheck_reasons": "维持",
                            "recheck_reply_on": D(2026, 6, 15)})
    petition.refresh_from_db()
    assert petition.state == "rechecked"
    # A 复核 after 复核: refused citing 第三十六条, the case unchanged.
    with pytest.raises(ValidationError) as refused:
        engine.transition(actor=centre, case=petition, action="recheck_request",
                          data={"recheck_requested_on": D(2026, 6, 15)})
    assert "第三十六条" in refused.value.message_dict["recheck_requested_on"][0]
    assert Petition.objects.get(pk=petition.pk).state == "rechecked"
    assert list(TransitionLog.objects.for_case(petition).filter(kind="transition").values_list("action", flat=True)) \
        == ["assign", "acknowledge", "investigate", "tell_extension", "draft_opinion", "resolve", "review_request",
            "review_conclude", "recheck_request", "recheck_conclude"]


def _generate(key, petition, user):
    return docx_text(document_generate(actor=user, doc_type=document_type(key), obj=petition))


def test_documents_open_and_hold_the_case(world, clock):
    officer, centre = world.officer("a"), world.users["center_staff"]
    clock(D(2026, 3, 2))
    petition = petition_register(actor=officer, data={
        "jurisdiction": world.village("a"), "form": c.Form.VISIT, "registered_on": D(2026, 3, 2),
        "content": "反映村道损坏无人维修", "head_count": 1, "source": c.Source.LOCAL,
    }, petitioners=[{"name": "钱二", "id_number": VALID_ID}])
    clock(D(2026, 3, 5))
    engine.transition(actor=officer, case=petition, action="assign",
                      data={"assigned_department": world.departments["police_a"], "accepted_on": D(2026, 3, 5)})
    engine.supervise(actor=centre, case=petition, note="请于三日内报告调查进展")
    clock(D(2026, 3, 20))
    engine.transition(actor=officer, case=petition, action="conclude",
                      data={"opinion": c.Opinion.EXPLAIN, "opinion_reasons": "村道已列入2026年维修计划",
                            "reply_on": D(2026, 3, 20), "sanwei_educated": True})
    petition.refresh_from_db()
    accept = _generate("petitions.accept_notice", petition, officer)
    assert "钱二" in accept and "2026年3月5日" in accept and "2026年5月4日" in accept and "第三十四条" in accept
    sheet = _generate("petitions.assign_sheet", petition, officer)
    assert "河底派出所" in sheet or world.departments["police_a"].name in sheet
    assert "反映村道损坏无人维修" in sheet and "第二十二条" in sheet
    supervise = _generate("petitions.supervise_sheet", petition, officer)
    assert "请于三日内报告调查进展" in supervise
    opinion = _generate("petitions.opinion", petition, officer)
    assert "解释说明" in opinion and "村道已列入2026年维修计划" in opinion
    assert "2026年4月19日" in opinion and "第三十五条" in opinion  # 3-20 + 30 days: the 复查 window
    assert VALID_ID not in opinion + accept + sheet
    # 不予受理: the reason and its article.
    clock(D(2026, 3, 2))
    other = petition_register(actor=officer, data={
        "jurisdiction": world.village("a"), "form": c.Form.CALL, "content": "要求撤销法院判决", "source": c.Source.LOCAL,
    }, petitioners=[{"name": "孙三"}])
    engine.transition(actor=officer, case=other, action="reject",
                      data={"rejection_reason": c.RejectionReason.LEGAL_ROUTE}, note="属于司法程序事项")
    other.refresh_from_db()
    reject = _generate("petitions.reject_notice", other, officer)
    assert "应当通过诉讼、仲裁、行政复议等法定途径解决" in reject and "第三十一条" in reject and "属于司法程序事项" in reject


def test_the_detail_page_shows_the_deadline_panel(world, clock, client):
    officer = world.officer("a")
    clock(D(2026, 3, 2))
    petition = petition_register(actor=officer, data={
        "jurisdiction": world.village("a"), "form": c.Form.VISIT, "registered_on": D(2026, 3, 2),
        "content": "反映噪声扰民", "source": c.Source.LOCAL}, petitioners=[{"name": "李四"}])
    clock(D(2026, 3, 20))  # past the 15 days, not yet acknowledged
    client.force_login(officer)
    page = client.get(reverse("petitions:detail", kwargs={"pk": petition.pk})).content.decode()
    assert "第二十二条" in page and "2026-03-17" in page and "已超期" in page and "受理告知" in page
    engine.transition(actor=officer, case=petition, action="accept", data={"accepted_on": D(2026, 3, 20)})
    engine.transition(actor=officer, case=petition, action="conclude",
                      data={"opinion": c.Opinion.REJECT, "opinion_reasons": "诉求缺乏依据", "reply_on": D(2026, 3, 20),
                            "sanwei_educated": True})
    page = client.get(reverse("petitions:detail", kwargs={"pk": petition.pk})).content.decode()
    assert "可于 2026-04-19 前申请复查" in page


def test_every_step_is_audited(world, clock):
    officer = world.officer("a")
    clock(D(2026, 3, 2))
    petition = petition_register(actor=officer, data={
        "jurisdiction": world.village("a"), "form": c.Form.ONLINE, "content": "建议增设公交站", "source": c.Source.LOCAL,
        "petition_type": c.PetitionType.SUGGESTION}, petitioners=[{"name": "周五"}])
    engine.transition(actor=officer, case=petition, action="forward", data={"forwarded_to": "市交通运输局"})
    actions = list(AuditEntry.objects.filter(object_id=str(petition.pk), object_type="petitions.petition")
                   .values_list("action", flat=True).order_by("id"))
    assert actions == ["petition.create", "petition.petitioner_add", "petition.forward"]


def test_the_refusal_notice_is_offered_only_while_acceptance_is_open_or_once_refused(world, clock):
    """不予受理 is decided on a petition 待受理 only (the reject step leaves that state alone): the notice is offered
    there and after refusal, never on a petition already accepted (办理中)."""
    from pingan.documents.registry import documents_for

    officer = world.officer("a")
    clock(D(2026, 3, 2))

    def keys(petition):
        petition.refresh_from_db()
        return {t.key for t in documents_for(petition, officer)}

    accepted = petition_register(actor=officer, data={
        "jurisdiction": world.village("a"), "form": c.Form.CALL, "content": "反映路灯不亮", "source": c.Source.LOCAL,
    }, petitioners=[{"name": "周五"}])
    assert "petitions.reject_notice" in keys(accepted)
    engine.transition(actor=officer, case=accepted, action="accept", data={"accepted_on": D(2026, 3, 2)})
    assert "petitions.reject_notice" not in keys(accepted)
    assert "petitions.accept_notice" in keys(accepted)
    refused = petition_register(actor=officer, data={
        "jurisdiction": world.village("a"), "form": c.Form.CALL, "content": "要求改判", "source": c.Source.LOCAL,
    }, petitioners=[{"name": "吴六"}])
    engine.transition(actor=officer, case=refused, action="reject",
                      data={"rejection_reason": c.RejectionReason.LEGAL_ROUTE}, note="属于司法程序事项")
    assert "petitions.reject_notice" in keys(refused)
