"""A hazard's 风险隐患整改通知书: the Word file opens and carries the record's own words; personal numbers are
masked unless a role that may reveal them asks with a reason (audited with it); another township's record is
404; the printable page and the buttons on the case page."""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from pingan.core.models import AuditEntry
from pingan.documents.registry import document_type, documents_for
from pingan.documents.render import docx_text
from pingan.hazards.testing import make_hazard

pytestmark = pytest.mark.django_db

KEY = "hazards.rectify_notice"


@pytest.fixture
def hazard(world):
    return make_hazard(world, "a", description="废品站堆放易燃物 <w:p> & 消防通道堵塞",
                       location="东街 3 号", responsible_person="王建国", responsible_phone="13812345678",
                       rectify_deadline=dt.date(2026, 12, 31), measures="清理易燃物，打通消防通道")


def url(hazard, what="download"):
    return reverse(f"documents:{KEY}.{what}", kwargs={"pk": hazard.pk})


def text_of(response) -> str:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    return docx_text(response.content)


def test_the_download_opens_in_python_docx_and_carries_the_hazards_own_words(world, login, hazard):
    response = login(world.officer("a")).get(url(hazard))
    assert response.status_code == 200
    doc = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "风险隐患整改通知书"
    assert f"编号：{hazard.number}" in text
    assert "隐患类型：火灾" in text and "风险等级：中" in text
    assert "整改期限：2026年12月31日" in text
    assert "整改要求：清理易燃物，打通消防通道" in text
    assert "东街 3 号" in text
    assert "河底镇综治办（签名/盖章）" in text
    # user text with XML's own characters comes out literally, not as markup
    assert "废品站堆放易燃物 <w:p> & 消防通道堵塞" in text
    # the East-Asian font of the body is set for Chinese characters
    assert 'w:eastAsia="仿宋"' in zipfile.ZipFile(BytesIO(response.content)).read("word/document.xml").decode()


def test_the_filename_is_sent_in_utf8_by_rfc_5987(world, login, hazard):
    response = login(world.officer("a")).get(url(hazard))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E9%A3%8E%E9%99%A9" in disposition  # 风险…


def test_the_phone_is_masked_by_default_and_the_generation_is_audited(world, login, hazard):
    response = login(world.officer("a")).get(url(hazard))
    text = text_of(response)
    assert "王建国（电话 138****5678）" in text
    assert "13812345678" not in response.content.decode("latin-1")
    entry = AuditEntry.objects.filter(action="documents.generate").latest("id")
    assert entry.object_id == str(hazard.pk) and entry.actor == world.officer("a")
    assert entry.changes == {"key": KEY, "full": False}


def test_full_values_need_a_reason_and_are_audited_with_it(world, login, hazard):
    client = login(world.officer("a"))
    page = client.get(url(hazard, "full"))
    assert page.status_code == 200 and "事由" in page.content.decode()
    short = client.post(url(hazard, "full"), {"reason": "送达"})
    assert short.status_code == 400 and "至少 4 个字" in short.content.decode()
    assert not AuditEntry.objects.filter(action="documents.generate").exists()
    response = client.post(url(hazard, "full"), {"reason": "送达责任单位签收"})
    assert response.status_code == 200
    assert "王建国（电话 13812345678）" in text_of(response)
    entry = AuditEntry.objects.filter(action="documents.generate").latest("id")
    assert entry.changes == {"key": KEY, "full": True, "reason": "送达责任单位签收"}


def test_a_role_that_may_not_reveal_gets_403_on_full_values_and_the_denial_is_audited(world, login, hazard):
    client = login(world.users["village_a"])
    assert client.get(url(hazard, "full")).status_code == 403
    assert client.post(url(hazard, "full"), {"reason": "送达责任单位签收"}).status_code == 403
    assert AuditEntry.objects.filter(action="permission_denied", actor=world.users["village_a"]).count() == 2
    assert not AuditEntry.objects.filter(action="documents.generate", outcome="success").exists()


def test_another_townships_hazard_is_404_on_every_route(world, login, hazard):
    client = login(world.officer("b"))
    for what in ("download", "full", "print_detail"):
        assert client.get(url(hazard, what)).status_code == 404
    assert login(world.officer("b")).get(f"/api/v1/documents/{KEY}/{hazard.pk}/").status_code == 404


def test_the_responsible_departments_handler_may_download_it(world, login, hazard):
    assert login(world.users["handler_a"]).get(url(hazard)).status_code == 200


def test_the_printable_page_shows_the_same_words_masked_and_escaped(world, login, hazard):
    response = login(world.officer("a")).get(url(hazard, "print_detail"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "风险隐患整改通知书" in body and hazard.number in body
    assert "王建国（电话 138****5678）" in body and "13812345678" not in body
    assert "废品站堆放易燃物 &lt;w:p&gt; &amp; 消防通道堵塞" in body
    assert "documents/print.js" in body and "documents/print.css" in body
    assert "<script>" not in body and " style=" not in body


def test_the_case_page_offers_the_document_as_plain_buttons(world, login, hazard):
    body = login(world.officer("a")).get(reverse("hazards:detail", kwargs={"pk": hazard.pk})).content.decode()
    assert "下载 Word" in body and url(hazard) in body and url(hazard, "print_detail") in body
    assert url(hazard, "full") in body  # a township officer may reveal
    body = login(world.users["village_a"]).get(reverse("hazards:detail", kwargs={"pk": hazard.pk})).content.decode()
    assert url(hazard) in body and url(hazard, "full") not in body


def test_documents_for_lists_the_type_for_a_hazard_and_nothing_for_anonymous(world, hazard):
    assert [t.key for t in documents_for(hazard, world.officer("a"))] == [KEY]
    from django.contrib.auth.models import AnonymousUser

    assert documents_for(hazard, AnonymousUser()) == []
    assert document_type(KEY).title == "风险隐患整改通知书"


def test_the_api_returns_the_docx_and_lists_the_types(world, api, hazard):
    client = api(world.officer("a"))
    response = client.get(f"/api/v1/documents/{KEY}/{hazard.pk}/")
    assert response.status_code == 200
    assert f"编号：{hazard.number}" in docx_text(response.content)
    types = client.get("/api/v1/documents/types/?model=hazards.hazard").json()
    assert [t["key"] for t in types] == [KEY]
    assert types[0]["variables"]["deadline"] == "整改期限"
    assert client.get("/api/v1/documents/types/?model=people.person").json() == []
    assert AuditEntry.objects.filter(action="documents.generate", object_id=str(hazard.pk)).count() == 1


def test_post_to_the_download_is_refused(world, login, hazard):
    assert login(world.officer("a")).post(url(hazard)).status_code == 405


def test_the_document_xml_is_stored_so_its_text_is_searchable(world, login, hazard):
    data = login(world.officer("a")).get(url(hazard)).content
    info = zipfile.ZipFile(BytesIO(data)).getinfo("word/document.xml")
    assert info.compress_type == zipfile.ZIP_STORED
    assert re.search(hazard.number.encode(), data)
