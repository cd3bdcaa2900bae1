"""Uploaded images, checked and cleaned once for every app (event photos, hazard photos, visit photos).

What a client sends is never stored as it came: the file name's extension, the declared content type and
the embedded metadata are the client's to forge. `clean_image(upload)`:

- refuses an empty file or one over `MAX_BYTES`;
- lets Pillow identify and `verify()` the bytes (a text file named `.jpg` is refused);
- refuses more than `MAX_PIXELS` pixels before decoding anything (a decompression bomb: a small PNG of
  50,000 × 50,000 pixels would take gigabytes to decode);
- decodes the image and encodes it again in its detected format (JPEG, PNG, GIF, WebP; BMP and TIFF
  become PNG), turned upright by its EXIF orientation and optionally shrunk to `max_side`. Re-encoding
  drops EXIF, XMP and comments, and with them any GPS position: where a grid worker stood when taking the
  photo is their own personal data (PIPL Art.28, 行踪轨迹);
- names the result after the detected type (`IMG_1.jpg` holding a PNG is stored as `IMG_1.png`).

Errors are ValidationErrors in Chinese under the caller's field name.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any, Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is 8000 × 6000; more than that is not a photo
MAX_FILES = 9
# A case photo is kept at most this many pixels on its long side (a phone's 4000 px photo shrinks to a quarter of
# the bytes; a handler reads it on a phone). One set of limits for every upload path.
MAX_SIDE = 1600

# Detected format → (format to write, extension, content type).
_OUTPUT = {
    "JPEG": ("JPEG", "jpg", "image/jpeg"),
    "MPO": ("JPEG", "jpg", "image/jpeg"),  # phones' multi-picture JPEG: the first picture is kept
    "PNG": ("PNG", "png", "image/png"),
    "GIF": ("PNG", "png", "image/png"),  # first frame only; an animation is not a site photo
    "WEBP": ("WEBP", "webp", "image/webp"),
    "BMP": ("PNG", "png", "image/png"),
    "TIFF": ("PNG", "png", "image/png"),
}
ACCEPTED_LABEL = "JPG、PNG、GIF、WebP、BMP 或 TIFF"


@dataclass(frozen=True)
class CleanImage:
    """An image ready to store: the re-encoded file (named after its type), its type and its size."""

    file: ContentFile
    content_type: str
    width: int
    height: int

    @property
    def size(self) -> int:
        return self.file.size


def _stem(name: str) -> str:
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = base.rsplit(".", 1)[0] if "." in base else base
    base = re.sub(r"[\x00-\x1f<>:\"|?*]", "", base).strip(" .")
    return base[:80] or "照片"


def clean_image(upload: Any, *, field: str = "photos", max_side: int | None = MAX_SIDE,
                max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> CleanImage:
    """One upload checked and re-encoded (see the module docstring); ValidationError({field: …}) if not."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    name = str(getattr(upload, "name", "") or "照片")
    shown = name.replace("\\", "/").rsplit("/", 1)[-1][:60]
    size = getattr(upload, "size", None)
    if size is None:
        raise ValidationError({field: f"“{shown}”不是有效的文件。"})
    if size == 0:
        raise ValidationError({field: f"“{shown}”是空文件。"})
    if size > max_bytes:
        raise ValidationError({field: f"“{shown}”有 {size / 1024 / 1024:.1f} MB，超过 {max_bytes // (1024 * 1024)} MB 的上限。"})
    not_an_image = ValidationError({field: f"“{shown}”不是有效的图片文件（只接受 {ACCEPTED_LABEL}）。"})
    too_large = ValidationError({field: f"图片“{shown}”像素过多（超过 {max_pixels // 1_000_000} 百万像素），请缩小后再上传。"})
    try:
        upload.seek(0)
        # Pillow's own bomb guard warns at MAX_IMAGE_PIXELS and raises at twice that; ours is checked first
        # from the header, before any pixel is decoded.
        with Image.open(upload) as probe:
            detected = probe.format
            if detected not in _OUTPUT:
                raise not_an_image
            if probe.width * probe.height > max_pixels:
                raise too_large
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            out_format, ext, content_type = _OUTPUT[detected]
            image = ImageOps.exif_transpose(image)
            if max_side:
                image.thumbnail((max_side, max_side))
            if out_format == "JPEG":
                image = image.convert("RGB")
            elif image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1", "I;16", "I"):
                image = image.convert("RGBA")
            buffer = io.BytesIO()
            # No exif=, no pnginfo=, no icc_profile=: nothing of the original's metadata is written.
            if out_format == "JPEG":
                image.save(buffer, "JPEG", quality=85, optimize=True)
            elif out_format == "WEBP":
                image.save(buffer, "WEBP", quality=85)
            else:
                image.save(buffer, out_format, optimize=True)
            width, height = image.size
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise too_large from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, TypeError, IndexError,
            MemoryError, Image.DecompressionBombWarning):
        raise not_an_image from None
    finally:
        try:
            upload.seek(0)
        except (AttributeError, OSError, ValueError):
            pass
    return CleanImage(file=ContentFile(buffer.getvalue(), name=f"{_stem(name)}.{ext}"), content_type=content_type,
                      width=width, height=height)


def clean_images(uploads: Iterable[Any], *, field: str = "photos", max_files: int = MAX_FILES,
                 max_side: int | None = MAX_SIDE) -> list[CleanImage]:
    """Several uploads; every bad one is named in one ValidationError (nothing is kept if any is bad)."""
    files = [u for u in (uploads or []) if u]
    if len(files) > max_files:
        raise ValidationError({field: f"一次最多上传 {max_files} 张照片。"})
    result, errors = [], []
    for upload in files:
        try:
            result.append(clean_image(upload, field=field, max_side=max_side))
        except ValidationError as exc:
            errors.extend(exc.message_dict[field])
    if errors:
        raise ValidationError({field: errors})
    return result
