"""The report as an Excel workbook (openpyxl): 主要指标 (the headline figures with 同比), one sheet per group's
table by township or village, 重点案件 (each module's notable cases), 预警, 图表 (the charts as images).
The same Report as the .docx; the workbook's dates are fixed to the period's end (nothing depends on the
moment it was made)."""
from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .data import Report

HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
TITLE_FONT = Font(bold=True, size=14)


def _sheet_name(text: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", text)[:31] or "表"
    base, n = name, 2
    while name in used:
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def _table(ws, row: int, headers: list[str], rows: list[list]) -> int:
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=header)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in rows:
        row += 1
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=_number(value))
    return row + 2


def _number(value):
    """Counts as numbers (sums work in Excel); rates and everything else as the report writes them."""
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


def _widths(ws, widths: dict[int, int]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _title(ws, report: Report, text: str) -> None:
    ws.cell(row=1, column=1, value=f"{report.title}——{text}").font = TITLE_FONT
    ws.cell(row=2, column=1, value=f"报告期：{report.context()['period_range']}　同比：与{report.previous.label}相比")


def workbook(report: Report) -> Workbook:
    context = report.context()
    wb = Workbook()
    used: set[str] = set()
    ws = wb.active
    ws.title = _sheet_name("主要指标", used)
    _title(ws, report, "主要指标")
    ws.cell(row=3, column=1, value=report.overview).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=5)
    ws.row_dimensions[3].height = 60
    row = _table(ws, 5, ["类别", "指标", "本期", "去年同期", "同比"],
                 [[r["group"], r["label"], r["value"], r["previous"], r["change"]] for r in context["headline"]])
    ws.cell(row=row, column=1, value="分项工作情况").font = HEAD_FONT
    for group in report.groups:  # each group's paragraph, as the Word report writes it
        row += 1
        ws.cell(row=row, column=1, value=context["groups"][group.name]["heading"])
        ws.cell(row=row, column=2, value=group.summary).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        ws.row_dimensions[row].height = 15 * (1 + len(group.summary) // 45)
    _widths(ws, {1: 22, 2: 30, 3: 16, 4: 16, 5: 22})

    if report.children:
        for group in report.groups:
            if not group.table_rows:
                continue
            sheet = wb.create_sheet(_sheet_name(f"分{report.children_label[:2]}-{group.label}", used))
            _title(sheet, report, f"{group.label}分{report.children_label}情况")
            ws_row = 4
            sheet.cell(row=3, column=1, value=group.summary)
            _table(sheet, ws_row, [report.children_label] + group.table_columns,
                   [[r["name"]] + r["cells"] for r in group.table_rows])
            _widths(sheet, {1: 24, **{i: 14 for i in range(2, len(group.table_columns) + 2)}})

    sheet = wb.create_sheet(_sheet_name("重点案件", used))
    _title(sheet, report, "重点案件")
    row = 4
    for group in report.groups:
        if not (group.section and group.section.rows) or group.empty:
            continue
        sheet.cell(row=row, column=1, value=f"{group.label}：{group.section.title}").font = HEAD_FONT
        row += 1
        if not group.notable_rows:
            sheet.cell(row=row, column=1, value=group.section.empty)
            row += 2
            continue
        row = _table(sheet, row, [h for h, _f in group.section.columns], [r["cells"] for r in group.notable_rows])
        if group.notable_more:
            sheet.cell(row=row - 1, column=1, value=f"（仅列出前 {group.section.limit} 件）")
            row += 1
    _widths(sheet, {1: 20, 2: 40, 3: 18, 4: 16, 5: 16, 6: 16})

    sheet = wb.create_sheet(_sheet_name("预警", used))
    _title(sheet, report, "预警情况")
    warnings = report.warnings
    sheet.cell(row=3, column=1, value=warnings["summary"])
    row = _table(sheet, 5, ["预警规则", "红色", "橙色", "黄色", "合计"],
                 [[r["rule"], r["red"], r["orange"], r["yellow"], r["total"]] for r in warnings["by_rule"]])
    if warnings["red"]:
        sheet.cell(row=row, column=1, value="红色预警").font = HEAD_FONT
        _table(sheet, row + 1, ["日期", "地点", "预警", "规则", "状态"],
               [[r["day"], r["place"], r["title"], r["rule"], r["status"]] for r in warnings["red"]])
    _widths(sheet, {1: 30, 2: 18, 3: 40, 4: 24, 5: 12})

    sheet = wb.create_sheet(_sheet_name("图表", used))
    _title(sheet, report, "图表")
    pictures = [report.overview_chart] + [g.chart for g in report.groups] + [warnings.get("chart_png")]
    row = 4
    for png in pictures:
        if not png:
            continue
        image = XlImage(BytesIO(png))
        sheet.add_image(image, f"A{row}")
        row += int(image.height / 20) + 2
    end = dt.datetime.combine(report.period.end, dt.time())
    wb.properties.creator = "平安"
    wb.properties.title = report.title
    wb.properties.created = end
    return wb


def workbook_bytes(report: Report) -> bytes:
    out = BytesIO()
    workbook(report).save(out)
    return out.getvalue()
