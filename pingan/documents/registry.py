"""Document types: official documents (.docx) built from a case or a record, declared once by the module that
owns the record, in its `<app>/documents.py` (found by `autodiscover`, as indicators are).

    register_document(DocumentType(
        key="hazards.rectify_notice", title="风险隐患整改通知书", model="hazards.hazard",
        body=(Title("风险隐患整改通知书"), Field("编号", "number"), ...),
        context=lambda obj, user, full: {...},
    ))

`documents_for(obj, user)` lists the types offered for one object (already fetched through `visible_to`).

A *report* is a document type about no single record (`model=None`): its `context(report, user, full)` is
given whatever the caller computed (pingan.reports gives its indicator figures), it has no per-record routes
(`record_types()` are the others), and its template is edited on the same 文书模板 page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from . import blocks

KEY_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class DocumentType:
    """One kind of document. `context(obj, user, full)` gives the template's values and must mask personal
    numbers unless `full` (pingan.documents.context helps); `variables` names them for the district's
    template editors ({"number": "编号"})."""

    key: str
    title: str
    model: str | None  # None: a report, about no single record
    body: tuple
    context: Callable[[Any, Any, bool], dict]
    available: Callable[[Any], bool] | None = None
    capability: str | None = None
    copies: Callable[[Any], list[str]] | None = None
    filename: Callable[[Any], str] | None = None
    variables: dict[str, str] = field(default_factory=dict)
    # A report's trial object for an uploaded template: sample(user) -> what `context` takes (None: placeholders).
    sample: Callable[[Any], Any] | None = None

    def __post_init__(self):
        if not KEY_RE.match(self.key):
            raise ValueError(f"document key {self.key!r} must be '<app>.<name>' in lower case")
        for block in blocks.flatten(self.body):
            if not isinstance(block, (blocks.Title, blocks.Para, blocks.Field, blocks.Table, blocks.Signatures,
                                      blocks.PageBreak, blocks.Image, blocks.When)):
                raise TypeError(f"{self.key}: {block!r} is not a block of pingan.documents.blocks")

    @property
    def is_report(self) -> bool:
        return self.model is None

    @property
    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model) if self.model else None

    def is_available(self, obj: Any) -> bool:
        return self.available is None or bool(self.available(obj))

    def allowed(self, user: Any) -> bool:
        return self.capability is None or bool(user.can(self.capability))

    def copy_labels(self, obj: Any) -> list[str]:
        return [str(label) for label in self.copies(obj)] if self.copies else []

    def file_name(self, obj: Any) -> str:
        name = self.filename(obj) if self.filename else f"{self.title}-{obj.pk}.docx"
        name = re.sub(r'[\\/:*?"<>|\r\n\t]+', "-", str(name)).strip() or f"{self.title}.docx"
        return name if name.lower().endswith(".docx") else f"{name}.docx"

    def variable_names(self) -> list[str]:
        """The variables the default body uses, in order of first use, then those only `variables` names."""
        from jinja2 import meta

        from .render import sandbox

        env = sandbox()
        found: list[str] = []
        for source in body_sources(self.body):
            try:
                names = meta.find_undeclared_variables(env.parse(source))
            except Exception:  # a declaration's own syntax error shows up in its tests, not here
                continue
            found += sorted(n for n in names if n not in found and n not in ("row", "copy", "copies", "loop"))
        return found + [n for n in self.variables if n not in found]


def body_sources(body) -> list[str]:
    """The Jinja sources of a body's blocks (for the variable list and checks)."""
    sources = []
    for block in blocks.flatten(body):
        if isinstance(block, (blocks.Title, blocks.Para)):
            sources.append(block.text)
        elif isinstance(block, blocks.Field):
            sources.append(blocks.as_jinja(block.expr))
        elif isinstance(block, blocks.Table):
            sources.append("{% for row in " + block.rows + " %}"
                           + "".join(blocks.as_jinja(expr) for _h, expr in block.columns) + "{% endfor %}")
        elif isinstance(block, blocks.Signatures):
            sources += list(block.labels)
        elif isinstance(block, (blocks.Image, blocks.When)):
            sources.append(blocks.as_jinja(block.expr))
    return sources


_TYPES: dict[str, DocumentType] = {}
_discovered = False


def register_document(doc_type: DocumentType) -> DocumentType:
    if doc_type.key in _TYPES and _TYPES[doc_type.key] is not doc_type:
        raise ValueError(f"document type {doc_type.key} is registered twice")
    _TYPES[doc_type.key] = doc_type
    return doc_type


def unregister_document(key: str) -> None:
    """For tests that register a type of their own."""
    _TYPES.pop(key, None)


def autodiscover() -> None:
    """Import every Pingan app's `documents` module (each registers its types)."""
    global _discovered
    if _discovered:
        return
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("documents")  # every installed app's `documents` module, as the admin finds `admin`
    _discovered = True


def all_types() -> list[DocumentType]:
    autodiscover()
    return sorted(_TYPES.values(), key=lambda t: t.key)


def record_types() -> list[DocumentType]:
    """The types about one record (each has its download, full and print routes); reports are not among them."""
    return [t for t in all_types() if not t.is_report]


def document_type(key: str) -> DocumentType | None:
    autodiscover()
    return _TYPES.get(key)


def documents_for(obj: Any, user: Any) -> list[DocumentType]:
    """The types offered for `obj` (which the caller fetched through visible_to(user)) to `user`."""
    if obj is None or user is None or not getattr(user, "is_authenticated", False):
        return []
    label = obj._meta.label_lower
    return [t for t in all_types() if t.model == label and t.allowed(user) and t.is_available(obj)]
