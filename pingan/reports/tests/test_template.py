"""The report's Word template is a document type's template: the district downloads the default (its marks
in it), uploads its own (tried once on a real report first) and every report is made from it from then on."""
from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from pingan.documents import services as doc_services
from pingan.documents.registry import document_type, documents_for, record_types
from pingan.documents.render import docx_text
from pingan.reports import periods, services
from pingan.reports.documents import KEY

pytestmark = pytest.mark.django_db


def docx_of(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_the_report_is_a_document_type_with_no_record_routes(world):
    doc_type = document_type(KEY)
    assert doc_type.is_report and doc_type.model_class is None
    assert doc_type not in record_types()
    assert doc_type.key not in [t.key for t in documents_for(world.village("a"), world.users["center_staff"])]
    names = doc_type.variable_names()
    assert {"report_title", "overview", "headline", "groups", "warnings"} <= set(names)


def test_the_templates_page_offers_the_default_report_template_with_its_marks(world, login):
    client = login(world.users["center_staff"])
    page = client.get("/documents/templates/").content.decode()
    assert "平安建设工作报告" in page
    response = client.get("/documents/templates/download/", {"key": KEY})
    assert response.status_code == 200
    text = docx_text(response.content)
    assert "{{ report_title }}" in text and "{{ groups.hazards.summary }}" in text
    assert "{%p if groups.hazards.rows %}" in text and "{{ groups.hazards.chart }}" in text


def test_an_uploaded_template_is_tried_then_makes_every_report(year):
    staff = year.users["center_staff"]
    upload = SimpleUploadedFile("报告模板.docx", docx_of(
        "{{ scope }}{{ period }}平安建设情况通报", "一、风险隐患：{{ groups.hazards.summary }}",
        "{{ groups.hazards.chart }}", "郊区综治办供稿"))
    doc_services.template_upload(actor=staff, key=KEY, upload=upload)
    content, _ = services.report_generate(actor=staff, period=periods.parse("annual", "2017"), node=year.county,
                                          fmt="docx")
    text = docx_text(content)
    assert text.splitlines() == [
        "郊区2017年平安建设情况通报",
        "一、风险隐患：本期累计排查各类风险隐患10件，整治9件，整治率90.0%（排查数同比上升25.0%，整治率同比提高15.0个百分点）；"
        "至期末逾期未整治0件。",
        "",
        "郊区综治办供稿",
    ]
    assert len(Document(io.BytesIO(content)).inline_shapes) == 1  # the chart
    broken = SimpleUploadedFile("坏模板.docx", docx_of("{{ report_title "))
    with pytest.raises(ValidationError) as exc:
        doc_services.template_upload(actor=staff, key=KEY, upload=broken)
    assert "试生成失败" in str(exc.value) and "语法错误" in str(exc.value)
    doc_services.template_reset(actor=staff, key=KEY)
    content, _ = services.report_generate(actor=staff, period=periods.parse("annual", "2017"), node=year.county,
                                          fmt="docx")
    assert "郊区2017年平安建设工作年度报告" in docx_text(content)
