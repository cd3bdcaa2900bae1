"""Bad input for the hazards ledger: every bad cell reported in Chinese, nothing written half-way."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command

from pingan.core.models import AuditEntry
from pingan.geo.models import Node
from pingan.hazards.models import Hazard
from pingan.hazards.tests.test_ledger import HEADERS, row, run, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def messages(result):
    return [str(p) for p in result.problems]


def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_a_missing_required_column_fails_the_file_before_any_row(world, tmp_path):
    headers = [h for h in HEADERS if h != "整治期限"]
    path = write_csv(tmp_path / "h.csv", [row()[:8] + row()[9:]], headers=headers)
    result = run("hazards", path, world.users["district_admin"])
    assert "缺少必填列：整治期限" in result.file_error
    assert Hazard.objects.count() == 0
    code, _, err = cli("import_ledger", "hazards", str(path), "--user", "district_admin")
    assert code != 0 and "缺少必填列" in err and "Traceback" not in err


def test_duplicate_numbers_in_one_file_are_errors_and_nothing_is_written(world, tmp_path):
    path = write_csv(tmp_path / "h.csv", [row(), row(), row(number="YH-002")])
    result = run("hazards", path, world.users["district_admin"])
    assert any("与第 2 行重复" in m and "第 3 行" in m for m in messages(result))
    assert Hazard.objects.count() == 0


def test_an_unknown_village_is_an_error(world, tmp_path):
    result = run("hazards", write_csv(tmp_path / "h.csv", [row(place="河底镇/不存在村")]), world.users["district_admin"])
    assert messages(result) == ["第 2 行“所属村(社区)”列（值：河底镇/不存在村）：找不到这个村(社区)"]
    result = run("hazards", write_csv(tmp_path / "c.csv", [row(place="140311101999")]), world.users["district_admin"])
    assert "区划代码不存在" in messages(result)[0]


def test_an_ambiguous_village_name_is_an_error_but_the_path_resolves_it(world, tmp_path):
    township = world.township("b")
    Node.objects.create(code="140311100299", name="固庄村委会", level="village", parent=township,
                        parent_code=township.code, path=township.path + "140311100299/", depth=township.depth + 1)
    admin = world.users["district_admin"]
    result = run("hazards", write_csv(tmp_path / "h.csv", [row(place="固庄村")]), admin)
    assert "名称不唯一" in messages(result)[0]
    assert Hazard.objects.count() == 0
    result = run("hazards", write_csv(tmp_path / "p.csv", [row(place="河底镇/固庄村")]), admin)
    assert result.ok and Hazard.objects.get().jurisdiction == world.village("a")


def test_a_village_name_alone_works_where_it_is_unique(world, tmp_path):
    result = run("hazards", write_csv(tmp_path / "h.csv", [row(place="矾窑村委会")]), world.users["district_admin"])
    assert result.ok and Hazard.objects.get().jurisdiction == world.village("b")


def test_five_thousand_bad_rows_are_all_reported_and_nothing_is_written(world, tmp_path):
    rows = [row(number=f"YH-{i:05d}", screened="2017-13-45") for i in range(5000)] + [row(number="YH-good")]
    result = run("hazards", write_csv(tmp_path / "h.csv", rows), world.users["district_admin"])
    assert result.invalid == 5000 and len(result.problems) == 5000
    assert {p.header for p in result.problems} == {"排查日期"}
    assert result.problems[-1].row == 5001
    assert Hazard.objects.count() == 0 and not AuditEntry.objects.filter(action="hazard.import").exists()


def test_full_width_digits_letters_and_spaces_are_cleaned(world, tmp_path):
    full = row(number="ＹＨ－００１", screened="２０１７－０３－０５", place="　１４０３１１１０１２１１　",
               deadline="２０１７年４月５日", done="2017.3.30", kind=" 火灾 ", unit=" 河底镇安监站　")
    result = run("hazards", write_csv(tmp_path / "h.csv", [full]), world.users["district_admin"])
    assert result.ok, messages(result)
    hazard = Hazard.objects.get()
    assert hazard.number == "YH-001" and hazard.screened_on == dt.date(2017, 3, 5)
    assert hazard.rectify_deadline == dt.date(2017, 4, 5) and hazard.rectified_on == dt.date(2017, 3, 30)
    assert hazard.jurisdiction == world.village("a") and hazard.responsible_unit_name == "河底镇安监站"


def test_impossible_and_unreadable_dates_are_errors(world, tmp_path):
    rows = [row(number="a", screened="2017-02-30"), row(number="b", screened="三月五日"),
            row(number="c", screened="2999-01-01", deadline="2999-02-01", done="")]
    result = run("hazards", write_csv(tmp_path / "h.csv", rows), world.users["district_admin"])
    reasons = [p.reason for p in result.problems]
    assert "日期不存在（2017年2月30日）" in reasons[0]
    assert "日期格式无法识别" in reasons[1]
    assert "不能晚于今天" in reasons[2]
    assert Hazard.objects.count() == 0


def test_a_deadline_before_the_screening_date_is_an_error(world, tmp_path):
    result = run("hazards", write_csv(tmp_path / "h.csv", [row(deadline="2017-03-01")]), world.users["district_admin"])
    assert messages(result) == ["第 2 行“整治期限”列（值：2017-03-01）：整治期限不能早于排查日期（2017-03-05）"]


def test_rectified_without_a_completion_date_is_an_error(world, tmp_path):
    result = run("hazards", write_csv(tmp_path / "h.csv", [row(done="")]), world.users["district_admin"])
    assert "必须填写整治完成日期" in messages(result)[0]
    result = run("hazards", write_csv(tmp_path / "b.csv", [row(done="2017-03-01")]), world.users["district_admin"])
    assert "不能早于排查日期" in messages(result)[0]


def test_unknown_codes_and_missing_required_cells_are_reported_per_cell(world, tmp_path):
    bad = row(kind="地震", level="极高", state="搁置", desc="", unit="")
    result = run("hazards", write_csv(tmp_path / "h.csv", [bad]), world.users["district_admin"])
    assert {p.header for p in result.problems} == {"隐患类型", "风险等级", "整治状态", "隐患描述", "整治责任单位"}
    assert any("不是可选的值" in p.reason and "火灾" in p.reason for p in result.problems)


def test_a_township_officer_cannot_import_another_townships_rows(world, tmp_path):
    path = write_csv(tmp_path / "h.csv", [row(), row(number="YH-B", place="荫营镇/矾窑村委会")])
    result = run("hazards", path, world.officer("a"))
    assert messages(result) == ["第 3 行“所属村(社区)”列（值：荫营镇/矾窑村委会）：不在您的管辖范围内"]
    assert Hazard.objects.count() == 0


def test_a_number_owned_by_another_townships_hazard_cannot_be_taken_over(world, tmp_path):
    run("hazards", write_csv(tmp_path / "b.csv", [row(number="YH-B", place="荫营镇/矾窑村")]), world.users["district_admin"])
    result = run("hazards", write_csv(tmp_path / "a.csv", [row(number="YH-B")]), world.officer("a"))
    assert "管辖范围以外" in messages(result)[0]
    assert Hazard.objects.get().jurisdiction == world.village("b")


def test_an_empty_file_and_a_header_only_file_are_refused(world, tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    assert "文件是空的" in run("hazards", empty, world.users["district_admin"]).file_error
    header_only = write_csv(tmp_path / "h.csv", [])
    assert "没有数据行" in run("hazards", header_only, world.users["district_admin"]).file_error
    wb = openpyxl.Workbook()
    wb.save(tmp_path / "e.xlsx")
    assert "文件是空的" in run("hazards", tmp_path / "e.xlsx", world.users["district_admin"]).file_error


def test_a_non_excel_file_renamed_xlsx_is_refused(world, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("编号,排查日期\n1,2\n", encoding="utf-8")
    result = run("hazards", fake, world.users["district_admin"])
    assert "不是有效的 Excel" in result.file_error
    code, _, err = cli("import_ledger", "hazards", str(fake), "--user", "district_admin")
    assert code != 0 and "不是有效的 Excel" in err


def test_a_gb18030_csv_and_a_utf8_bom_csv_are_read(world, tmp_path):
    gbk = write_csv(tmp_path / "gbk.csv", [row()], encoding="gb18030")
    assert run("hazards", gbk, world.users["district_admin"]).ok
    bom = write_csv(tmp_path / "bom.csv", [row(number="YH-BOM")], encoding="utf-8-sig")
    assert run("hazards", bom, world.users["district_admin"]).ok
    assert Hazard.objects.count() == 2


def test_xlsx_with_real_dates_excel_serials_and_reordered_columns(world, tmp_path):
    order = list(reversed(HEADERS)) + ["备注"]
    values = dict(zip(HEADERS, row()))
    values.update({"排查日期": dt.datetime(2017, 3, 5), "整治期限": 42830, "整治完成日期": "2017/3/30"})
    path = write_xlsx(tmp_path / "h.xlsx", [[values.get(h) for h in order[:-1]] + ["随便写"]], headers=order)
    result = run("hazards", path, world.users["district_admin"])
    assert result.ok, messages(result)
    assert "备注" in result.warnings[0]
    hazard = Hazard.objects.get()
    assert hazard.screened_on == dt.date(2017, 3, 5) and hazard.rectify_deadline == dt.date(2017, 4, 5)


def test_skip_invalid_writes_the_good_rows_and_saves_the_bad_ones(world, tmp_path):
    path = write_csv(tmp_path / "h.csv", [row(), row(number="YH-002", screened="2017-02-30")])
    code, out, err = cli("import_ledger", "hazards", str(path), "--skip-invalid", "--user", "district_admin")
    assert code != 0
    assert list(Hazard.objects.values_list("number", flat=True)) == ["YH-001"]
    book = openpyxl.load_workbook(f"{path}.errors.xlsx").active
    values = list(book.values)
    assert values[0][: len(HEADERS) + 1] == tuple(HEADERS) + ("错误原因",)
    assert values[1][0] == "YH-002" and "日期不存在" in values[1][len(HEADERS)]


def test_the_cli_is_atomic_by_default_and_exits_zero_only_when_all_rows_went_in(world, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", [row(), row(number="YH-002", screened="2017-02-30")])
    code, _, err = cli("import_ledger", "hazards", str(bad), "--user", "district_admin")
    assert code != 0 and "第 3 行“排查日期”列" in err and "未写入任何数据" in err
    assert Hazard.objects.count() == 0
    good = write_csv(tmp_path / "good.csv", [row()])
    code, out, _ = cli("import_ledger", "hazards", str(good), "--dry-run", "--user", "district_admin")
    assert code == 0 and "试运行" in out and Hazard.objects.count() == 0
    code, out, _ = cli("import_ledger", "hazards", str(good), "--user", "district_admin")
    assert code == 0 and "新增 1 条" in out and Hazard.objects.count() == 1


@pytest.mark.parametrize("args,message", [
    (("nope", "x.csv"), "没有名为“nope”的台账"),
    (("hazards", "/nonexistent/x.csv"), "文件不存在"),
])
def test_the_cli_reports_bad_arguments_in_chinese(world, args, message):
    code, _, err = cli("import_ledger", *args, "--user", "district_admin")
    assert code != 0 and message in err


def test_the_cli_needs_an_existing_user(world, tmp_path):
    code, _, err = cli("import_ledger", "hazards", str(write_csv(tmp_path / "h.csv", [row()])), "--user", "ghost")
    assert code != 0 and "找不到用户“ghost”" in err


def test_export_ledger_cli_scopes_by_jurisdiction_and_reports_bad_codes(world, tmp_path):
    run("hazards", write_csv(tmp_path / "h.csv", [row(), row(number="YH-B", place="荫营镇/矾窑村")]),
        world.users["district_admin"])
    out = tmp_path / "a.xlsx"
    code, stdout, _ = cli("export_ledger", "hazards", str(out), "--jurisdiction", world.township("a").code,
                          "--user", "district_admin")
    assert code == 0 and "1 行" in stdout
    assert [r[0] for r in list(openpyxl.load_workbook(out).active.values)[1:]] == ["YH-001"]
    code, _, err = cli("export_ledger", "hazards", str(out), "--jurisdiction", "999", "--user", "district_admin")
    assert code != 0 and "区划代码“999”不存在" in err
    code, _, err = cli("export_ledger", "hazards", str(tmp_path / "x.pdf"), "--user", "district_admin")
    assert code != 0 and ".xlsx 或 .csv" in err
