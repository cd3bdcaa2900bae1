"""Rendering: a document type's template (the district's upload, or the default built from the body) filled
with the object's context by docxtpl, and the printable page from the same blocks and the same context.

An uploaded template is hostile input. It is rendered in a jinja2 ImmutableSandboxedEnvironment with
autoescape: no access to internals (`''.__class__` is undefined), no other file (include, import and extends
find nothing), no huge strings or ranges, user text with < & " written as text. An undefined name renders
empty. Anything that goes wrong is a ValidationError in Chinese, never a server error.
"""
from __future__ import annotations

import operator
import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from jinja2 import BaseLoader, ChainableUndefined, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from . import blocks
from .context import cn_date

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_REPEAT = 100_000  # the longest string or list a template may make with * (a sheet of text, not a bomb)


class _NoFiles(BaseLoader):
    def get_source(self, environment, template):
        raise TemplateNotFound(template)


class _Sandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > 100:
                raise SecurityError("幂次过大")
            return operator.pow(left, right)
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_REPEAT:
                raise SecurityError("重复次数过多")
        return operator.mul(left, right)


def sandbox() -> _Sandbox:
    env = _Sandbox(loader=_NoFiles(), undefined=ChainableUndefined, autoescape=True)
    env.globals.pop("lipsum", None)
    env.globals.pop("range", None)
    return env


def _where(exc: TemplateError) -> str:
    """Where in the document: docxtpl puts each paragraph on its own line, so the line is the paragraph."""
    lines = [line.strip() for line in getattr(exc, "docx_context", []) or [] if line.strip()]
    text = lines[len(lines) // 2] if lines else ""
    lineno = getattr(exc, "lineno", None)
    parts = []
    if lineno:
        parts.append(f"第 {max(lineno - 1, 1)} 段")
    if text:
        parts.append(f"“{text[:60]}”附近")
    return "（" + "，".join(parts) + "）" if parts else ""


def _refusal(exc: Exception) -> ValidationError:
    if isinstance(exc, TemplateSyntaxError):
        return ValidationError(f"模板的填写标记有语法错误{_where(exc)}：{exc.message}。"
                               f"请检查 {{{{ }}}} 与 {{% %}} 是否成对、拼写是否正确。", code="syntax")
    if isinstance(exc, TemplateNotFound) or "no loader" in str(exc):
        return ValidationError("模板不能引用其他文件（include、import、extends 都不允许）。", code="include")
    if isinstance(exc, SecurityError):
        return ValidationError(f"模板使用了不允许的写法：{exc}。模板里只能填写变量和简单的条件、循环。", code="unsafe")
    if isinstance(exc, TemplateError):
        return ValidationError(f"模板无法生成文档{_where(exc)}：{getattr(exc, 'message', exc)}。", code="template")
    return ValidationError("模板无法生成文档：文件内容不是有效的 Word 文档或含有无法处理的结构。", code="broken")


def stored(docx: bytes) -> bytes:
    """The same .docx with word/document.xml stored rather than deflated: the document's text can be found in
    the file by a plain search (audit sampling, the scoping nets), at the cost of a few tens of kilobytes."""
    src = zipfile.ZipFile(BytesIO(docx))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            method = zipfile.ZIP_STORED if info.filename == "word/document.xml" else zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(info.filename), compress_type=method)
    return out.getvalue()


@dataclass(frozen=True)
class Picture:
    """A picture for a template's `Image` block (or any `{{ value }}`): PNG bytes, `width_mm` wide on the page.
    A context holds Pictures; rendering turns each into docxtpl's InlineImage of the template being filled."""

    png: bytes
    width_mm: int = 150

    def __str__(self) -> str:  # outside a .docx (a trial, a page) a picture writes nothing
        return ""


def _with_images(value: Any, tpl: Any) -> Any:
    """The context with every Picture (in dicts, lists and tuples) made an InlineImage of `tpl`."""
    if isinstance(value, Picture):
        from docx.shared import Mm
        from docxtpl import InlineImage

        return InlineImage(tpl, BytesIO(value.png), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _with_images(v, tpl) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_with_images(v, tpl) for v in value]
    return value


def render_bytes(template: bytes, context: dict[str, Any]) -> bytes:
    """Fill a .docx template with `context`; a ValidationError in Chinese when the template cannot be used."""
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(BytesIO(template))
        tpl.render(_with_images(context, tpl), jinja_env=sandbox(), autoescape=True)
        out = BytesIO()
        tpl.save(out)
        return stored(out.getvalue())
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 — an uploaded template can fail in any part of docxtpl or lxml
        raise _refusal(exc) from exc


def template_source(doc_type) -> tuple[bytes, Any]:
    """(the .docx template in force for the type, the DocumentTemplate row or None for the built default)."""
    from .build import build_default
    from .models import DocumentTemplate

    row = DocumentTemplate.objects.filter(key=doc_type.key).first()
    if row is not None:
        return bytes(row.content), row
    return build_default(doc_type), None


def base_context(doc_type, obj: Any) -> dict[str, Any]:
    copies = doc_type.copy_labels(obj) if obj is not None else []
    if doc_type.is_report:  # a report names its period, never the day it was made (same data, same text)
        return {"title": doc_type.title, "copies": [""], "copy": ""}
    return {"title": doc_type.title, "today": cn_date(timezone.localdate()), "copies": copies or [""],
            "copy": copies[0] if copies else ""}


def document_context(doc_type, obj: Any, user: Any, *, full: bool = False) -> dict[str, Any]:
    """The values a template is filled with: the common ones (title, today, copies) and the type's own."""
    context = base_context(doc_type, obj)
    context.update(doc_type.context(obj, user, full) or {})
    return context


def sample_context(doc_type) -> dict[str, Any]:
    """Placeholder values for a trial render when no real object is at hand: each variable shows its name."""
    context = base_context(doc_type, None)
    for name in doc_type.variable_names():
        context.setdefault(name, f"〔{doc_type.variables.get(name, name)}〕")
    for block in blocks.flatten(doc_type.body):
        if isinstance(block, blocks.Table) and "." not in block.rows:
            context[block.rows] = [{}]
    if doc_type.copies is not None:
        context["copies"] = ["〔份别〕"]
    return context


def render_docx(doc_type, obj: Any, user: Any, *, full: bool = False) -> bytes:
    """The document for `obj` as .docx bytes (the district's template when there is one)."""
    template, _row = template_source(doc_type)
    return render_bytes(template, document_context(doc_type, obj, user, full=full))


# ------------------------------------------------------------------------------------------- the page
def _html_block(block) -> str:
    if isinstance(block, blocks.Title):
        return f'<h1 class="doc-title">{block.text}</h1>'
    if isinstance(block, blocks.Para):
        classes = ["doc-para", f"doc-{block.align}"] + (["doc-bold"] if block.bold else []) \
            + (["doc-indent"] if block.indent else [])
        return f'<p class="{" ".join(classes)}">{block.text}</p>'
    if isinstance(block, blocks.Field):
        return (f'<p class="doc-field"><span class="doc-label">{block.label}：</span>'
                f'{blocks.as_jinja(block.expr)}</p>')
    if isinstance(block, blocks.Table):
        head = "".join(f"<th>{h}</th>" for h, _e in block.columns)
        cells = "".join(f'<td data-label="{h}">{blocks.as_jinja(e)}</td>' for h, e in block.columns)
        return (f'<div class="table-wrap"><table class="doc-table stack"><thead><tr>{head}</tr></thead><tbody>'
                f"{{% for row in {block.rows} %}}<tr>{cells}</tr>{{% endfor %}}</tbody></table></div>")
    if isinstance(block, blocks.Signatures):
        return "".join(f'<div class="doc-sign"><p>{label}（签名/盖章）：<span class="doc-line"></span></p>'
                       f'<p>日期：<span class="doc-line doc-line-short"></span>年<span class="doc-line doc-line-tiny">'
                       f'</span>月<span class="doc-line doc-line-tiny"></span>日</p></div>' for label in block.labels)
    if isinstance(block, blocks.PageBreak):
        return '<div class="doc-break"></div>'
    if isinstance(block, blocks.When):
        return "{% if " + block.expr + " %}" + "".join(_html_block(b) for b in block.body) + "{% endif %}"
    return ""  # blocks.Image: the printable page leaves pictures out


def html_source(doc_type) -> str:
    body = "".join(_html_block(block) for block in doc_type.body)
    copy = '{% if copy %}<p class="doc-copy">{{ copy }}</p>{% endif %}'
    return ('{% for copy in copies %}<section class="doc-page">' + copy + body + "</section>{% endfor %}")


def render_html_context(doc_type, obj: Any, user: Any, *, full: bool = False) -> dict[str, Any]:
    """What the printable page shows: `document` (the body as safe HTML, one section per copy, from the same
    blocks and the same context as the default .docx), `title` and `context`."""
    context = document_context(doc_type, obj, user, full=full)
    try:
        html = sandbox().from_string(html_source(doc_type)).render(context)
    except Exception as exc:  # noqa: BLE001
        raise _refusal(exc) from exc
    return {"document": Markup(html), "title": doc_type.title, "context": context}


def docx_text(data: bytes) -> str:
    """The text of a .docx, paragraph by paragraph (tests and the trial render's checks)."""
    from docx import Document

    doc = Document(BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)
