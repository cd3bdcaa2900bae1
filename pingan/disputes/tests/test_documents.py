"""The five documents: offered only at the right stage, filled from the case, numbers masked unless full."""
from io import BytesIO

import docx
from django.urls import reverse
from django.utils import timezone

from pingan.cases import engine
from pingan.disputes.testing import make_dispute
from pingan.documents.registry import documents_for
from pingan.documents.render import render_docx


def text_of(content: bytes) -> str:
    document = docx.Document(BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def offered(dispute, user):
    return sorted(t.key for t in documents_for(dispute, user))


def test_documents_by_stage_and_content(world, client, committee):
    org, mediator = committee
    officer = world.officer("a")
    today = timezone.localdate()
    dispute = make_dispute(world, source="petition", referrer_name="郊区信访局", referrer_number="信转〔2026〕7号")
    assert offered(dispute, officer) == ["disputes.application"]
    engine.transition(actor=officer, case=dispute, action="accept",
                      data={"mediation_org": org, "mediator": mediator, "assigned_department": None})
    from pingan.disputes.services import session_add

    session_add(actor=officer, dispute=dispute, data={"held_on": today, "place": "村委会", "attendees": "张三、李四",
                                                      "record": "第一次调解，双方各执一词。"})
    assert offered(dispute, officer) == ["disputes.application", "disputes.record"]
    engine.transition(actor=officer, case=dispute, action="fail",
                      data={"failure_reason": "被申请人拒绝继续调解", "other_routes": "仲裁、诉讼"})
    dispute.refresh_from_db()
    assert offered(dispute, officer) == ["disputes.application", "disputes.record", "disputes.referral_result",
                                         "disputes.termination"]

    application = text_of(render_docx(_type("disputes.application"), dispute, officer))
    assert "张三" in application and "李四" in application and "两家翻建院墙时对边界有争议" in application
    assert "1403************1X" in application and "14031119800101001X" not in application
    full = text_of(render_docx(_type("disputes.application"), dispute, officer, full=True))
    assert "14031119800101001X" in full and "13812345678" in full
    # The age comes from the ID number's birth date (1980-01-01).
    born = 1980
    age = today.year - born - ((today.month, today.day) < (1, 1))
    assert str(age) in application

    record = text_of(render_docx(_type("disputes.record"), dispute, officer))
    assert "第一次调解，双方各执一词。" in record and "王调解" in record

    termination = text_of(render_docx(_type("disputes.termination"), dispute, officer))
    assert "因被申请人拒绝继续调解，本委员会决定终止调解。" in termination
    assert "你们可以依法通过仲裁、诉讼等途径维护自己的权利。" in termination

    result = text_of(render_docx(_type("disputes.referral_result"), dispute, officer))
    assert "郊区信访局：" in result and "信转〔2026〕7号" in result and "调解不成，已终止调解（被申请人拒绝继续调解）" in result

    # Pages: the agreement is not offered for a failed case (404), the termination notice downloads.
    client.force_login(officer)
    assert client.get(reverse("documents:disputes.agreement.download", kwargs={"pk": dispute.pk})).status_code == 404
    response = client.get(reverse("documents:disputes.termination.download", kwargs={"pk": dispute.pk}))
    assert response.status_code == 200 and "终止调解告知书" in text_of(response.content)
    # Township b sees none of it.
    client.force_login(world.officer("b"))
    assert client.get(reverse("documents:disputes.termination.download", kwargs={"pk": dispute.pk})).status_code == 404


def _type(key):
    from pingan.documents.registry import document_type

    return document_type(key)
