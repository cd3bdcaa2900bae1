"""The hazards ledger end to end: import (CLI and engine), round trip, bad input, scope."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

import openpyxl
import pytest
from django.core.management import call_command

from pingan import ledgers
from pingan.core.models import AuditEntry
from pingan.cases.models import TransitionLog
from pingan.hazards.choices import HazardStatus
from pingan.hazards.models import Hazard

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")

HEADERS = ["编号", "排查日期", "所属村(社区)", "隐患类型", "风险等级", "隐患描述", "整治责任单位", "整治责任人",
           "整治期限", "整治状态", "整治完成日期"]


def row(number="YH-001", screened="2017-03-05", place="河底镇/固庄村委会", kind="火灾", level="高",
        desc="村委会旁柴草堆放", unit="河底镇安监站", person="张三", deadline="2017-04-05", state="已整治",
        done="2017-03-30"):
    return [number, screened, place, kind, level, desc, unit, person, deadline, state, done]


def write_csv(path, rows, headers=HEADERS, encoding="utf-8"):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path, rows, headers=HEADERS):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def run(spec_kind, path, user, **kwargs):
    return ledgers.import_ledger(ledgers.get(spec_kind), str(path), user=user, **kwargs)


@pytest.fixture
def admin(world):
    return world.users["district_admin"]


def test_it_imports_a_csv_ledger_with_an_audit_entry_and_a_log_line_per_hazard(world, admin, tmp_path):
    path = write_csv(tmp_path / "h.csv", [row(), row(number="YH-002", state="未整治", done=""),
                                          row(number="YH-003", state="整治中", done="", place="140311100206")])
    result = run("hazards", path, admin)
    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    h1, h2, h3 = Hazard.objects.order_by("number")
    assert h1.state == HazardStatus.RECTIFIED and h1.rectified_on == dt.date(2017, 3, 30) and h1.due_at is None
    # Closed when 整治完成日期 began (Beijing time).
    assert h1.closed_at == dt.datetime(2017, 3, 30, 0, 0, tzinfo=BEIJING)
    assert h1.jurisdiction == world.village("a") and h1.hazard_type == "01" and h1.risk_level == "01"
    # Due at the end of 整治期限 2017-04-05: midnight starting 04-06, Beijing time; overdue long since.
    assert h2.state == HazardStatus.PENDING and h2.due_at == dt.datetime(2017, 4, 6, 0, 0, tzinfo=BEIJING)
    assert set(Hazard.objects.overdue()) == {h2, h3}
    assert h3.state == HazardStatus.RECTIFYING and h3.jurisdiction == world.village("b")
    entries = AuditEntry.objects.filter(action="hazard.import")
    assert entries.count() == 3
    assert set(entries.values_list("object_id", flat=True)) == {str(h.pk) for h in (h1, h2, h3)}
    assert entries.get(object_id=str(h1.pk)).scope_path == world.village("a").path
    logs = TransitionLog.objects.filter(kind=TransitionLog.Kind.IMPORT)
    assert sorted(logs.values_list("to_state", flat=True)) == sorted(["rectified", "pending", "rectifying"])
    assert AuditEntry.objects.filter(action="ledger.import").count() == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world, admin, tmp_path):
    path = write_csv(tmp_path / "h.csv", [row(), row(number="YH-002", state="未整治", done="")])
    run("hazards", path, admin)
    before = AuditEntry.objects.exclude(action="ledger.import").count()
    result = run("hazards", path, admin)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.exclude(action="ledger.import").count() == before


def test_a_changed_row_updates_the_hazard_and_audits_only_the_changed_fields(world, admin, tmp_path):
    run("hazards", write_csv(tmp_path / "a.csv", [row(state="整治中", done="")]), admin)
    hazard = Hazard.objects.get()
    result = run("hazards", write_csv(tmp_path / "b.csv", [row(state="已整治", done="2017-03-30")]), admin)
    assert (result.created, result.updated) == (0, 1)
    hazard.refresh_from_db()
    assert hazard.state == HazardStatus.RECTIFIED and hazard.closed_at is not None
    entry = AuditEntry.objects.filter(action="hazard.import", object_id=str(hazard.pk)).order_by("-id").first()
    assert set(entry.changes) >= {"state", "rectified_on"}
    assert "description" not in entry.changes
    assert TransitionLog.objects.filter(case_id=hazard.pk, kind="import").count() == 2


def test_export_then_import_round_trips_without_any_change(world, admin, tmp_path):
    rows = [row(), row(number="YH-002", state="未整治", done="", unit="区公安分局"),
            row(number="YH-003", state="整治中", done="", place="荫营镇/矾窑村", kind="征地拆迁", level="低")]
    run("hazards", write_csv(tmp_path / "h.csv", rows), admin)
    # A hazard waiting for acceptance exports as 整治中 and stays 待验收 after the re-import.
    Hazard.objects.filter(number="YH-003").update(state=HazardStatus.AWAITING_ACCEPTANCE)
    out = tmp_path / "out.xlsx"
    call_command("export_ledger", "hazards", str(out), "--user", "district_admin", stdout=io.StringIO())
    sheet = openpyxl.load_workbook(out).active
    values = list(sheet.values)
    assert list(values[0]) == HEADERS
    exported = {r[0]: r for r in values[1:]}
    assert exported["YH-003"][9] == "整治中" and exported["YH-003"][3] == "征地拆迁"
    assert exported["YH-002"][6] == "区公安分局"
    assert Hazard.objects.get(number="YH-002").responsible_department == world.departments["county_police"]
    audit_before = AuditEntry.objects.exclude(action__startswith="ledger.").count()
    logs_before = TransitionLog.objects.count()
    result = run("hazards", out, admin)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.exclude(action__startswith="ledger.").count() == audit_before
    assert TransitionLog.objects.count() == logs_before
    assert Hazard.objects.get(number="YH-003").state == HazardStatus.AWAITING_ACCEPTANCE
    assert AuditEntry.objects.filter(action="ledger.export").count() == 1
