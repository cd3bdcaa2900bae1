"""Writing ledgers: the export workbook (or csv), the blank template, the errors workbook of --skip-invalid."""
from __future__ import annotations

import csv
import io
import os
from typing import IO, Any, Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .spec import LedgerSpec

HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FDE68A")
ERROR_FONT = Font(color="B91C1C")


def _header_cells(ws, headers: list[str], required: set[str]) -> list[Any]:
    cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = HEADER_FONT
        if header in required:
            cell.fill = REQUIRED_FILL
        cells.append(cell)
    return cells


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The one guard against formula injection (CSV injection) in everything we write: text that a
    spreadsheet would take for a formula (it begins with =, +, -, @, tab or carriage return) is prefixed with
    a single quote, so Excel and WPS show it as text. The readers strip that quote again on import."""
    if value.__class__ is str and value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def write_xlsx(target: str | IO[bytes], spec: LedgerSpec, rows: Iterable[list[Any]], *, title: str | None = None) -> int:
    """Stream rows into a workbook with the spec's headers (required ones shaded). Returns the row count."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title or spec.label[:31])
    for i, column in enumerate(spec.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    ws.append(_header_cells(ws, spec.headers, {c.header for c in spec.required_columns}))
    count = 0
    for row in rows:
        ws.append([neutralise(v) for v in row])
        count += 1
    wb.save(target)
    return count


def write_csv(target: str | IO[bytes], spec: LedgerSpec, rows: Iterable[list[Any]]) -> int:
    """UTF-8 with BOM, so Excel opens it with the right encoding. Streamed: memory does not grow with rows."""
    handle = open(target, "wb") if isinstance(target, (str, os.PathLike)) else target
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=False)
    count = 0
    try:
        text.write("\ufeff")
        writer = csv.writer(text)
        writer.writerow(spec.headers)
        for row in rows:
            writer.writerow(["" if v is None else neutralise(v) for v in row])
            count += 1
        text.flush()
    finally:
        if isinstance(target, (str, os.PathLike)):
            text.close()
        else:
            text.detach()
    return count


def write_template(target: str | IO[bytes], spec: LedgerSpec) -> None:
    """A blank ledger: the header row, and a second sheet 填写说明 describing each column."""
    wb = Workbook()
    ws = wb.active
    ws.title = spec.label[:31]
    required = {c.header for c in spec.required_columns}
    for i, column in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=i, value=column.header)
        cell.font = HEADER_FONT
        if column.header in required:
            cell.fill = REQUIRED_FILL
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    notes = wb.create_sheet("填写说明")
    notes.append(["列名", "必填", "说明"])
    for cell in notes[1]:
        cell.font = HEADER_FONT
    for column in spec.columns:
        flag = "必填（主键）" if column.key else ("必填" if column.required else "")
        notes.append([column.header, flag, column.describe()])
    notes.append([])
    notes.append(["", "", "第 1 行为列名，数据从第 2 行开始；列的顺序可以调整。黄色底色的列必填。"])
    notes.append(["", "", "同一编号再次导入时更新原记录；内容无变化的行不做任何修改。"])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 12
    notes.column_dimensions["C"].width = 90
    for row in notes.iter_rows(min_row=2):
        row[2].alignment = Alignment(wrap_text=True)
    wb.save(target)


def write_errors(target: str | IO[bytes], headers: list[str], bad_rows: dict[int, list[Any]],
                 reasons: dict[int, list[str]]) -> None:
    """The bad rows as they were, with 原行号 and 错误原因, so the office can fix and re-import them."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("错误行")
    out_headers = list(headers) + ["错误原因", "原行号"]
    ws.append(_header_cells(ws, out_headers, set()))
    for number in sorted(bad_rows):
        cells = [neutralise(v) for v in bad_rows[number][: len(headers)]]
        cells += [None] * (len(headers) - len(cells))
        reason = WriteOnlyCell(ws, value="；".join(reasons.get(number, [])))
        reason.font = ERROR_FONT
        ws.append(cells + [reason, number])
    wb.save(target)

