"""Helpers for a document type's `context(obj, user, full)`: personal numbers masked unless `full` (the one
mask of pingan.core.personal, so a document never shows a number differently from the pages), dates and sums
written the way official documents write them."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from pingan.core import personal


def id_number(value: str | None, full: bool) -> str:
    """公民身份号码: in full only when `full`, else 1403************34."""
    value = (value or "").strip()
    return value if full else personal.mask_id(value)


def phone(value: str | None, full: bool) -> str:
    """A phone number: in full only when `full`, else 138****5678."""
    value = (value or "").strip()
    return value if full else personal.mask_phone(value)


def person_line(person: Any, full: bool) -> str:
    """"张三（公民身份号码 1403************34，电话 138****5678）" from an object or dict with name, id_number
    (plaintext, already decrypted by the caller when it is stored encrypted) and phone; parts that are empty
    are left out."""
    def get(name):
        return (person.get(name) if isinstance(person, dict) else getattr(person, name, "")) or ""

    parts = []
    if get("id_number"):
        parts.append(f"公民身份号码 {id_number(str(get('id_number')), full)}")
    if get("phone"):
        parts.append(f"电话 {phone(str(get('phone')), full)}")
    name = str(get("name"))
    return f"{name}（{'，'.join(parts)}）" if parts else name


def cn_date(value: dt.date | dt.datetime | None) -> str:
    """2017-03-05 → "2017年3月5日"; None → ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ["", "拾", "佰", "仟"]
_SECTIONS = ["", "万", "亿", "万亿"]


def _four(n: int) -> str:
    """0 < n < 10000 in capital numerals, zeros inside collapsed ("壹仟零伍")."""
    out, zero = "", False
    for i in range(3, -1, -1):
        d = n // 10 ** i % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[d] + _UNITS[i]
    return out


def cn_money(amount: Any) -> str:
    """A sum of yuan in capitals, as contracts write it: 1005.50 → "壹仟零伍元伍角整", 3000 → "叁仟元整",
    0.05 → "伍分"; negative or unreadable → "" (the caller shows the figure instead)."""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return ""
    if value < 0 or value >= Decimal("1e16"):
        return ""
    fen_total = int(value * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    text = ""
    if yuan:
        sections, n = [], yuan
        while n:
            sections.append(n % 10000)
            n //= 10000
        need_zero = False
        for i in range(len(sections) - 1, -1, -1):
            part = sections[i]
            if part == 0:
                need_zero = bool(text)
                continue
            if text and (need_zero or part < 1000):
                text += "零"
            text += _four(part) + _SECTIONS[i]
            need_zero = False
        text += "元"
    if not jiao and not fen:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return text
