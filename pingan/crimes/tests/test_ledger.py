"""The crimes ledger: import, idempotent re-import, export → import round trip, every bad input."""
from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
from django.core.management import call_command

from pingan import ledgers
from pingan.core.models import AuditEntry
from pingan.crimes.models import CrimeCount
from pingan.crimes.months import add_months, this_month

HEADERS = ["月份", "所属乡镇", "案件类别", "立案数"]


def write_csv(path, rows, headers=HEADERS):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def run(path, user, **kwargs):
    return ledgers.import_ledger(ledgers.get("crimes"), str(path), user=user, **kwargs)


def problems(result):
    return sorted((p.row, p.header, p.reason) for p in result.problems)


def test_it_imports_counts_by_name_and_code_with_an_audit_entry_each(world, tmp_path):
    admin = world.users["district_admin"]
    path = write_csv(tmp_path / "c.csv", [["2017-03", "河底镇", "盗窃", "12"], ["2017年4月", "140311100", "抢劫", "２"],
                                          ["2017/5", "荫营镇", "theft", 0]])
    result = run(path, admin)
    assert result.ok, problems(result)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    got = {(r.month, r.jurisdiction.code, r.category.code): r.count for r in CrimeCount.objects.all()}
    assert got == {(dt.date(2017, 3, 1), "140311101", "theft"): 12, (dt.date(2017, 4, 1), "140311100", "robbery"): 2,
                   (dt.date(2017, 5, 1), "140311100", "theft"): 0}
    assert AuditEntry.objects.filter(action="crimecount.import").count() == 3
    assert set(CrimeCount.objects.values_list("entered_by", flat=True)) == {admin.pk}
    # The same file again changes nothing.
    before = AuditEntry.objects.exclude(action__startswith="ledger.").count()
    result = run(path, admin)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.exclude(action__startswith="ledger.").count() == before


def test_a_changed_count_updates_the_row_and_audits_before_and_after(world, tmp_path):
    admin = world.users["district_admin"]
    run(write_csv(tmp_path / "a.csv", [["2017-03", "河底镇", "盗窃", "12"]]), admin)
    result = run(write_csv(tmp_path / "b.csv", [["2017-03", "河底镇", "盗窃", "14"]]), admin)
    assert (result.created, result.updated) == (0, 1)
    row = CrimeCount.objects.get()
    assert row.count == 14
    entry = AuditEntry.objects.filter(action="crimecount.import", object_id=str(row.pk)).order_by("-id").first()
    assert entry.changes["count"] == [12, 14]


def test_export_then_import_round_trips_without_any_change(world, tmp_path):
    admin = world.users["district_admin"]
    run(write_csv(tmp_path / "c.csv", [["2016-12", "河底镇", "杀人", "1"], ["2017-01", "荫营镇", "诈骗", "7"],
                                       ["2017-01", "河底镇", "其他", "0"]]), admin)
    out = tmp_path / "out.xlsx"
    call_command("export_ledger", "crimes", str(out), "--user", "district_admin", stdout=io.StringIO())
    values = list(openpyxl.load_workbook(out).active.values)
    assert list(values[0]) == HEADERS
    assert [list(v) for v in values[1:]] == [["2016-12", "河底镇", "杀人", 1], ["2017-01", "荫营镇", "诈骗", 7],
                                             ["2017-01", "河底镇", "其他", 0]]
    before = AuditEntry.objects.exclude(action__startswith="ledger.").count()
    result = run(out, admin)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.exclude(action__startswith="ledger.").count() == before


def test_every_bad_cell_is_reported_in_chinese_and_nothing_is_written(world, tmp_path):
    future = add_months(this_month(), 1)
    rows = [
        ["2017-03", "河底镇", "盗窃", "-1"],                 # 2 negative
        [f"{future:%Y-%m}", "河底镇", "盗窃", "1"],          # 3 the future
        ["2017-03", "河底镇", "偷东西", "1"],                # 4 not a category
        ["2017-13", "河底镇", "盗窃", "1"],                  # 5 no such month
        ["2017-03", "河底镇", "盗窃", "1.5"],                # 6 not an integer
        ["2017-03", "固庄村", "盗窃", "1"],                  # 7 a village, not a township
        ["2017-03", "不存在镇", "盗窃", "1"],                # 8 unknown place
        ["2017-04", "河底镇", "诈骗", "3"],                  # 9 fine …
        ["2017-04", "河底镇", "诈骗", "4"],                  # 10 … the same key twice
        ["", "河底镇", "诈骗", "4"],                         # 11 missing month
    ]
    result = run(write_csv(tmp_path / "bad.csv", rows), world.users["district_admin"])
    assert not result.ok and not CrimeCount.objects.exists()
    by_row = {}
    for p in result.problems:
        by_row.setdefault(p.row, []).append((p.header, p.reason))
    assert set(by_row) == {2, 3, 4, 5, 6, 7, 8, 10, 11}, by_row
    assert by_row[2] == [("立案数", "不能小于 0")]
    assert by_row[3] == [("月份", "还未到的月份，不能填报")]
    assert by_row[4][0][0] == "案件类别" and by_row[4][0][1].startswith("不在案件类别表中，应为：杀人、伤害")
    assert by_row[5] == [("月份", "月份“2017-13”不存在（月应为 1–12）")]
    assert by_row[6][0][0] == "立案数"
    assert by_row[7][0] == ("所属乡镇", "找不到这个乡镇(街道)")
    assert by_row[8][0] == ("所属乡镇", "找不到这个乡镇(街道)")
    assert by_row[11][0][0] == "月份"


def test_a_missing_column_fails_the_file_and_another_township_is_refused(world, tmp_path):
    result = run(write_csv(tmp_path / "m.csv", [["2017-03", "河底镇", "盗窃"]], headers=HEADERS[:3]),
                 world.users["district_admin"])
    assert not result.ok and "立案数" in (result.file_error + " ".join(p.reason for p in result.problems))
    result = run(write_csv(tmp_path / "o.csv", [["2017-03", "荫营镇", "盗窃", "1"]]), world.officer("a"))
    assert not result.ok and result.problems[0].reason == "不在您的管辖范围内"
    assert not CrimeCount.objects.exists()


def test_a_handler_of_another_department_cannot_import(world, tmp_path):
    from pingan.accounts.testing import add_role_net_personas

    add_role_net_personas(world)
    result = run(write_csv(tmp_path / "h.csv", [["2017-03", "河底镇", "盗窃", "1"]]), world.users["handler_a"])
    assert result.ok and CrimeCount.objects.count() == 1
    refused = run(write_csv(tmp_path / "i.csv", [["2017-04", "河底镇", "盗窃", "1"]]), world.users["other_handler_a"])
    assert not refused.ok and refused.problems[0].reason == "您的角色不能填报刑事案件统计"
    assert CrimeCount.objects.count() == 1
