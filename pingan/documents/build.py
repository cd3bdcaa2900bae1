"""The default .docx template of a document type, built in memory with python-docx from its body blocks:
A4 with the margins of GB/T 9704 (党政机关公文格式), 仿宋 16 pt body, 方正小标宋 22 pt title (the East-Asian font
set through w:eastAsia, which is the one Word uses for Chinese characters; 宋体/黑体 as the fallbacks a machine
without the 方正 fonts shows). The blocks' Jinja stays in the text for docxtpl; tables repeat their rows with
docxtpl's `{%tr %}` and copies repeat the whole body with `{%p %}`.
"""
from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from . import blocks

BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(16)   # 三号
TITLE_SIZE = Pt(22)  # 二号
SMALL_SIZE = Pt(12)  # 小四, for the copy label and table cells
ALIGN = {"left": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _font(run, name: str, size, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), name)


def _para(doc, text: str, *, align: str = "left", bold: bool = False, indent: bool = False,
          font: str = BODY_FONT, size=BODY_SIZE):
    paragraph = doc.add_paragraph()
    paragraph.alignment = ALIGN[align]
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 16 pt
    if text:
        _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _tag(doc, tag: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}); docxtpl replaces the whole paragraph."""
    _para(doc, tag)


def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _cell(cell, text: str, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if bold else WD_ALIGN_PARAGRAPH.LEFT
    if text:
        _font(paragraph.add_run(text), BODY_FONT, SMALL_SIZE, bold)


def _block(doc, block) -> None:
    if isinstance(block, blocks.Title):
        p = _para(doc, block.text, align="center", font=TITLE_FONT, size=TITLE_SIZE)
        p.paragraph_format.space_after = Pt(16)
        p.paragraph_format.line_spacing = Pt(36)
    elif isinstance(block, blocks.Para):
        _para(doc, block.text, align=block.align, bold=block.bold, indent=block.indent)
    elif isinstance(block, blocks.Field):
        p = _para(doc, "")
        _font(p.add_run(f"{block.label}："), BODY_FONT, BODY_SIZE, True)
        value = blocks.as_jinja(block.expr)
        if value:
            _font(p.add_run(value), BODY_FONT, BODY_SIZE)
    elif isinstance(block, blocks.Table):
        n = max(len(block.columns), 1)
        table = doc.add_table(rows=4, cols=n)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, (header, expr) in enumerate(block.columns):
            _cell(table.rows[0].cells[i], header, bold=True)
            _cell(table.rows[2].cells[i], blocks.as_jinja(expr))
        _cell(table.rows[1].cells[0], "{%tr for row in " + block.rows + " %}")
        _cell(table.rows[3].cells[0], "{%tr endfor %}")
        _para(doc, "")
    elif isinstance(block, blocks.Signatures):
        for label in block.labels:
            _para(doc, "")
            _para(doc, f"{label}（签名/盖章）：＿＿＿＿＿＿＿＿", align="right")
            _para(doc, "日期：＿＿＿＿年＿＿月＿＿日", align="right")
    elif isinstance(block, blocks.PageBreak):
        _page_break(doc)
    elif isinstance(block, blocks.Image):
        _para(doc, blocks.as_jinja(block.expr), align="center")
    elif isinstance(block, blocks.When):
        _tag(doc, "{%p if " + block.expr + " %}")
        for inner in block.body:
            _block(doc, inner)
        _tag(doc, "{%p endif %}")


def build_default(doc_type) -> bytes:
    """The default template of `doc_type` as .docx bytes (a docxtpl template: Jinja still in it)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    doc.core_properties.title = doc_type.title
    doc.core_properties.author = "平安"
    repeat = doc_type.copies is not None
    if repeat:
        _tag(doc, "{%p for copy in copies %}")
        _para(doc, "{{ copy }}", align="right", size=SMALL_SIZE)
    for block in doc_type.body:
        _block(doc, block)
    if repeat:
        _tag(doc, "{%p if not loop.last %}")
        _page_break(doc)
        _tag(doc, "{%p endif %}")
        _tag(doc, "{%p endfor %}")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
