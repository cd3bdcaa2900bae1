"""Reading a ledger file: .xlsx (first sheet, streamed with openpyxl's read-only mode) or .csv (UTF-8 with or
without BOM, GB18030, streamed). A file that is not what its name says fails with a Chinese message, never a
traceback.

Nothing a user uploads may exhaust memory or time (docs/ledgers.md, “Limits”). So, before any XML is parsed,
the zip's directory is checked: every part's uncompressed size against its limit and its compression ratio
(Python's zipfile never inflates a part beyond the size its directory declares, so the declared sizes are a
real bound). While streaming, the reader stops at the row cap, the column cap and the cell-length cap. Every
limit is a setting (`ReadLimits.from_settings`).
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, replace
from typing import IO, Any, Iterator

from pingan.core.cleaning import clean_text

MB = 1024 * 1024
# Kept for callers that imported it; the setting PINGAN_LEDGER_MAX_COLUMNS is what counts.
MAX_COLUMNS = 200
# A cell the writer neutralised against formula injection ("'=…") reads back as it was written by the user.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class LedgerFileError(ValueError):
    """The file as a whole cannot be read (wrong type, empty, damaged, missing columns, over a limit)."""


@dataclass(frozen=True)
class ReadLimits:
    """What one ledger file may hold. Defaults are the settings PINGAN_LEDGER_* / PINGAN_XLSX_*."""

    max_rows: int = 200_000             # data rows (row 1, the headers, not counted)
    max_columns: int = 200
    max_cell_chars: int = 10_000
    max_shared_strings_bytes: int = 100 * MB   # xl/sharedStrings.xml, uncompressed (held in memory)
    max_sheet_bytes: int = 512 * MB            # a worksheet part, uncompressed (streamed, bounds the time)
    max_part_bytes: int = 20 * MB              # any other part (styles, workbook …), parsed whole
    max_ratio: int = 200                       # uncompressed / compressed, for parts over 1 MB
    max_parts: int = 2_000
    max_cells_per_row: int = 16_384            # Excel's own column limit

    @classmethod
    def from_settings(cls, **overrides: Any) -> "ReadLimits":
        from django.conf import settings

        limits = cls(
            max_rows=getattr(settings, "PINGAN_LEDGER_MAX_ROWS", cls.max_rows),
            max_columns=getattr(settings, "PINGAN_LEDGER_MAX_COLUMNS", cls.max_columns),
            max_cell_chars=getattr(settings, "PINGAN_LEDGER_MAX_CELL_CHARS", cls.max_cell_chars),
            max_shared_strings_bytes=getattr(settings, "PINGAN_XLSX_MAX_SHARED_STRINGS_MB", 100) * MB,
            max_sheet_bytes=getattr(settings, "PINGAN_XLSX_MAX_SHEET_MB", 512) * MB,
            max_part_bytes=getattr(settings, "PINGAN_XLSX_MAX_PART_MB", 20) * MB,
            max_ratio=getattr(settings, "PINGAN_XLSX_MAX_RATIO", cls.max_ratio),
        )
        overrides = {k: v for k, v in overrides.items() if v is not None}
        return replace(limits, **overrides) if overrides else limits


@dataclass
class Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (1-based row number in the file, cells)
    close: Any = None
    total_hint: int = 0  # data rows the file says it has (for a progress bar; 0 = unknown)


def open_ledger(source: str | os.PathLike | IO[bytes], filename: str | None = None,
                limits: ReadLimits | None = None) -> Sheet:
    """Open a ledger by the extension of `filename` (or of `source` when it is a path)."""
    limits = limits or ReadLimits.from_settings()
    name = filename or (str(source) if isinstance(source, (str, os.PathLike)) else getattr(source, "name", ""))
    ext = os.path.splitext(str(name))[1].lower()
    if ext in (".xlsx", ".xlsm"):
        return _open_xlsx(source, limits)
    if ext == ".csv":
        return _open_csv(source, limits)
    if ext == ".xls":
        raise LedgerFileError("不支持旧版 Excel 97-2003（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。")
    raise LedgerFileError("只能导入 .xlsx 或 .csv 文件。")


def quick_check(source: str | os.PathLike | IO[bytes], filename: str, limits: ReadLimits | None = None) -> None:
    """What can be told about an upload at once, without parsing it (so a web request answers at once and never
    spends long): the type by name, emptiness, the first bytes, and for .xlsx the zip's directory against the
    limits. Raises LedgerFileError; the full check (headers, every row) runs in a background job."""
    limits = limits or ReadLimits.from_settings()
    ext = os.path.splitext(filename or "")[1].lower()
    if ext == ".xls":
        raise LedgerFileError("不支持旧版 Excel 97-2003（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入。")
    if ext not in (".xlsx", ".xlsm", ".csv"):
        raise LedgerFileError("只能导入 .xlsx 或 .csv 文件。")
    handle = open(source, "rb") if isinstance(source, (str, os.PathLike)) else source
    try:
        handle.seek(0)
        head = handle.read(4096)
        handle.seek(0)
        if not head.strip():
            raise LedgerFileError("文件是空的。")
        if ext == ".csv":
            if head[:2] == b"PK":
                raise LedgerFileError("文件看起来是 Excel 文件，却以 .csv 为扩展名，请改为 .xlsx 后再导入。")
            return
        if head[:2] != b"PK":
            raise LedgerFileError("文件不是有效的 Excel（.xlsx）文件，可能是改了扩展名的其他文件，请用 Excel 另存为 .xlsx 后再导入。")
        check_xlsx_parts(handle, limits)
    finally:
        if isinstance(source, (str, os.PathLike)):
            handle.close()
        else:
            handle.seek(0)


def _mb(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{size / 1024:.0f} KB"


def check_xlsx_parts(handle: Any, limits: ReadLimits) -> None:
    """Refuse a zip bomb from its directory alone, before any part is inflated or parsed."""
    try:
        with zipfile.ZipFile(handle) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise LedgerFileError("文件已损坏或不是有效的 Excel（.xlsx）文件，无法读取。") from exc
    finally:
        if hasattr(handle, "seek"):
            handle.seek(0)
    if len(parts) > limits.max_parts:
        raise LedgerFileError(f"Excel 文件内部的部件过多（{len(parts)} 个），不像正常的台账文件，已拒绝读取。")
    for part in parts:
        name = part.filename.lower()
        if name.endswith("sharedstrings.xml"):
            limit, what = limits.max_shared_strings_bytes, "共享字符串表（sharedStrings.xml）"
        elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
            limit, what = limits.max_sheet_bytes, f"工作表（{part.filename}）"
        else:
            limit, what = limits.max_part_bytes, f"部件 {part.filename}"
        if part.file_size > limit:
            raise LedgerFileError(f"Excel 文件中的{what}解压后有 {_mb(part.file_size)}，超过上限 {_mb(limit)}，"
                                  "已拒绝读取。请删去多余的内容或拆分文件后再导入。")
        if part.file_size > MB and part.file_size > limits.max_ratio * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            raise LedgerFileError(f"Excel 文件中的{what}压缩比异常（解压后是压缩时的 {ratio} 倍，上限 {limits.max_ratio} 倍），"
                                  "可能是恶意构造的文件，已拒绝读取。")


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_SCAN_CHUNK = 64 * 1024


def scan_sheets(handle: Any, limits: ReadLimits) -> int:
    """Count the <row> elements of every worksheet part by inflating it in 64 KB pieces (nothing kept), and
    refuse a sheet with more rows than the cap allows, or a row with more cells than Excel can have, before
    openpyxl sees it: openpyxl reads a sheet without a <dimension> element to its end when it opens the
    workbook, and keeps every parsed row element until the sheet ends. Returns the first sheet's row count.

    A tag cut in two by a piece boundary is missed (at most one per 64 KB): the count is a bound for safety,
    the reader's own row counter is exact.
    """
    counts = []
    try:
        with zipfile.ZipFile(handle) as archive:
            sheets = sorted((p for p in archive.infolist()
                             if p.filename.lower().startswith("xl/worksheets/") and p.filename.lower().endswith(".xml")),
                            key=lambda p: p.filename)
            for part in sheets:
                rows = cells_since_row = 0
                with archive.open(part) as stream:
                    while True:
                        piece = stream.read(_SCAN_CHUNK)
                        if not piece:
                            break
                        starts = [m.start() for m in _ROW_TAG.finditer(piece)]
                        rows += len(starts)
                        if rows > limits.max_rows + 1:
                            raise _too_many_rows(limits)
                        if starts:
                            cells_since_row = len(_CELL_TAG.findall(piece, starts[-1]))
                        else:
                            cells_since_row += len(_CELL_TAG.findall(piece))
                        if cells_since_row > limits.max_cells_per_row:
                            raise LedgerFileError(f"Excel 文件的工作表中有一行超过 {limits.max_cells_per_row} 个单元格，"
                                                  "不像正常的台账文件，已拒绝读取。")
                counts.append((part.filename, rows))
    except LedgerFileError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as exc:
        raise LedgerFileError("文件已损坏或不是有效的 Excel（.xlsx）文件，无法读取。") from exc
    finally:
        if hasattr(handle, "seek"):
            handle.seek(0)
    first = next((n for name, n in counts if name.lower().endswith("sheet1.xml")), counts[0][1] if counts else 0)
    return max(0, first - 1)


def _too_many_rows(limits: ReadLimits) -> LedgerFileError:
    return LedgerFileError(f"数据行数超过上限：每个文件最多 {limits.max_rows} 行数据（不含第 1 行列名），"
                           "请拆分文件后分批导入。")


def _cell_too_long(number: int, column: int, length: int, limits: ReadLimits) -> LedgerFileError:
    return LedgerFileError(f"第 {number} 行第 {column} 列的内容过长（{length} 字），每个单元格最多 "
                           f"{limits.max_cell_chars} 字，已停止读取。")


def _unquote(cell: str) -> str:
    """"'=1" written by our exporter against formula injection reads back as "=1"."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


def _open_xlsx(source: Any, limits: ReadLimits) -> Sheet:
    import openpyxl

    try:
        handle = open(source, "rb") if isinstance(source, (str, os.PathLike)) else source
    except OSError as exc:
        raise LedgerFileError(f"无法打开文件：{exc.strerror or exc}") from None
    if hasattr(handle, "seek"):
        handle.seek(0)
    head = handle.read(4)
    handle.seek(0)
    if not head:
        raise LedgerFileError("文件是空的。")
    if head[:2] != b"PK":
        raise LedgerFileError("文件不是有效的 Excel（.xlsx）文件，可能是改了扩展名的其他文件，请用 Excel 另存为 .xlsx 后再导入。")
    check_xlsx_parts(handle, limits)
    scanned_rows = scan_sheets(handle, limits)
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except LedgerFileError:
        raise
    except Exception as exc:  # openpyxl raises assorted errors on malformed parts
        raise LedgerFileError("文件已损坏或不是有效的 Excel（.xlsx）文件，无法读取。") from exc
    if not book.worksheets:
        raise LedgerFileError("Excel 文件中没有工作表。")
    sheet = book.worksheets[0]
    try:
        first = next(sheet.iter_rows(min_row=1, max_row=1, max_col=limits.max_columns + 1, values_only=True), None)
    except Exception as exc:
        book.close()
        raise LedgerFileError("文件已损坏或不是有效的 Excel（.xlsx）文件，无法读取。") from exc
    if first is None:
        book.close()
        raise LedgerFileError("文件是空的：第 1 行应为列名。")
    try:
        headers = _headers(first, limits)
    except LedgerFileError:
        book.close()
        raise
    width = len(headers)
    total_hint = min(scanned_rows, limits.max_rows)
    last_row = limits.max_rows + 1
    max_chars = limits.max_cell_chars

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            # max_row stops openpyxl itself from filling a gap of millions of missing rows past the cap.
            iterator = sheet.iter_rows(min_row=2, max_row=last_row + 1, max_col=width, values_only=True)
            for number, row in enumerate(iterator, start=2):
                if number > last_row:
                    raise _too_many_rows(limits)
                cells = list(row)
                empty = True
                for i, cell in enumerate(cells):
                    if cell.__class__ is str:
                        if len(cell) > max_chars:
                            raise _cell_too_long(number, i + 1, len(cell), limits)
                        if cell[:1] == "'":
                            cells[i] = cell = _unquote(cell)
                        if empty and cell.strip():
                            empty = False
                    elif cell is not None:
                        empty = False
                if empty:
                    continue
                yield number, cells
        except LedgerFileError:
            raise
        except Exception as exc:
            raise LedgerFileError("文件在读取中途出错，可能已损坏。") from exc
        finally:
            book.close()

    return Sheet(headers=headers, rows=rows(), close=book.close, total_hint=total_hint)


def decode_csv(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise LedgerFileError("文件不是文本格式的 CSV（可能是 UTF-16 或二进制文件），请另存为“CSV UTF-8”后再导入。")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise LedgerFileError("无法识别 CSV 文件的编码，请另存为“CSV UTF-8”或 GB18030 编码后再导入。") from None


_CHUNK = 1 << 20


def _csv_encoding(handle: Any) -> tuple[str, int]:
    """The file's encoding (utf-8 or gb18030) from one streaming pass that keeps nothing, and its line count
    (for the progress bar)."""
    handle.seek(0)
    head = handle.read(4096)
    if not head.strip():
        raise LedgerFileError("文件是空的。")
    if head[:2] == b"PK":
        raise LedgerFileError("文件看起来是 Excel 文件，却以 .csv 为扩展名，请改为 .xlsx 后再导入。")
    body = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    if b"\x00" in body:
        raise LedgerFileError("文件不是文本格式的 CSV（可能是 UTF-16 或二进制文件），请另存为“CSV UTF-8”后再导入。")
    handle.seek(0)
    candidates = {"utf-8": codecs.getincrementaldecoder("utf-8")(), "gb18030": codecs.getincrementaldecoder("gb18030")()}
    lines = 0
    while True:
        chunk = handle.read(_CHUNK)
        final = not chunk
        lines += chunk.count(b"\n")
        for name in list(candidates):
            try:
                candidates[name].decode(chunk, final)
            except UnicodeDecodeError:
                del candidates[name]
        if not candidates:
            raise LedgerFileError("无法识别 CSV 文件的编码，请另存为“CSV UTF-8”或 GB18030 编码后再导入。")
        if final:
            break
    handle.seek(0)
    return ("utf-8-sig" if "utf-8" in candidates else "gb18030"), lines


def _open_csv(source: Any, limits: ReadLimits) -> Sheet:
    try:
        handle = open(source, "rb") if isinstance(source, (str, os.PathLike)) else source
    except OSError as exc:
        raise LedgerFileError(f"无法打开文件：{exc.strerror or exc}") from None
    if not hasattr(handle, "seek") or not handle.seekable():
        handle = io.BytesIO(handle.read())
    owned = isinstance(source, (str, os.PathLike))
    try:
        encoding, lines = _csv_encoding(handle)
    except LedgerFileError:
        if owned:
            handle.close()
        raise
    text = io.TextIOWrapper(handle, encoding=encoding, newline="")
    # The csv module refuses a field longer than its limit (a process-wide setting): one above ours, so our
    # own check gives the message.
    if csv.field_size_limit() < limits.max_cell_chars + 1:
        csv.field_size_limit(limits.max_cell_chars + 1)
    reader = csv.reader(text)

    def close() -> None:
        if owned:
            text.close()
        else:
            text.detach()

    try:
        first = next(reader, None)
    except csv.Error as exc:
        close()
        raise LedgerFileError(f"CSV 格式错误：{exc}") from None
    if first is None:
        close()
        raise LedgerFileError("文件是空的：第 1 行应为列名。")
    try:
        headers = _headers(first, limits)
    except LedgerFileError:
        close()
        raise
    width = len(headers)
    last_row = limits.max_rows + 1
    max_chars = limits.max_cell_chars

    def rows() -> Iterator[tuple[int, list[Any]]]:
        number = 1
        try:
            for row in reader:
                number += 1
                if number > last_row:
                    raise _too_many_rows(limits)
                cells: list[Any] = row[:width]
                empty = True
                for i, cell in enumerate(cells):
                    if len(cell) > max_chars:
                        raise _cell_too_long(number, i + 1, len(cell), limits)
                    if cell[:1] == "'":
                        cells[i] = cell = _unquote(cell)
                    if empty and cell.strip():
                        empty = False
                if empty:
                    continue
                yield reader.line_num, cells
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise LedgerFileError(f"第 {reader.line_num} 行有单元格内容过长，每个单元格最多 {max_chars} 字，"
                                      "已停止读取。") from None
            raise LedgerFileError(f"CSV 格式错误（第 {reader.line_num} 行）：{exc}") from None
        finally:
            close()

    return Sheet(headers=headers, rows=rows(), close=close, total_hint=max(0, min(lines - 1, limits.max_rows)))


def _headers(first: Any, limits: ReadLimits | None = None) -> list[str]:
    limits = limits or ReadLimits()
    first = list(first)
    if len(first) > limits.max_columns:
        # Trailing empty header cells (formatting carried to the sheet's edge) do not count.
        while first and (first[-1] is None or clean_text(first[-1]) == ""):
            first.pop()
    if len(first) > limits.max_columns:
        raise LedgerFileError(f"列数过多（超过 {limits.max_columns} 列），台账最多 {limits.max_columns} 列。")
    for cell in first:
        if isinstance(cell, str) and len(cell) > 200:
            raise LedgerFileError("第 1 行应为列名，但其中有超过 200 字的内容，请检查文件。")
    headers = [clean_text(h).replace(" ", "").rstrip("*") for h in first]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise LedgerFileError("文件是空的：第 1 行应为列名。")
    return headers
