"""Reading a ledger file: .xlsx (first sheet, streamed with openpyxl's read-only mode) or .csv (UTF-8 with or
without BOM, GB18030). A file that is not what its name says fails with a Chinese message, never a traceback.
"""
from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass
from typing import IO, Any, Iterator

MAX_COLUMNS = 200


class LedgerFileError(ValueError):
    """The file as a whole cannot be read (wrong type, empty, damaged, missing columns)."""


@dataclass
class Sheet:
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (1-based row number in the file, cells)
    close: Any = None


def open_ledger(source: str | os.PathLike | IO[bytes], filename: str | None = None) -> Sheet:
    """Open a ledger by the extension of `filename` (or of `source` when it is a path)."""
    name = filename or (str(source) if isinstance(source, (str, os.PathLike)) else getattr(source, "name", ""))
    ext = os.path.splitext(str(name))[1].lower()
    if ext in (".xlsx", ".xlsm"):
        return _open_xlsx(source)
    if ext == ".csv":
        return _open_csv(source)
    if ext == ".xls":
        raise LedgerFileError("不支持旧版 Excel 97-2003（.xls）文件，请在 Excel 中“另存为” .xlsx 后再导入。")
    raise LedgerFileError("只能导入 .xlsx 或 .csv 文件。")


def _read_bytes(source: Any) -> bytes:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            return handle.read()
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def _open_xlsx(source: Any) -> Sheet:
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
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, EOFError) as exc:
        raise LedgerFileError("文件已损坏或不是有效的 Excel（.xlsx）文件，无法读取。") from exc
    except Exception as exc:  # openpyxl raises assorted errors on malformed parts
        raise LedgerFileError("文件已损坏或不是有效的 Excel（.xlsx）文件，无法读取。") from exc
    if not book.worksheets:
        raise LedgerFileError("Excel 文件中没有工作表。")
    sheet = book.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        first = next(iterator, None)
    except Exception as exc:
        book.close()
        raise LedgerFileError("文件已损坏或不是有效的 Excel（.xlsx）文件，无法读取。") from exc
    if first is None:
        book.close()
        raise LedgerFileError("文件是空的：第 1 行应为列名。")
    headers = _headers(first)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, row in enumerate(iterator, start=2):
                cells = list(row[: len(headers)])
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    continue
                yield number, cells
        except LedgerFileError:
            raise
        except Exception as exc:
            raise LedgerFileError("文件在读取中途出错，可能已损坏。") from exc
        finally:
            book.close()

    return Sheet(headers=headers, rows=rows(), close=book.close)


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


def _open_csv(source: Any) -> Sheet:
    try:
        data = _read_bytes(source)
    except OSError as exc:
        raise LedgerFileError(f"无法打开文件：{exc.strerror or exc}") from None
    if not data.strip():
        raise LedgerFileError("文件是空的。")
    if data[:2] == b"PK":
        raise LedgerFileError("文件看起来是 Excel 文件，却以 .csv 为扩展名，请改为 .xlsx 后再导入。")
    text = decode_csv(data)
    del data
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        first = next(reader, None)
    except csv.Error as exc:
        raise LedgerFileError(f"CSV 格式错误：{exc}") from None
    if first is None:
        raise LedgerFileError("文件是空的：第 1 行应为列名。")
    headers = _headers(first)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                cells: list[Any] = row[: len(headers)]
                yield reader.line_num, cells
        except csv.Error as exc:
            raise LedgerFileError(f"CSV 格式错误（第 {reader.line_num} 行）：{exc}") from None

    return Sheet(headers=headers, rows=rows())


def _headers(first: Any) -> list[str]:
    from .cleaning import clean_text

    headers = [clean_text(h).replace(" ", "").rstrip("*") for h in first]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise LedgerFileError("文件是空的：第 1 行应为列名。")
    if len(headers) > MAX_COLUMNS:
        raise LedgerFileError(f"列数过多（{len(headers)} 列），最多 {MAX_COLUMNS} 列。")
    return headers
