"""Every figure of the report against the hand-worked year of conftest.py, in the .docx (read back with
python-docx) and the .xlsx (read back with openpyxl); the same data gives the same text."""
from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from pingan.documents.render import docx_text
from pingan.reports import data, periods, services

pytestmark = pytest.mark.django_db

HAZARDS_2017 = ("本期累计排查各类风险隐患10件，整治9件，整治率90.0%（排查数同比上升25.0%，整治率同比提高15.0个百分点）；"
                "至期末逾期未整治0件。")
DISPUTES_2017 = "本期共排查各类矛盾纠纷4件，调处3件，调处率75.0%（排查数同比上升100.0%）；其中群体性纠纷1件，期末仍在调处1件。"
WARNINGS_2017 = "期内共发出预警3条，其中红色预警2条、橙色预警0条、黄色预警1条；已处置或排除1条，尚待处置2条。"


def annual(world, fmt, user=None, node=None):
    content, name = services.report_generate(actor=user, period=periods.parse("annual", "2017"),
                                             node=node or world.county, fmt=fmt)
    return content, name


def table_rows(content: bytes) -> list[list[str]]:
    doc = Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]


def test_the_docx_states_the_years_figures_with_their_change_on_last_year(year):
    content, name = annual(year, "docx")
    assert name == "郊区2017年平安建设年度报告.docx"
    text = docx_text(content)
    assert "郊区2017年平安建设工作年度报告" in text
    assert "（2017年1月1日至2017年12月31日）" in text
    assert HAZARDS_2017 in text
    assert DISPUTES_2017 in text
    assert WARNINGS_2017 in text
    assert "所辖2个乡镇（街道）" in text
    rows = table_rows(content)
    # headline: group, indicator, 2017, 2016, 同比
    assert ["风险隐患", "排查数", "10", "8", "上升25.0%"] in rows
    assert ["风险隐患", "整治数", "9", "6", "上升50.0%"] in rows
    assert ["风险隐患", "整治率", "90.0%", "75.0%", "提高15.0个百分点"] in rows
    assert ["矛盾纠纷", "排查数", "4", "2", "上升100.0%"] in rows
    assert ["矛盾纠纷", "调处数", "3", "1", "上升200.0%"] in rows
    assert ["矛盾纠纷", "调处率", "75.0%", "50.0%", "提高25.0个百分点"] in rows
    # per township, by code: 荫营镇 140311100 before 河底镇 140311101 (排查数, 整治数, 整治率, 逾期未整治)
    assert ["荫营镇", "4", "4", "100.0%", "0"] in rows and ["河底镇", "6", "5", "83.3%", "0"] in rows
    assert rows.index(["荫营镇", "4", "4", "100.0%", "0"]) < rows.index(["河底镇", "6", "5", "83.3%", "0"])
    # disputes per township: 排查数, 调处数, 调处率, 在办数, 群体性纠纷
    assert ["河底镇", "3", "2", "66.7%", "1", "1"] in rows and ["荫营镇", "1", "1", "100.0%", "0", "0"] in rows
    # notable cases: the open high-risk hazard, the group dispute; nothing else of theirs
    notable = [r for r in rows if r and r[0].startswith(("YH-", "OH-", "XH-", "JF-"))]
    assert [r[0] for r in notable] == ["YH-A-OPEN", "JF-A-MASS"]
    assert notable[0][1:6] == ["2017年11月20日", "固庄村委会", "火灾", "高", "整治中"]
    # warnings by rule: red 2, orange 0, yellow 1, total 3
    from pingan.alerts.registry import rules

    assert [rules()[0].label, "2", "0", "1", "3"] in rows
    # charts are pictures in the document
    doc = Document(io.BytesIO(content))
    assert len(doc.inline_shapes) >= 3


def test_a_townships_report_tables_its_villages_and_counts_only_its_own(year):
    officer = year.officer("a")
    content, _name = annual(year, "docx", user=officer, node=year.township("a"))
    text = docx_text(content)
    assert "本期累计排查各类风险隐患6件，整治5件，整治率83.3%（排查数同比上升20.0%，整治率同比提高23.3个百分点）" in text
    assert "本期共排查各类矛盾纠纷3件，调处2件，调处率66.7%（排查数同比上升50.0%）" in text
    rows = table_rows(content)
    assert ["固庄村委会", "6", "5", "83.3%", "0"] in rows
    assert not any(r and r[0] in ("荫营镇", "矾窑村委会") for r in rows)
    assert "所辖1个村（社区）" in text


def test_the_xlsx_holds_the_same_figures_sheet_by_sheet(year):
    content, name = annual(year, "xlsx")
    assert name == "郊区2017年平安建设年度报告.xlsx"
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames[0] == "主要指标"
    assert {"重点案件", "预警", "图表"} <= set(wb.sheetnames)
    head = [[c for c in row] for row in wb["主要指标"].iter_rows(values_only=True)]
    assert ("风险隐患", "排查数", 10, 8, "上升25.0%") in [tuple(r[:5]) for r in head]
    assert ("风险隐患", "整治率", "90.0%", "75.0%", "提高15.0个百分点") in [tuple(r[:5]) for r in head]
    assert ("矛盾纠纷", "调处率", "75.0%", "50.0%", "提高25.0个百分点") in [tuple(r[:5]) for r in head]
    hazards = [r for r in wb["分乡镇-风险隐患"].iter_rows(values_only=True)]
    assert ("乡镇（街道）", "排查数", "整治数", "整治率", "逾期未整治") in [tuple(r[:5]) for r in hazards]
    assert ("荫营镇", 4, 4, "100.0%", 0) in [tuple(r[:5]) for r in hazards]
    assert ("河底镇", 6, 5, "83.3%", 0) in [tuple(r[:5]) for r in hazards]
    assert hazards[2][0] == HAZARDS_2017
    notable = [r[0] for r in wb["重点案件"].iter_rows(values_only=True) if r[0]]
    assert "YH-A-OPEN" in notable and "JF-A-MASS" in notable and "YH-A-0" not in notable
    warnings = [r for r in wb["预警"].iter_rows(values_only=True)]
    assert warnings[2][0] == WARNINGS_2017
    assert len(wb["图表"]._images) >= 3


def test_the_same_data_gives_the_same_report(year):
    first, _ = annual(year, "docx")
    second, _ = annual(year, "docx")
    assert docx_text(first) == docx_text(second)
    assert table_rows(first) == table_rows(second)
    one, _ = annual(year, "xlsx")
    two, _ = annual(year, "xlsx")
    cells = lambda b: [[list(r) for r in ws.iter_rows(values_only=True)] for ws in load_workbook(io.BytesIO(b))]
    assert cells(one) == cells(two)


def test_a_month_and_a_quarter_take_their_own_days(year):
    # March 2017: YH-A-2 (03-10, rectified), YH-B-1 (03-03, rectified); March 2016: OH-A-2, OH-B-0..2
    content, name = services.report_generate(actor=None, period=periods.parse("monthly", "2017-03"),
                                             node=year.county, fmt="docx")
    assert name == "郊区2017年3月平安建设月度报告.docx"
    text = docx_text(content)
    assert "本期累计排查各类风险隐患2件，整治2件，整治率100.0%（排查数同比下降50.0%，整治率与去年同期持平）" in text
    # Q1 2017: YH-A-0..2 (Jan–Mar) and YH-B-0..1 (Feb–Mar) = 5, all rectified; Q1 2016: OH-A-0..2 + OH-B-0..2 = 6
    content, _ = services.report_generate(actor=None, period=periods.parse("quarterly", "2017-Q1"),
                                          node=year.county, fmt="docx")
    assert "本期累计排查各类风险隐患5件，整治5件，整治率100.0%（排查数同比下降16.7%，整治率与去年同期持平）" in docx_text(content)


def test_figures_and_change_wording():
    f = data.Figures({"a": 10, "r": 0.9, "z": 0, "n": None}, {"a": 8, "r": 0.75, "z": 0, "n": 3})
    assert f.change("a") == "上升25.0%" and f.versus("a") == "同比上升25.0%"
    assert f.change("r", "rate") == "提高15.0个百分点"
    assert f.change("z") == "持平" and f.versus("z") == "与去年同期持平"
    assert f.change("n") == "—" and f.versus("n") == ""
    g = data.Figures({"a": 3}, {"a": 0})
    assert g.change("a") == "去年同期为0" and g.versus("a") == ""
    assert data.cn_index(1) == "一" and data.cn_index(10) == "十" and data.cn_index(12) == "十二" \
        and data.cn_index(20) == "二十" and data.cn_index(23) == "二十三"


def test_charts_render_without_the_cjk_font(monkeypatch, caplog):
    from pingan.reports import charts

    charts.cjk_family.cache_clear()
    monkeypatch.setattr(charts, "CJK_FAMILIES", ("No Such Font",))
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [f for f in font_manager.fontManager.ttflist if "CJK" not in f.name])
    try:
        with caplog.at_level("WARNING", logger="pingan.reports.charts"):
            png = charts.bars("测试", ["甲", "乙"], [("本期", [1, 2])])
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert "Noto Sans CJK not found" in caplog.text
    finally:
        charts.cjk_family.cache_clear()


def test_this_machine_has_the_noto_sans_cjk_font():
    from pingan.reports import charts

    assert charts.cjk_family().startswith("Noto Sans CJK")
