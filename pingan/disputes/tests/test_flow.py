"""The issue's 'done when': a dispute registered by a grid worker on a phone is mediated to an agreement by a
village committee and the agreement downloads as a .docx a mediator would sign; a dispute referred by the
police reports its result back. Expected values are written out by hand."""
import datetime as dt
from io import BytesIO

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from pingan.cases.models import TransitionLog
from pingan.core.models import AuditEntry
from pingan.disputes.models import Dispute, DisputeParty, MediationSession
from pingan.notifications.models import Notification


def docx_text(content: bytes) -> str:
    document = docx.Document(BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def doc_url(key, dispute, what="download"):
    return reverse(f"documents:{key}.{what}", kwargs={"pk": dispute.pk})


def test_grid_worker_phone_to_village_committee_agreement_docx_and_followup(world, client, api, committee,
                                                                            django_capture_on_commit_callbacks):
    org, mediator = committee
    today = timezone.localdate()
    grid_worker, village, mediator_user = world.users["grid_a"], world.users["village_a"], world.users["mediator_a"]

    # 1. The grid worker opens the phone page (the grid is preselected) and sends it as the offline queue
    #    does: multipart to the API with an idempotency key. A second send (a lost answer) registers nothing.
    client.force_login(grid_worker)
    page = client.get(reverse("disputes:phone")).content.decode()
    assert f'value="{world.grid("a").code}" selected' in page and "events/offline.js" in page
    body = {"jurisdiction": world.grid("a").code, "title": "张三李四宅基地边界纠纷", "category": "房屋宅基地",
            "scale": "01", "people_count": "2", "summary": "两家翻建院墙，对边界有争议。",
            "party1_name": "张三", "party1_phone": "13812345678", "party2_name": "李四", "party2_phone": "",
            "idempotency_key": "phone-key-0001"}
    client_api = api(grid_worker)
    first = client_api.post(reverse("api:dispute-list"), body, format="multipart")
    assert first.status_code == 201, first.json()
    again = client_api.post(reverse("api:dispute-list"), body, format="multipart")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    dispute = Dispute.objects.get()
    assert dispute.number == f"JF140311101{today:%Y%m%d}001"
    assert (dispute.category, dispute.state, dispute.jurisdiction, dispute.reported_by) == (
        "0902", "registered", world.grid("a"), grid_worker)
    assert list(dispute.parties.values_list("side", "name", "phone_masked")) == [
        ("applicant", "张三", "138****5678"), ("respondent", "李四", "")]
    assert AuditEntry.objects.filter(action="dispute.create", outcome="success").count() == 1

    # 2. The village officer accepts it for the village committee with 王调解: the committee has no department,
    #    so no unit is assigned; the mediation deadline is 30 days.
    client.force_login(village)
    form = client.get(reverse("disputes:act", args=[dispute.pk]), {"action": "accept"}).content.decode()
    assert "固庄村委会人民调解委员会" in form and "王调解" in form
    response = client.post(reverse("disputes:act", args=[dispute.pk]), {
        "action": "accept", "mediation_org": org.pk, "mediator": mediator.pk, "resolution_method": "0103"})
    assert response.status_code == 302, response.content.decode()[:3000]
    dispute.refresh_from_db()
    assert (dispute.state, dispute.mediation_org, dispute.mediator, dispute.assigned_department) == (
        "mediating", org, mediator, None)

    # 3. The mediator records a session (the form reads back from the database).
    client.force_login(mediator_user)
    response = client.post(reverse("disputes:session_add", args=[dispute.pk]), {
        "held_on": today.isoformat(), "place": "固庄村调解室", "attendees": "张三、李四、王调解",
        "record": "双方陈述边界争议，同意以 1998 年宅基地证为准。"})
    assert response.status_code == 302, response.content.decode()[:3000]
    session = MediationSession.objects.get()
    assert (session.held_on, session.place, session.mediator, session.recorded_by) == (
        today, "固庄村调解室", mediator, mediator_user)

    # 4. ... and settles it with written terms (a photo of the signing is optional).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("disputes:act", args=[dispute.pk]), {
            "action": "settle", "agreement_form": "written", "agreement_on": today.isoformat(),
            "facts": "两家院墙边界相差 0.3 米。", "responsibilities": "双方均有过错。",
            "agreement_terms": "一、李四于十日内将院墙后退 0.3 米；二、张三不再追究其他费用。",
            "performance": "十日内自行履行", "followup_due_on": (today + dt.timedelta(days=15)).isoformat()})
    assert response.status_code == 302, response.content.decode()[:3000]
    dispute.refresh_from_db()
    assert (dispute.state, dispute.closed_on, dispute.agreement_on) == ("settled", today, today)

    # The page shows the 司法确认 window: agreement date + 30 days, 30 days left.
    detail = client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    last = today + dt.timedelta(days=30)
    assert f"申请期限 {last:%Y-%m-%d}（协议日期 + 30 天）" in detail and "剩余 30 天" in detail
    assert "人民调解协议书" in detail

    # 5. The agreement downloads as a .docx with both parties, the terms and one copy per party plus one.
    response = client.get(doc_url("disputes.agreement", dispute))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(response.content)
    assert "张三" in text and "李四" in text
    assert "一、李四于十日内将院墙后退 0.3 米；二、张三不再追究其他费用。" in text
    assert "本协议书一式三份，当事人各执一份，人民调解委员会留存一份。" in text
    assert text.count("申请人（甲方） 张三 执") == 1
    assert text.count("被申请人（乙方） 李四 执") == 1
    assert text.count("固庄村委会人民调解委员会 留存") == 1
    assert "138****5678" in text and "13812345678" not in text

    # 6. 履行回访 archives it.
    response = client.post(reverse("disputes:act", args=[dispute.pk]), {
        "action": "followup", "followup_on": today.isoformat(), "followup_result": "performed",
        "followup_note": "院墙已后退"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.state, dispute.followup_result) == ("archived", "performed")
    assert list(TransitionLog.objects.for_case(dispute).order_by("id").values_list("action", flat=True)) == [
        "create", "accept", "settle", "followup"]


def test_a_police_referral_is_read_only_for_the_police_and_reported_back(world, client, committee,
                                                                         django_capture_on_commit_callbacks):
    org, mediator = committee
    today = timezone.localdate()
    police = world.departments["police_a"]
    officer, handler, mediator_user = world.officer("a"), world.users["handler_a"], world.users["mediator_a"]

    client.force_login(officer)
    response = client.post(reverse("disputes:create"), {
        "jurisdiction": world.village("a").pk, "title": "邻里噪音纠纷", "occurred_on": today.isoformat(),
        "registered_on": today.isoformat(), "scale": "01", "category": "0299", "people_count": "2",
        "summary": "派出所出警后移送调解。", "source": "police", "referrer_department": police.pk,
        "referrer_number": "河公调字〔2026〕12号", "referred_on": today.isoformat(),
        "party1_kind": "person", "party1_name": "王五", "party2_kind": "person", "party2_name": "赵六"})
    assert response.status_code == 302, response.content.decode()[:3000]
    dispute = Dispute.objects.get()
    assert (dispute.referrer_department, dispute.referrer_name, dispute.referrer_number) == (
        police, "河底派出所", "河公调字〔2026〕12号")

    # The police handler sees it (list and page) but cannot take a step.
    client.force_login(handler)
    assert dispute.number in client.get(reverse("disputes:list")).content.decode()
    page = client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    assert "河公调字〔2026〕12号" in page and "受理并指派调解" not in page
    response = client.post(reverse("disputes:act", args=[dispute.pk]), {"action": "transfer", "note": "x"})
    assert response.status_code == 403

    client.force_login(officer)
    assert client.post(reverse("disputes:act", args=[dispute.pk]), {
        "action": "accept", "mediation_org": org.pk, "mediator": mediator.pk}).status_code == 302
    client.force_login(mediator_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("disputes:act", args=[dispute.pk]), {
            "action": "settle", "agreement_form": "oral", "agreement_on": today.isoformat(),
            "agreement_terms": "赵六晚十点后不再装修施工。"})
    assert response.status_code == 302
    # The police handlers are told a result awaits; nobody else of another department.
    notices = list(Notification.objects.filter(case_type="disputes.dispute", case_id=dispute.pk, kind="system")
                   .values_list("recipient__username", "title"))
    assert notices == [("handler_a", f"移送的纠纷 {dispute.number} 已有化解结果")]
    assert client.post(reverse("disputes:act", args=[dispute.pk]), {"action": "settle"}).status_code == 400

    # An oral agreement: no 协议书; the result notice to the referrer is offered.
    detail = client.get(reverse("disputes:detail", args=[dispute.pk])).content.decode()
    assert "调解结果告知函" in detail and "待反馈" in detail
    assert client.get(doc_url("disputes.agreement", dispute)).status_code == 404
    response = client.post(reverse("disputes:act", args=[dispute.pk]), {
        "action": "report_back", "report_back_note": "已将调解结果函告河底派出所"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.reported_back_on, dispute.report_back_note) == (today, "已将调解结果函告河底派出所")
    notice = client.get(doc_url("disputes.referral_result", dispute))
    assert notice.status_code == 200
    text = docx_text(notice.content)
    assert "河底派出所：" in text and "河公调字〔2026〕12号" in text
    assert "调解成功，当事人于" in text and "赵六晚十点后不再装修施工。" in text
    # The police handler reads the result too, and still cannot act.
    client.force_login(handler)
    assert client.get(reverse("disputes:detail", args=[dispute.pk])).status_code == 200
    assert client.post(reverse("disputes:act", args=[dispute.pk]), {
        "action": "report_back", "report_back_note": "x"}).status_code == 403
    assert DisputeParty.objects.filter(dispute=dispute).count() == 2
