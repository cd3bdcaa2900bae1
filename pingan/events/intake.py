"""Input checks shared by every way in (phone page, centre form, public page, API, Open311): coordinates,
photos, extra fields, idempotency keys, rate limits and locating the grid of a point."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

from pingan.core import limits
from pingan.core.uploads import CleanImage, clean_image
from pingan.geo.choices import Level
from pingan.geo.models import Node

from .choices import FieldType
from .models import DESCRIPTION_MAX, Category

# The district's box (阳泉市郊区); a deployment elsewhere sets PINGAN_DISTRICT_BOUNDS = (lat0, lat1, lng0, lng1).
DEFAULT_BOUNDS = (Decimal("37.70"), Decimal("38.05"), Decimal("113.35"), Decimal("113.80"))
IDEMPOTENCY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
LOOKUP_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def bounds() -> tuple[Decimal, Decimal, Decimal, Decimal]:
    return tuple(Decimal(str(v)) for v in getattr(settings, "PINGAN_DISTRICT_BOUNDS", DEFAULT_BOUNDS))


def normalize(value: Any) -> str:
    """Full-width digits, letters and punctuation typed on a Chinese keyboard become their ASCII forms."""
    return unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""


def parse_coordinate(value: Any, name: str, label: str) -> Decimal | None:
    text = normalize(value)
    if text == "":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError({name: f"{label}“{text[:20]}”不是数字。"}) from None
    if not number.is_finite():
        raise ValidationError({name: f"{label}不是有效数字。"})
    # Checked before quantize, which raises InvalidOperation on 1e999999 (more digits than its context);
    # a merely wrong value (91, 200) gets the district's box in check_location.
    if abs(number) > 1000:
        raise ValidationError({name: f"{label}“{text[:20]}”不是有效的坐标（纬度 -90～90，经度 -180～180）。"})
    return number.quantize(Decimal("0.000001"))


def check_location(latitude: Any, longitude: Any, *, required: bool = False) -> tuple[Decimal | None, Decimal | None]:
    """Both or neither; inside the district's box. Returns the parsed pair."""
    lat = parse_coordinate(latitude, "latitude", "纬度")
    lng = parse_coordinate(longitude, "longitude", "经度")
    if (lat is None) != (lng is None):
        raise ValidationError({"latitude" if lat is None else "longitude": "经纬度要成对填写。"})
    if lat is None:
        if required:
            raise ValidationError({"latitude": "请提供事件位置（经纬度）。"})
        return None, None
    lat0, lat1, lng0, lng1 = bounds()
    if not (lat0 <= lat <= lat1 and lng0 <= lng <= lng1):
        raise ValidationError({"latitude": f"位置（{lat}，{lng}）不在本区范围内（北纬 {lat0}–{lat1}，东经 {lng0}–{lng1}）。"})
    return lat, lng


def locate(latitude: Decimal, longitude: Decimal, within: Node | None = None) -> Node | None:
    """The grid (else village) whose centre is nearest to the point, limited to `within`'s subtree."""
    qs = Node.objects.exclude(latitude__isnull=True).exclude(longitude__isnull=True)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    for levels in ((Level.GRID,), (Level.VILLAGE, Level.COMMUNITY)):
        base = qs.filter(level__in=levels)
        for radius in (Decimal("0.03"), Decimal("0.12"), None):
            candidates = base
            if radius is not None:
                candidates = base.filter(latitude__range=(latitude - radius, latitude + radius),
                                         longitude__range=(longitude - radius, longitude + radius))
            rows = list(candidates.values_list("pk", "latitude", "longitude")[:2000])
            if rows:
                pk = min(rows, key=lambda r: (r[1] - latitude) ** 2 + (r[2] - longitude) ** 2)[0]
                return Node.objects.get(pk=pk)
    return None


def check_description(value: Any) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if not text:
        raise ValidationError({"description": "请填写事件描述。"})
    if len(text) > DESCRIPTION_MAX:
        raise ValidationError({"description": f"事件描述最多 {DESCRIPTION_MAX} 字，现有 {len(text)} 字。"})
    return text


def check_idempotency_key(value: Any) -> str | None:
    text = normalize(value)
    if not text:
        return None
    if not IDEMPOTENCY_RE.match(text):
        raise ValidationError({"idempotency_key": "幂等键格式不正确（8–64 位字母、数字、下划线或短横线）。"})
    return text


def check_attributes(category: Category, raw: dict[str, Any], fields=None) -> dict[str, Any]:
    """The category's extra fields from `raw` (code → value or list), typed and checked."""
    fields = list(category.fields.all()) if fields is None else fields
    result: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in fields:
        value = raw.get(field.code)
        values = value if isinstance(value, list) else ([] if value in (None, "") else [value])
        values = [normalize(v) if field.datatype not in (FieldType.TEXT, FieldType.STRING) else str(v).strip()
                  for v in values]
        values = [v for v in values if v != ""]
        key = f"attribute[{field.code}]"
        if not values:
            if field.required:
                errors[key] = f"请填写“{field.label}”。"
            continue
        if field.datatype == FieldType.MULTI:
            bad = [v for v in values if v not in field.value_keys()]
            if bad:
                errors[key] = f"“{field.label}”的值 {', '.join(bad[:3])} 不在可选范围内。"
            else:
                result[field.code] = values
            continue
        if len(values) > 1:
            errors[key] = f"“{field.label}”只能填一个值。"
            continue
        text = values[0]
        if field.datatype == FieldType.NUMBER:
            try:
                number = Decimal(text)
                if not number.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                errors[key] = f"“{field.label}”应为数字。"
                continue
            result[field.code] = str(number)
        elif field.datatype == FieldType.DATETIME:
            try:
                parsed = parse_datetime(text) or (dt.datetime.fromisoformat(text) if len(text) == 10 else None)
            except ValueError:
                parsed = None
            if parsed is None:
                errors[key] = f"“{field.label}”应为日期时间，如 2026-03-01T08:30:00+08:00。"
                continue
            result[field.code] = parsed.isoformat()
        elif field.datatype == FieldType.SINGLE:
            if text not in field.value_keys():
                errors[key] = f"“{field.label}”的值“{text[:20]}”不在可选范围内。"
                continue
            result[field.code] = text
        else:
            limit = 2000 if field.datatype == FieldType.TEXT else 200
            if len(text) > limit:
                errors[key] = f"“{field.label}”最多 {limit} 字。"
                continue
            result[field.code] = text
    if errors:
        raise ValidationError(errors)
    return result


def prepare_photo(upload: Any) -> CleanImage:
    """An uploaded photo checked and re-encoded by the one upload validator with its one set of limits
    (pingan.core.uploads: a real image of at most 10 MB and 40 megapixels, at most 1600 px on its long side,
    stored under the extension of its detected type, without EXIF and so without the phone's GPS position)."""
    return clean_image(upload, field="photos")


def mask_email(value: str) -> str:
    """zhang.san@example.com → z***@example.com: enough for the centre to recognise it, not to write to it."""
    name, at, domain = (value or "").partition("@")
    if not at:
        return "*" * min(len(value or ""), 8)
    return f"{name[:1]}***@{domain}"


def new_lookup_code() -> str:
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(8))


def hash_secret(value: str, purpose: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def lookup_code_matches(event, code: str) -> bool:
    code = normalize(code).upper().replace(" ", "")
    return bool(event.lookup_code_hash) and hmac.compare_digest(event.lookup_code_hash, hash_secret(code, "lookup"))


def rate_limited(bucket: str, ident: str, *, limit: int, seconds: int) -> bool:
    """True when `ident` has used up `limit` hits in the current window of `seconds` (fixed window)."""
    # The counter lives in the database (pingan.core.limits), shared by every worker and process.
    return limits.exceeded(f"rl:{bucket}:{ident}", limit=limit, seconds=seconds)
