"""Cell cleaning shared by every ledger: what an office's Excel file holds becomes plain values.

Cleaning never guesses: a cell it cannot read raises `CellError` with the reason in Chinese, which the
engine reports with the row number and the column header.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any


class CellError(ValueError):
    """A cell that cannot be read; `reason` is shown to the user as is."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Full-width ASCII (U+FF01..U+FF5E) to half-width, the ideographic space to a space, and the Chinese
# brackets and separators offices type in place of ASCII ones.
_FULL_TO_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_TO_HALF.update({0x3000: 0x20, 0x00A0: 0x20, 0x200B: None, 0xFEFF: None, 0x3010: ord("["), 0x3011: ord("]")})
_SPACES = re.compile(r"\s+")


def to_half_width(text: str) -> str:
    return text.translate(_FULL_TO_HALF)


def clean_text(value: Any) -> str:
    """A cell as text: half-width, surrounding spaces removed, inner runs of spaces made one space.

    Numbers typed into text cells come back as Excel floats (`123.0`): whole floats lose the `.0`.
    """
    if value.__class__ is str:  # the common case, kept fast: a 100,000-row ledger has a million cells
        text = value if value.isascii() else value.translate(_FULL_TO_HALF)
        if "  " in text or "\t" in text or "\n" in text or "\r" in text or "\x0b" in text or "\x0c" in text:
            text = _SPACES.sub(" ", text)
        return text.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time.min else value
    if isinstance(value, dt.date):
        return value.isoformat()
    text = to_half_width(str(value))
    return _SPACES.sub(" ", text).strip()


# Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29); serials from 1 to 2958465 (9999-12-31).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMS = (
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def parse_date(value: Any) -> dt.date | None:
    """A date from a cell: a date/datetime, an Excel serial, or 2017-03-05, 2017/3/5, 2017.3.5, 2017年3月5日,
    20170305. Empty gives None. Anything else, or an impossible date (2017-02-30), raises CellError."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    text = clean_text(value)
    if not text:
        return None
    text = _TIME_TAIL.sub("", text)
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise CellError(f"日期不存在（{year}年{month}月{day}日）") from None
    if re.fullmatch(r"\d{1,7}(\.\d+)?", text):
        return _from_serial(float(text))
    raise CellError("日期格式无法识别，应为 2017-03-05、2017/3/5、2017.3.5 或 2017年3月5日")


def _from_serial(number: float) -> dt.date:
    if not (1 <= number < 2958466):
        raise CellError("日期格式无法识别（不是有效的 Excel 日期序号）")
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


def parse_int(value: Any) -> int | None:
    """A whole number (Excel floats like 3.0 accepted); empty gives None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError("应为整数")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise CellError("应为整数")
    text = clean_text(value).replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError("应为整数") from None
    if number != number.to_integral_value():
        raise CellError("应为整数")
    return int(number)


YES = {"是", "Y", "y", "yes", "Yes", "YES", "1", "true", "True", "TRUE", "√"}
NO = {"否", "N", "n", "no", "No", "NO", "0", "false", "False", "FALSE", "×"}


def parse_bool(value: Any) -> bool | None:
    text = clean_text(value)
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError("应填“是”或“否”")
