"""Writes of the documents app, each audited: a district's template uploaded or reset, and every document
generated (a generation writes no row of its own, but it is a disclosure of the record: who, which, whether
personal numbers were in full and why)."""
from __future__ import annotations

import hashlib
import zipfile
from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pingan.core import audit, personal

from . import render
from .models import DocumentTemplate
from .registry import DocumentType, document_type

MANAGE = "documents.manage_templates"
REVEAL = "personal.reveal"
MAX_UPLOAD = 5 * 1024 * 1024          # a template is a few pages of text: 5 MB is generous
MAX_UNPACKED = 50 * 1024 * 1024       # a zip bomb unpacks to far more than this
MAX_ENTRIES = 1000


def _known(key: str) -> DocumentType:
    doc_type = document_type(str(key or ""))
    if doc_type is None:
        raise ValidationError({"key": "没有这种文书。"})
    return doc_type


def _read_upload(upload: Any) -> tuple[bytes, str]:
    if upload is None:
        raise ValidationError({"upload": "请选择要上传的 Word 模板文件（.docx）。"})
    name = str(getattr(upload, "name", "") or "template.docx")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD:
        raise ValidationError({"upload": f"文件过大（{size / 1024 / 1024:.1f} MB），模板文件不能超过 5 MB。"})
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ValidationError({"upload": "文件过大，模板文件不能超过 5 MB。"})
    return data, name


def check_docx(data: bytes, name: str) -> None:
    """Raise a ValidationError (Chinese, naming the problem) unless `data` is a plain .docx: a zip holding
    word/document.xml, unpacking to at most 50 MB, with no macros."""
    lower = name.lower()
    if lower.endswith(".docm") or lower.endswith(".dotm"):
        raise ValidationError({"upload": "不接受含宏的 Word 文件（.docm）：请另存为“Word 文档（*.docx）”后上传。"})
    if not zipfile.is_zipfile(BytesIO(data)):
        raise ValidationError({"upload": "这不是 Word 文档（.docx）文件：请在 Word 或 WPS 中另存为 .docx 后上传"
                                         "（旧版 .doc 格式不能使用）。"})
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            if len(infos) > MAX_ENTRIES:
                raise ValidationError({"upload": "文件中的部件过多，不是正常的 Word 文档。"})
            if sum(info.file_size for info in infos) > MAX_UNPACKED:
                raise ValidationError({"upload": "文件解压后超过 50 MB，不是正常的 Word 模板，已拒绝。"})
            if "word/document.xml" not in names:
                raise ValidationError({"upload": "文件中没有 word/document.xml，不是有效的 Word 文档（.docx）。"})
            if any(n.lower().endswith("vbaproject.bin") or n.lower().endswith(".bin") and "vba" in n.lower()
                   for n in names):
                raise ValidationError({"upload": "文件中含有宏（vbaProject.bin），不接受含宏的文档。"})
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace") \
                if "[Content_Types].xml" in names else ""
            if "macroEnabled" in types or "vbaProject" in types:
                raise ValidationError({"upload": "文件是启用宏的 Word 文档（.docm），不接受含宏的文档。"})
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError, EOFError):
        raise ValidationError({"upload": "文件已损坏或不是有效的 Word 文档（.docx）。"}) from None


def trial_context(doc_type: DocumentType, actor: Any) -> dict[str, Any]:
    """The newest object of the type the actor may see (its real values, masked), a report's sample (the type's
    `sample(actor)`), or placeholder values."""
    try:
        if doc_type.is_report:
            obj = doc_type.sample(actor) if doc_type.sample else None
        else:
            obj = doc_type.model_class.objects.visible_to(actor).order_by("-pk").first()
    except Exception:  # noqa: BLE001 — a model without visible_to, a sample that cannot be made: placeholders
        obj = None
    if obj is not None:
        try:
            return render.document_context(doc_type, obj, actor, full=False)
        except Exception:  # noqa: BLE001 — an object missing what the context needs: placeholders
            pass
    return render.sample_context(doc_type)


@transaction.atomic
def template_upload(*, actor: Any, key: str, upload: Any, note: str = "") -> DocumentTemplate:
    """Replace the template of document type `key` with the uploaded .docx, after checking the file and
    trying it on the newest record the actor may see; refused in Chinese when either fails."""
    if actor is None or not actor.can(MANAGE):
        raise PermissionDenied("您的角色不能管理文书模板。")
    doc_type = _known(key)
    data, name = _read_upload(upload)
    check_docx(data, name)
    try:
        render.render_bytes(data, trial_context(doc_type, actor))
    except ValidationError as exc:
        raise ValidationError({"upload": [f"试生成失败：{m}" for m in exc.messages]}) from None
    note = personal.clean_text(note)[:200]
    base = name.replace("\\", "/").rsplit("/", 1)[-1][:200] or "template.docx"
    values = {"content": data, "filename": base, "size": len(data), "sha256": hashlib.sha256(data).hexdigest(),
              "note": note, "uploaded_by": actor, "uploaded_at": timezone.now(),
              "jurisdiction": actor.scope if getattr(actor, "scope_id", None) else _root()}
    row = DocumentTemplate.objects.filter(key=doc_type.key).first()
    before = {"filename": row.filename, "sha256": row.sha256} if row else {"filename": "（默认模板）"}
    if row is None:
        row = DocumentTemplate(key=doc_type.key, **values)
    else:
        for field, value in values.items():
            setattr(row, field, value)
    row.full_clean()
    row.save()
    audit.record(actor=actor, action="documents.template_upload", obj=row,
                 changes={"key": doc_type.key, "before": before,
                          "after": {"filename": row.filename, "sha256": row.sha256, "size": row.size}},
                 detail=f"上传“{doc_type.title}”模板：{row.filename}")
    return row


def _root():
    from pingan.geo.models import Node

    return Node.objects.filter(parent__isnull=True).order_by("path").first()


@transaction.atomic
def template_reset(*, actor: Any, key: str) -> None:
    """Back to the default template of document type `key` (the district's upload is removed)."""
    if actor is None or not actor.can(MANAGE):
        raise PermissionDenied("您的角色不能管理文书模板。")
    doc_type = _known(key)
    row = DocumentTemplate.objects.filter(key=doc_type.key).first()
    if row is None:
        raise ValidationError({"key": f"“{doc_type.title}”正在使用默认模板，无需恢复。"})
    before = {"filename": row.filename, "sha256": row.sha256}
    audit.record(actor=actor, action="documents.template_reset", obj=row,
                 changes={"key": doc_type.key, "before": before, "after": {"filename": "（默认模板）"}},
                 detail=f"“{doc_type.title}”恢复默认模板")
    row.delete()


def clean_reason(reason: Any) -> str:
    """The reason for full personal numbers: at least personal.MIN_REASON_LENGTH characters (the rule of
    full-value ledger exports and of a single reveal)."""
    reason = " ".join(personal.clean_text(reason).split())[:200]
    if len(reason) < personal.MIN_REASON_LENGTH:
        raise ValidationError({"reason": f"生成含完整身份号码和电话的文书须填写事由（至少 {personal.MIN_REASON_LENGTH} 个字），"
                                         "该操作将记入审计日志。"})
    return reason


def document_generate(*, actor: Any, doc_type: DocumentType, obj: Any, full: bool = False,
                      reason: str = "") -> bytes:
    """The .docx of `doc_type` for `obj` (which the caller fetched through visible_to(actor)), audited with the
    type, the object and whether personal numbers are in full (then with the reason). Full values need
    `personal.reveal` and a reason; the type's capability is checked too."""
    if not doc_type.allowed(actor):
        audit.record(actor=actor, action="documents.generate", obj=obj, outcome="failure",
                     changes={"key": doc_type.key}, detail=f"无权生成{doc_type.title}")
        raise PermissionDenied(f"您的角色不能生成{doc_type.title}。")
    if full:
        if not actor.can(REVEAL):
            audit.record(actor=actor, action="documents.generate", obj=obj, outcome="failure",
                         changes={"key": doc_type.key, "full": True}, detail="无权生成含完整个人号码的文书")
            raise PermissionDenied("您的角色不能生成含完整身份号码和电话的文书。")
        reason = clean_reason(reason)
    data = render.render_docx(doc_type, obj, actor, full=full)
    changes: dict[str, Any] = {"key": doc_type.key, "full": bool(full)}
    detail = f"生成{doc_type.title}" + ("（身份号码和电话为完整值）" if full else "（个人号码已脱敏）")
    if full:
        changes["reason"] = reason
        detail += f"，事由：{reason}"
    audit.record(actor=actor, action="documents.generate", obj=obj, changes=changes, detail=detail)
    return data
