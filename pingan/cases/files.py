"""Validation of uploaded photos: real images only (checked by their bytes, not their name), bounded size."""
from __future__ import annotations

from django.core.exceptions import ValidationError

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 9
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_type(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def validate_images(files, field: str = "photos") -> list[tuple[object, str]]:
    """[(file, content_type)] for a list of uploads, or a ValidationError naming each bad file in Chinese."""
    files = [f for f in (files or []) if f is not None]
    if len(files) > MAX_FILES:
        raise ValidationError({field: f"一次最多上传 {MAX_FILES} 张照片。"})
    result, errors = [], []
    for upload in files:
        name = getattr(upload, "name", "") or "未命名文件"
        size = getattr(upload, "size", None) or 0
        if size <= 0:
            errors.append(f"“{name}”是空文件。")
            continue
        if size > MAX_BYTES:
            errors.append(f"“{name}”超过 10 MB。")
            continue
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        content_type = image_type(head)
        if content_type is None:
            errors.append(f"“{name}”不是图片（只接受 JPEG、PNG、GIF、WebP）。")
            continue
        result.append((upload, content_type))
    if errors:
        raise ValidationError({field: errors})
    return result
