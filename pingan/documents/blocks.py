"""The blocks a document body is described with, once, in Python: the same description builds the default
.docx template (pingan.documents.build) and the printable page (pingan.documents.render.render_html_context).

`text` and `expr` are Jinja: `Para("编号：{{ number }}")`. An `expr` without `{{`/`{%` is a bare expression and
is wrapped (`Field("编号", "number")` is `{{ number }}`). A `Table` repeats one row per item of the context's
list `rows`; its columns' expressions read the item as `row` (`("姓名", "row.name")`).
"""
from __future__ import annotations

from dataclasses import dataclass


def as_jinja(expr: str) -> str:
    """A bare expression wrapped in {{ }}; text that already holds Jinja markup is returned as is."""
    if "{{" in expr or "{%" in expr:
        return expr
    return "{{ " + expr.strip() + " }}" if expr.strip() else ""


@dataclass(frozen=True)
class Title:
    """The document's title: centred, large, bold (方正小标宋 / 黑体)."""

    text: str


@dataclass(frozen=True)
class Para:
    """A paragraph of body text. `indent`: the first line indented by two characters, as official text is."""

    text: str
    align: str = "left"  # left | center | right
    bold: bool = False
    indent: bool = True

    def __post_init__(self):
        if self.align not in ("left", "center", "right"):
            raise ValueError(f"Para.align must be left, center or right, not {self.align!r}")


@dataclass(frozen=True)
class Field:
    """One "label：value" line."""

    label: str
    expr: str


@dataclass(frozen=True)
class Table:
    """A table: a header row, then one row per item of the context's list `rows` (the item is `row`)."""

    columns: tuple[tuple[str, str], ...]
    rows: str

    def __init__(self, columns, rows: str):
        object.__setattr__(self, "columns", tuple((str(h), str(e)) for h, e in columns))
        object.__setattr__(self, "rows", rows)


@dataclass(frozen=True)
class Signatures:
    """Signature lines: each label with 签名/盖章 and 日期."""

    labels: tuple[str, ...]

    def __init__(self, labels):
        object.__setattr__(self, "labels", tuple(labels))


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class Image:
    """A picture (a chart of a report), centred: the context's value `expr` is a
    `pingan.documents.render.Picture` (PNG bytes and its width), placed by docxtpl as an InlineImage. A missing
    value prints nothing. The printable page leaves pictures out."""

    expr: str


@dataclass(frozen=True)
class When:
    """Blocks kept only when `expr` is true (a Jinja expression): a table with nothing to show is left out
    with its heading. In the .docx a `{%p if expr %}` paragraph before the blocks and `{%p endif %}` after."""

    expr: str
    body: tuple

    def __init__(self, expr: str, body):
        object.__setattr__(self, "expr", expr)
        object.__setattr__(self, "body", tuple(body))


Block = Title | Para | Field | Table | Signatures | PageBreak | Image | When


def flatten(body) -> list:
    """The blocks of a body with those inside `When` listed in place (after their When)."""
    out = []
    for block in body:
        out.append(block)
        if isinstance(block, When):
            out += flatten(block.body)
    return out
