"""Photos attached to a case step: checked and re-encoded by the one validator, `pingan.core.uploads`
(one set of limits; images re-encoded without metadata and stored under their detected type)."""
from __future__ import annotations

from typing import Any, Iterable

from django.core.exceptions import ValidationError

from pingan.core.uploads import ACCEPTED_LABEL, MAX_BYTES, MAX_FILES, CleanImage, clean_image, clean_images

__all__ = ["ACCEPTED_LABEL", "MAX_BYTES", "MAX_FILES", "CleanImage", "clean_image", "prepare_photos"]


def prepare_photos(photos: Iterable[Any], field: str = "photos") -> list[tuple[Any, str]]:
    """[(file, content_type)] ready to store. Uploads are cleaned by `core.uploads.clean_images` (every bad
    file named in one ValidationError under `field`); a `CleanImage` already cleaned (e.g. by an intake
    with its own `max_side`) is taken as it is."""
    photos = [p for p in (photos or []) if p]
    done = [p for p in photos if isinstance(p, CleanImage)]
    raw = [p for p in photos if not isinstance(p, CleanImage)]
    if len(photos) > MAX_FILES:
        raise ValidationError({field: f"一次最多上传 {MAX_FILES} 张照片。"})
    cleaned = clean_images(raw, field=field) if raw else []
    return [(image.file, image.content_type) for image in done + cleaned]

