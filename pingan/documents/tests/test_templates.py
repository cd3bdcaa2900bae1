"""The district's own templates: an upload with its own wording is used for every document of the type, reset
goes back to the default; hostile uploads are refused in Chinese and change nothing; the sandbox renders
nothing harmful; the templates page is the centre's and its query count is pinned."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from pingan.core.models import AuditEntry
from pingan.documents import services
from pingan.documents.build import build_default
from pingan.documents.models import DocumentTemplate
from pingan.documents.registry import document_type
from pingan.documents.render import docx_text
from pingan.hazards.testing import make_hazard

pytestmark = pytest.mark.django_db

KEY = "hazards.rectify_notice"
TEMPLATES = "/documents/templates/"
UPLOAD = "/documents/templates/upload/"
RESET = "/documents/templates/reset/"


def docx_with(*paragraphs: str) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def upload_file(data: bytes, name: str = "本区模板.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def zip_of(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.fixture
def hazard(world):
    return make_hazard(world, "a", responsible_person="王建国", responsible_phone="13812345678")


@pytest.fixture
def admin(world):
    return world.users["district_admin"]


def download(client, hazard) -> str:
    response = client.get(reverse(f"documents:{KEY}.download", kwargs={"pk": hazard.pk}))
    assert response.status_code == 200
    return docx_text(response.content)


def test_a_district_template_with_its_own_wording_is_used_and_reset_goes_back(world, login, hazard, admin):
    client = login(admin)
    data = docx_with("郊区综治中心隐患整改通知", "文号：郊综治〔2026〕{{ number }}号", "请{{ unit }}于{{ deadline }}前整改。")
    response = client.post(UPLOAD, {"key": KEY, "upload": upload_file(data), "note": "2026 版"})
    assert response.status_code == 302
    row = DocumentTemplate.objects.get(key=KEY)
    assert (row.filename, row.note, row.uploaded_by, row.jurisdiction) == ("本区模板.docx", "2026 版", admin, admin.scope)
    text = download(login(world.officer("a")), hazard)
    assert "郊区综治中心隐患整改通知" in text
    assert f"文号：郊综治〔2026〕{hazard.number}号" in text
    assert "请河底派出所于" in text
    entry = AuditEntry.objects.get(action="documents.template_upload")
    assert entry.changes["after"]["filename"] == "本区模板.docx"

    assert login(admin).post(RESET, {"key": KEY}).status_code == 302
    assert not DocumentTemplate.objects.exists()
    text = download(login(world.officer("a")), hazard)
    assert "郊区综治中心隐患整改通知" not in text and "风险隐患整改通知书" in text
    assert AuditEntry.objects.filter(action="documents.template_reset").count() == 1


def test_the_current_template_can_be_downloaded_default_then_the_districts(login, admin):
    client = login(admin)
    default = client.get(f"/documents/templates/download/?key={KEY}")
    assert default.status_code == 200
    assert "{{ number }}" in docx_text(default.content)  # the template itself, Jinja still in it
    services.template_upload(actor=admin, key=KEY, upload=upload_file(docx_with("本区 {{ number }}")))
    assert "本区 {{ number }}" in docx_text(client.get(f"/documents/templates/download/?key={KEY}").content)
    assert client.get("/documents/templates/download/?key=nope.nope").status_code == 404


def _refused(client, data: bytes, name: str = "t.docx") -> str:
    response = client.post(UPLOAD, {"key": KEY, "upload": upload_file(data, name)})
    assert response.status_code == 400
    assert not DocumentTemplate.objects.exists()
    assert not AuditEntry.objects.filter(action="documents.template_upload").exists()
    return response.content.decode()


def test_a_file_that_is_not_a_zip_is_refused(login, admin):
    assert "这不是 Word 文档（.docx）文件" in _refused(login(admin), b"{\\rtf1 not a docx}")


def test_a_zip_without_word_document_xml_is_refused(login, admin):
    body = _refused(login(admin), zip_of({"[Content_Types].xml": b"<Types/>", "hello.txt": b"hi"}))
    assert "没有 word/document.xml" in body


def test_a_macro_document_is_refused_by_its_name_and_by_its_content(login, admin):
    macro = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
                    "word/vbaProject.bin": b"\x00\x01"})
    assert "不接受含宏" in _refused(login(admin), macro, "evil.docm")
    assert "vbaProject.bin" in _refused(login(admin), macro, "innocent.docx")


def test_a_file_over_5_mb_is_refused(login, admin):
    assert "不能超过 5 MB" in _refused(login(admin), b"PK" + b"\0" * (6 * 1024 * 1024))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(login, admin):
    bomb = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>",
                   "word/media/big.bin": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 5 * 1024 * 1024  # small on disk
    assert "解压后超过 50 MB" in _refused(login(admin), bomb)


def test_a_jinja_syntax_error_is_refused_in_chinese_with_its_place(login, admin):
    body = _refused(login(admin), docx_with("第一段", "编号：{{ number ", "第三段"))
    assert "语法错误" in body and "第 2 段" in body and "编号：{{ number" in body


def test_sandbox_escapes_render_nothing_harmful(world, login, admin, hazard):
    data = docx_with("A{{ ''.__class__.__mro__ }}B", "C{{ number.__class__.__subclasses__() }}D",
                     "E{{ config }}{{ request }}{{ settings }}F")
    try:
        services.template_upload(actor=admin, key=KEY, upload=upload_file(data))
    except Exception as exc:  # refusing is as good as rendering nothing
        assert "不允许" in str(exc) or "试生成失败" in str(exc)
        return
    text = download(login(world.officer("a")), hazard)
    assert "AB" in text and "class" not in text and "EF" in text


def test_include_of_a_file_is_refused(login, admin):
    body = _refused(login(admin), docx_with("{% include '/etc/passwd' %}"))
    assert "不能引用其他文件" in body
    assert "root:" not in body


def test_a_huge_string_is_refused_not_built(login, admin):
    assert "不允许的写法" in _refused(login(admin), docx_with("{{ 'x' * 999999999 }}"))


def test_an_undefined_variable_renders_empty(world, login, admin, hazard):
    services.template_upload(actor=admin, key=KEY, upload=upload_file(docx_with("甲{{ nothing }}{{ nothing.deeper }}乙")))
    assert "甲乙" in download(login(world.officer("a")), hazard)


def test_only_the_centre_manages_templates_and_refusals_are_audited(world, login):
    for persona in ("township_a", "leader", "grid_a"):
        client = login(world.users[persona])
        assert client.get(TEMPLATES).status_code == 403
        assert client.post(UPLOAD, {"key": KEY, "upload": upload_file(docx_with("x"))}).status_code == 403
        assert client.post(RESET, {"key": KEY}).status_code == 403
    assert not DocumentTemplate.objects.exists()
    assert AuditEntry.objects.filter(action="permission_denied").count() == 9
    assert login(world.users["center_staff"]).get(TEMPLATES).status_code == 200


def test_bad_form_input_is_refused_in_chinese(login, admin):
    client = login(admin)
    assert "请选择" in client.post(UPLOAD, {"key": KEY}).content.decode()
    assert "没有这种文书" in client.post(UPLOAD, {"key": "nope.nope", "upload": upload_file(docx_with("x"))}).content.decode()
    response = client.post(RESET, {"key": KEY})
    assert response.status_code == 400 and "默认模板" in response.content.decode()


def test_the_templates_page_lists_each_type_with_its_variables_in_a_fixed_number_of_queries(
        login, admin, django_assert_max_num_queries):
    client = login(admin)
    services.template_upload(actor=admin, key=KEY, upload=upload_file(docx_with("x")))
    with django_assert_max_num_queries(8):
        body = client.get(TEMPLATES).content.decode()
    assert "风险隐患整改通知书" in body and "本区模板" in body
    assert "下载当前模板" in body and "上传替换" in body and "恢复默认" in body
    assert "{{ deadline }}" in body and "整改期限" in body


def test_the_default_template_is_a4_with_the_chinese_fonts_set():
    doc = Document(io.BytesIO(build_default(document_type(KEY))))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    xml = doc.element.xml
    assert 'w:eastAsia="方正小标宋简体"' in xml and 'w:eastAsia="仿宋"' in xml
