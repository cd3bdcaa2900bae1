"""The body blocks give the default .docx and the printable page from one description: a table repeats a row
per item, copies repeat the whole body in order with a page break between, `available` and `capability` limit
who is offered what; the context helpers write dates, sums and personal numbers as documents do."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document

from pingan.documents import context as ctx
from pingan.documents.blocks import Field, PageBreak, Para, Signatures, Table, Title
from pingan.documents.registry import DocumentType, documents_for, register_document, unregister_document
from pingan.documents.render import render_docx, render_html_context
from pingan.hazards.testing import make_hazard

KEY = "documents.test_agreement"


def agreement(**overrides) -> DocumentType:
    values = dict(
        key=KEY, title="测试协议书", model="hazards.hazard",
        body=(Title("测试协议书"), Para("编号：{{ number }}", align="right", indent=False),
              Table([("当事人", "row.name"), ("电话", "row.phone")], rows="parties"),
              Field("协议内容", "terms"), PageBreak(), Signatures(["甲方", "乙方"])),
        context=lambda obj, user, full: {
            "number": obj.number, "terms": "甲方于 2026 年 12 月 31 日前清理废品 & 恢复通道",
            "parties": [{"name": "张三", "phone": ctx.phone("13812345678", full)},
                        {"name": "李四", "phone": ctx.phone("0353-7654321", full)}]},
        copies=lambda obj: ["甲方当事人 张三 执", "乙方当事人 李四 执", "调解委员会 留存"],
    )
    values.update(overrides)
    return DocumentType(**values)


@pytest.fixture
def registered():
    doc_type = register_document(agreement())
    yield doc_type
    unregister_document(KEY)


@pytest.mark.django_db
def test_three_copies_repeat_the_body_in_order_with_page_breaks(world, registered):
    hazard = make_hazard(world, "a")
    data = render_docx(registered, hazard, world.officer("a"))
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    labels = [t for t in texts if t.endswith(" 执") or t.endswith(" 留存")]
    assert labels == ["甲方当事人 张三 执", "乙方当事人 李四 执", "调解委员会 留存"]
    assert texts.count(f"编号：{hazard.number}") == 3
    assert texts.count("协议内容：甲方于 2026 年 12 月 31 日前清理废品 & 恢复通道") == 3
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    # one PageBreak block per copy, and one between copies (none after the last)
    assert xml.count('w:type="page"') == 3 + 2
    # the table: a header row and one row per party, in each copy
    assert len(doc.tables) == 3
    assert [[c.text for c in row.cells] for row in doc.tables[0].rows] == [
        ["当事人", "电话"], ["张三", "138****5678"], ["李四", "0353-*****21"]]


@pytest.mark.django_db
def test_the_printable_page_comes_from_the_same_blocks(world, registered):
    hazard = make_hazard(world, "a")
    html = str(render_html_context(registered, hazard, world.officer("a"))["document"])
    assert html.count('<section class="doc-page">') == 3
    assert html.index("甲方当事人 张三 执") < html.index("乙方当事人 李四 执") < html.index("调解委员会 留存")
    assert '<td data-label="电话">138****5678</td>' in html
    assert "清理废品 &amp; 恢复通道" in html
    assert html.count("甲方（签名/盖章）") == 3


@pytest.mark.django_db
def test_full_values_reach_the_table_only_when_asked(world, registered):
    hazard = make_hazard(world, "a")
    doc = Document(io.BytesIO(render_docx(registered, hazard, world.officer("a"), full=True)))
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["张三", "13812345678"]


@pytest.mark.django_db
def test_available_and_capability_decide_what_is_offered(world):
    hazard = make_hazard(world, "a")
    register_document(agreement(available=lambda obj: obj.state == "rectified", key="documents.test_settled"))
    register_document(agreement(capability="hazards.accept", key="documents.test_accept"))
    try:
        officer = [t.key for t in documents_for(hazard, world.officer("a"))]
        assert "documents.test_settled" not in officer and "documents.test_accept" in officer
        village = [t.key for t in documents_for(hazard, world.users["village_a"])]
        assert "documents.test_accept" not in village
    finally:
        unregister_document("documents.test_settled")
        unregister_document("documents.test_accept")


def test_a_key_must_name_its_app_and_blocks_must_be_blocks():
    with pytest.raises(ValueError):
        agreement(key="Agreement")
    with pytest.raises(TypeError):
        agreement(body=("不是块",))
    with pytest.raises(ValueError):
        Para("x", align="justify")


def test_the_variables_are_read_from_the_body():
    assert agreement().variable_names() == ["number", "parties", "terms"]


def test_dates_are_written_the_chinese_way():
    assert ctx.cn_date(dt.date(2017, 3, 5)) == "2017年3月5日"
    assert ctx.cn_date(dt.date(2026, 12, 31)) == "2026年12月31日"
    assert ctx.cn_date(None) == ""


@pytest.mark.parametrize("amount, words", [
    ("3000", "叁仟元整"), ("1005.50", "壹仟零伍元伍角整"), ("0.05", "伍分"), ("10001", "壹万零壹元整"),
    ("100000000", "壹亿元整"), ("1.05", "壹元零伍分"), ("25000.80", "贰万伍仟元捌角整"), ("-1", ""), ("abc", ""),
])
def test_sums_are_written_in_capitals(amount, words):
    assert ctx.cn_money(amount) == words


def test_personal_numbers_are_masked_with_the_platforms_one_mask_unless_full():
    assert ctx.id_number("14031119900101123X", False) == "1403************3X"
    assert ctx.id_number("14031119900101123X", True) == "14031119900101123X"
    assert ctx.phone("13812345678", False) == "138****5678"
    assert ctx.person_line({"name": "张三", "id_number": "14031119900101123X", "phone": "13812345678"}, False) \
        == "张三（公民身份号码 1403************3X，电话 138****5678）"
    assert ctx.person_line({"name": "李四"}, True) == "李四"
