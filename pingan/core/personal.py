"""Personal data (architecture §7): 公民身份号码 per GB 11643, encryption at rest, keyed lookup hashes,
masking, and the audited reveal.

- `parse_id_number(raw)` cleans (full-width → half-width, spaces, lowercase x) and validates an ID number:
  18 characters with the right check character and a real birth date; a 15-digit first-generation number is
  converted to 18 (century 19 inserted, check character computed). Bad input raises a ValidationError in
  Chinese that says what is wrong.
- `encrypt` / `decrypt` use AES-256-GCM with a key derived (HKDF-SHA256) from the field key; `lookup_hash`
  is an HMAC-SHA256 under a second key derived from the same master, so the database holds no plaintext and
  an exact lookup is one indexed equality.
- The field key comes from `settings.PINGAN_FIELD_KEY` (env PINGAN_FIELD_KEY, else a local `.field_key`
  file generated once). Losing it makes every encrypted value unreadable: back it up with the database.
- `mask_id` / `mask_phone` give what lists, pages, the API and exports show (one mask per kind of number,
  designed against rebuilding from what is shown beside it); `reveal` is the only way to
  the plaintext for a person: it checks the capability, requires a reason and writes an audit entry.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # sum mod 11 -> check character
SEX_MALE, SEX_FEMALE = "1", "2"  # GB/T 2261.1
SEX_LABELS = {SEX_MALE: "男", SEX_FEMALE: "女"}
CIPHER_PREFIX = "v1."
MIN_REASON_LENGTH = 4
EARLIEST_BIRTH = dt.date(1880, 1, 1)


# ---------------------------------------------------------------------------------------------- cleaning
def clean_text(value: Any) -> str:
    """Full-width digits, letters and punctuation made half-width (NFKC), spaces removed at both ends."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


# ------------------------------------------------------------------------------------------ GB 11643 IDs
def check_char(first17: str) -> str:
    """The 18th character of an ID number from its first 17 digits (ISO 7064 MOD 11-2)."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumber:
    """A valid 18-character 公民身份号码 and what it says."""

    value: str
    region: str
    birth_date: dt.date
    sex: str  # "1" male, "2" female
    converted_from_15: bool = False

    @property
    def sex_label(self) -> str:
        return SEX_LABELS[self.sex]

    @property
    def masked(self) -> str:
        return mask_id(self.value)

    @property
    def tail(self) -> str:
        return self.value[-4:]

    def __str__(self) -> str:
        return self.value


def _birth_date(digits: str, raw: str) -> dt.date:
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(f"公民身份号码“{raw}”中的出生日期 {digits[:4]}-{digits[4:6]}-{digits[6:8]} 不是真实的日期。",
                              code="id_birth_date") from None
    if born < EARLIEST_BIRTH or born > dt.date.today():
        raise ValidationError(f"公民身份号码“{raw}”中的出生日期 {born:%Y-%m-%d} 不合理（不能早于 1880 年或晚于今天）。",
                              code="id_birth_date")
    return born


def parse_id_number(raw: Any, *, allow_15: bool = True) -> IdNumber:
    """Clean and validate a 公民身份号码; raise ValidationError (Chinese) naming the problem."""
    text = clean_text(raw).replace(" ", "").upper()
    if not text:
        raise ValidationError("公民身份号码不能为空。", code="id_required")
    if len(text) == 15:
        if not allow_15:
            raise ValidationError(f"“{text}”是 15 位旧身份证号码，请填写 18 位公民身份号码。", code="id_old")
        if not text.isascii() or not text.isdigit():
            raise ValidationError(f"15 位旧身份证号码“{text}”只能由数字组成。", code="id_chars")
        first17 = text[:6] + "19" + text[6:15]
        born = _birth_date(first17[6:14], text)
        value = first17 + check_char(first17)
        return IdNumber(value, value[:6], born, SEX_MALE if int(value[16]) % 2 else SEX_FEMALE, converted_from_15=True)
    if len(text) != 18:
        raise ValidationError(f"公民身份号码“{text}”应为 18 位（现为 {len(text)} 位）。", code="id_length")
    if not re.fullmatch(r"[0-9]{17}[0-9X]", text):
        raise ValidationError(f"公民身份号码“{text}”格式不正确：前 17 位应为数字，最后一位为数字或 X。", code="id_chars")
    if text[:2] in ("00", "10", "20", "30", "40", "60", "70", "80", "90") or text[:6] == "000000":
        raise ValidationError(f"公民身份号码“{text}”的地址码 {text[:6]} 无效。", code="id_region")
    born = _birth_date(text[6:14], text)
    expected = check_char(text[:17])
    if text[17] != expected:
        raise ValidationError(f"公民身份号码“{text}”校验码错误：最后一位应为 {expected}，请核对号码。", code="id_check")
    return IdNumber(text, text[:6], born, SEX_MALE if int(text[16]) % 2 else SEX_FEMALE)


def check_sex_agrees(id_number: IdNumber, sex: str | None) -> None:
    """A recorded sex ("1"/"2", 男/女) must agree with digit 17 of the ID number."""
    if not sex:
        return
    code = {"男": SEX_MALE, "女": SEX_FEMALE}.get(sex, sex)
    if code in (SEX_MALE, SEX_FEMALE) and code != id_number.sex:
        raise ValidationError(f"性别“{SEX_LABELS[code]}”与公民身份号码不符：号码第 17 位表示{id_number.sex_label}性。",
                              code="id_sex")


def check_birth_agrees(id_number: IdNumber, birth_date: dt.date | None) -> None:
    if birth_date and birth_date != id_number.birth_date:
        raise ValidationError(f"出生日期 {birth_date:%Y-%m-%d} 与公民身份号码中的 {id_number.birth_date:%Y-%m-%d} 不符。",
                              code="id_birth_mismatch")


# ---------------------------------------------------------------------------------------------- phones
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")


def parse_phone(raw: Any) -> str:
    """A mobile (11 digits) or landline (0353-1234567) number, cleaned; '' for empty; ValidationError else."""
    text = clean_text(raw).replace(" ", "").replace("－", "-").replace("—", "-")
    if not text:
        return ""
    if text.startswith("+86"):
        text = text[3:]
    if _MOBILE.fullmatch(text) or _LANDLINE.fullmatch(text):
        return text
    raise ValidationError(f"联系电话“{text}”格式不正确：应为 11 位手机号或带区号的固定电话（如 0353-1234567）。",
                          code="phone")


# --------------------------------------------------------------------------------------------- masking
def mask_id(value: str) -> str:
    """140311199001011234 → 1403************34; other document numbers keep 2 + the last 2 characters.

    Why so few digits: a masked number must stay masked against everything else the same role can see
    (security.md). The county (digits 5–6), the whole birth date (7–14) and the sequence (15–16) are hidden,
    so with the birth year and sex shown beside it there are still tens of thousands of candidates, too many
    to confirm one by one through the (rate-limited, audited) exact-number lookup.
    """
    if not value:
        return ""
    if len(value) == 18:
        return value[:4] + "*" * 12 + value[-2:]
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678 (the national practice: 10,000 candidates); 0353-1234567 → 0353-*****67
    (a landline keeps fewer digits, it has fewer to hide). The one phone mask: two different masks of the
    same number side by side would give it back."""
    if not value:
        return ""
    if _MOBILE.fullmatch(value):
        return value[:3] + "****" + value[-4:]
    if "-" in value:
        area, _, rest = value.partition("-")
        return f"{area}-{'*' * max(len(rest) - 2, 0)}{rest[-2:]}"
    if len(value) > 4:
        return "*" * (len(value) - 2) + value[-2:]
    return "*" * len(value)


# ------------------------------------------------------------------------------------- keys and crypto
def _master_key() -> bytes:
    key = getattr(settings, "PINGAN_FIELD_KEY", "") or os.environ.get("PINGAN_FIELD_KEY", "")
    if not key:
        raise RuntimeError("未配置字段加密密钥 PINGAN_FIELD_KEY。")
    return key.encode("utf-8")


@lru_cache(maxsize=4)
def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pingan-personal-data", info=purpose).derive(master)


def _encryption_key() -> AESGCM:
    return _aead(_derive(_master_key(), b"field-encryption-v1"))


@lru_cache(maxsize=4)
def _aead(key: bytes) -> AESGCM:
    return AESGCM(key)


def _hash_key() -> bytes:
    return _derive(_master_key(), b"lookup-hash-v1")


def encrypt(plaintext: str) -> str:
    """AES-256-GCM with a random 96-bit nonce; '' stays ''."""
    if not plaintext:
        return ""
    nonce = os.urandom(12)
    sealed = _encryption_key().encrypt(nonce, plaintext.encode("utf-8"), None)
    return CIPHER_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(ciphertext: str) -> str:
    if not ciphertext:
        return ""
    if not ciphertext.startswith(CIPHER_PREFIX):
        raise ValueError("密文格式无法识别。")
    raw = base64.urlsafe_b64decode(ciphertext[len(CIPHER_PREFIX):].encode("ascii"))
    try:
        return _encryption_key().decrypt(raw[:12], raw[12:], None).decode("utf-8")
    except InvalidTag:
        raise ValueError("密文无法解密：字段加密密钥与加密时不一致，或数据已被篡改。") from None


def lookup_hash(value: str, *, namespace: str = "id") -> str:
    """HMAC-SHA256 (hex) of a normalised value under the lookup key; `namespace` separates kinds of value."""
    if not value:
        return ""
    message = f"{namespace}:{value}".encode("utf-8")
    return hmac.new(_hash_key(), message, hashlib.sha256).hexdigest()


REDACTED = "（已加密）"


def _redact_secret(value: Any) -> str:
    return REDACTED if value else ""


def _is_masked(value: Any) -> bool:
    return isinstance(value, str) and ("*" in value or value.endswith("年") or value == REDACTED)


def _redact_birth(value: Any) -> str:
    """A birth date in the audit trail keeps its year only: with the day, a masked ID number could be rebuilt."""
    if not value or _is_masked(value):
        return value or ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"{text[:4]}年"


def _redact_phone(value: Any) -> str:
    if not value or _is_masked(value):
        return value or ""
    return mask_phone(str(value))


class _PlainColumn:
    """Migrations see the plain Django field these types extend: the column is the same, only what the
    application does with the value differs, so changing a field to one of them needs no migration."""

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        base = next(cls for cls in type(self).__mro__ if cls.__module__.startswith("django.db.models"))
        return name, f"django.db.models.{base.__name__}", args, kwargs


# Personal-data field types. Each carries `audit_redact(value)`: what the audit trail records instead of the
# value (pingan.core.audit applies it by field type, for every model), so no service has to remember to.
class EncryptedTextField(models.TextField):
    """A text column stored AES-GCM encrypted (health notes, citizens' phones); read back as plaintext.

    Not searchable and not sortable by content, on purpose. Values read from the database that are not
    ciphertext (written before encryption) are returned as they are.
    """

    audit_redact = staticmethod(_redact_secret)

    def from_db_value(self, value, expression, connection):
        if not value or not value.startswith(CIPHER_PREFIX):
            return value or ""
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        if value.startswith(CIPHER_PREFIX):
            return value
        return encrypt(value)


class CipherTextField(_PlainColumn, models.TextField):
    """A column holding ciphertext that a service produced with `encrypt()` (ID numbers, phones): read and
    written as ciphertext; the plaintext only through `reveal()`."""

    audit_redact = staticmethod(_redact_secret)


class LookupHashField(_PlainColumn, models.CharField):
    """The keyed lookup hash of a personal number (HMAC-SHA256, hex): an exact match without plaintext."""

    audit_redact = staticmethod(_redact_secret)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)


class BirthDateField(_PlainColumn, models.DateField):
    """A person's birth date: shown to most roles as the year only, and recorded in the audit trail as the
    year only (the date beside a masked ID number would give the number back)."""

    audit_redact = staticmethod(_redact_birth)


class PhoneField(_PlainColumn, models.CharField):
    """A work phone kept in plaintext (staff, guardians' contact for the office): masked in the audit trail
    and on pages that list many people."""

    audit_redact = staticmethod(_redact_phone)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)


# ---------------------------------------------------------------------------------------------- reveal
def reveal(*, actor: Any, obj: models.Model, field: str, label: str, ciphertext: str, reason: str,
           capability: str) -> str:
    """The plaintext of one encrypted personal field for `actor`, audited with the reason.

    The caller has already fetched `obj` through `visible_to(actor)`. A role without `capability` is
    refused (the refusal is audited too); an empty or too short reason is a ValidationError.
    """
    from pingan.core import audit
    from pingan.core.models import AuditEntry

    reason = clean_text(reason)
    if actor is None or not getattr(actor, "can", None) or not actor.can(capability):
        audit.record(actor=actor, action=f"{obj._meta.model_name}.reveal", obj=obj,
                     changes={"field": field, "reason": reason}, outcome=AuditEntry.Outcome.FAILURE,
                     detail=f"无权查看完整{label}")
        raise PermissionDenied(f"您的角色不能查看完整的{label}。")
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": f"请填写查看完整{label}的理由（至少 {MIN_REASON_LENGTH} 个字），该操作将记入审计日志。"})
    value = decrypt(ciphertext)
    audit.record(actor=actor, action=f"{obj._meta.model_name}.reveal", obj=obj,
                 changes={"field": field, "reason": reason}, detail=f"查看完整{label}：{reason}")
    return value
