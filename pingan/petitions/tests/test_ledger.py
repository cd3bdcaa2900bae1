"""The petitions ledger: import (new rows through the case layer's bulk registration), round trip (export →
import writes nothing), changed rows, bad cells, scope. Expected values worked out by hand."""
from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo

import openpyxl

from pingan import ledgers
from pingan.cases.models import TransitionLog
from pingan.core.models import AuditEntry
from pingan.petitions.models import Petition, Petitioner, Topic
from pingan.petitions.testing import VALID_ID

BJ = zoneinfo.ZoneInfo("Asia/Shanghai")
HEADERS = ["编号", "登记日期", "信访形式", "信访人", "信访人公民身份号码", "人数", "问题属地", "信访类型", "问题类别",
           "诉求内容", "来源", "交办单位", "是否积案", "办理状态", "处理方式", "办结日期"]


def row(number="XF-001", registered="2017-03-05", form="来访", who="张三", ident="", count="1",
        place="河底镇/固庄村委会", kind="申诉求决类", topic="征地拆迁", content="反映征地补偿款未发放", source="上级交办",
        body="市信访局", backlog="是", state="已化解", how="解决问题到位、帮扶救助到位", closed="2017-04-20"):
    return [number, registered, form, who, ident, count, place, kind, topic, content, source, body, backlog, state,
            how, closed]


def write_csv(path, rows, headers=HEADERS):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def run(path, user, **kwargs):
    return ledgers.import_ledger(ledgers.get("petitions"), str(path), user=user, **kwargs)


def test_import_creates_petitions_with_their_petitioner_state_and_log(world, tmp_path):
    admin = world.users["district_admin"]
    topic = Topic.objects.create(jurisdiction=world.county, name="征地拆迁")
    path = write_csv(tmp_path / "p.csv", [
        row(ident=VALID_ID),
        row(number="XF-002", who="李四", count="12", source="本级受理", body="", backlog="否", state="办理中", how="",
            closed="", topic="噪声", place="河底镇"),
        row(number="XF-003", state="待受理", how="", closed="", backlog="否", registered="2017-06-01"),
    ])
    result = run(path, admin)
    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    p1, p2, p3 = Petition.objects.order_by("number")
    assert (p1.state, p1.is_backlog, p1.source, p1.assigning_body) == ("resolved", True, "assigned", "市信访局")
    assert p1.topic == topic and p1.topic_text == "征地拆迁"
    assert (p1.sanwei_solved, p1.sanwei_educated, p1.sanwei_assisted, p1.sanwei_lawful) == (True, False, True, False)
    assert p1.closed_on == dt.date(2017, 4, 20) and p1.closed_at == dt.datetime(2017, 4, 20, 9, 0, tzinfo=BJ)
    assert p1.due_at is None
    first = Petitioner.objects.get(petition=p1)
    assert (first.name, first.id_masked) == ("张三", "1403************1X")
    # 办理中 from 2017-06-01? no: p2 registered 2017-03-05 → 受理 taken as that day, 办结 due 60 days later.
    assert p2.state == "handling" and p2.accepted_on == dt.date(2017, 3, 5)
    assert p2.handling_due_on == dt.date(2017, 5, 4) and p2.due_at == dt.datetime(2017, 5, 5, tzinfo=BJ)
    assert p2.topic is None and p2.topic_text == "噪声" and p2.is_group and p2.jurisdiction == world.township("a")
    # 待受理 registered 2017-06-01: 转送/交办 due 2017-06-16 (15 days).
    assert p3.forward_due_on == dt.date(2017, 6, 16) and p3.due_at == dt.datetime(2017, 6, 17, tzinfo=BJ)
    assert TransitionLog.objects.filter(case_type="petitions.petition", kind="import").count() == 3
    assert AuditEntry.objects.filter(action="petition.import").count() >= 1


def test_round_trip_writes_nothing(world, tmp_path):
    admin = world.users["district_admin"]
    run(write_csv(tmp_path / "p.csv", [row(ident=VALID_ID), row(number="XF-002", state="办理中", how="", closed="")]),
        admin)
    out = tmp_path / "out.xlsx"
    ledgers.export_ledger(ledgers.get("petitions"), str(out), user=admin, full=True, reason="台账核对测试")
    sheet = openpyxl.load_workbook(out).active
    rows = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert rows[0][:len(HEADERS)] == HEADERS
    assert rows[1][2:6] == ["来访", "张三", VALID_ID, 1] and rows[1][13:16] == ["已化解", "解决问题到位、帮扶救助到位",
                                                                               "2017-04-20"]
    audits = AuditEntry.objects.filter(action__startswith="petition.").count()
    result = run(out, admin)
    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.filter(action__startswith="petition.").count() == audits
    # A masked export shows no full number; its masked cell is refused on import, by name.
    masked = tmp_path / "masked.csv"
    ledgers.export_ledger(ledgers.get("petitions"), str(masked), user=admin)
    text = masked.read_bytes().decode("utf-8-sig")
    assert VALID_ID not in text and "1403************1X" in text
    result = run(masked, admin)
    assert [(p.header, p.reason[:8]) for p in result.problems] == [("信访人公民身份号码", "这是脱敏后的号码")]


def test_a_changed_row_updates_through_the_case_layer(world, tmp_path):
    admin = world.users["district_admin"]
    run(write_csv(tmp_path / "a.csv", [row(number="XF-002", state="办理中", how="", closed="", who="李四")]), admin)
    result = run(write_csv(tmp_path / "b.csv", [row(number="XF-002", state="已稳控", how="依法处理",
                                                    closed="2017-05-01", who="李四明", ident=VALID_ID)]), admin)
    assert result.ok, [str(p) for p in result.problems]
    assert result.updated == 1
    p = Petition.objects.get(number="XF-002")
    assert p.state == "stabilised" and p.sanwei_lawful and p.closed_on == dt.date(2017, 5, 1) and p.due_at is None
    first = Petitioner.objects.get(petition=p)
    assert (first.name, first.id_masked) == ("李四明", "1403************1X")
    assert AuditEntry.objects.filter(action="petition.import_petitioner", object_id=str(p.pk)).count() == 1
    assert VALID_ID not in str(AuditEntry.objects.filter(action="petition.import_petitioner").get().changes)


def test_bad_cells_are_named_and_nothing_is_written(world, tmp_path):
    admin = world.users["district_admin"]
    path = write_csv(tmp_path / "bad.csv", [
        row(number="XF-101", ident="140311198001010011"),            # wrong check character
        row(number="XF-102", state="已办结", how=""),                  # 办结 without 三到位一处理
        row(number="XF-103", source="上级交办", body=""),               # 交办单位 missing
        row(number="XF-104", state="已化解", closed=""),                # 办结日期 missing
        row(number="XF-105", form="托人带话"),                         # not a form
        row(number="XF-106", count="0"),                              # 人数 < 1
        row(number="XF-107", registered="2017-02-30"),                # impossible date
        row(number="XF-108", place="荫营镇/荫营村委会"),                 # township b: outside the officer's scope
        row(number="XF-109", how="解决问题"),                           # an alias: fine
    ])
    result = run(path, world.officer("a"))
    assert not result.ok
    problems = {(p.row, p.header) for p in result.problems}
    assert {(2, "信访人公民身份号码"), (3, "处理方式"), (4, "交办单位"), (5, "办结日期"), (6, "信访形式"), (7, "人数"),
            (8, "登记日期")} <= problems
    assert any(p.row == 9 and p.header == "问题属地" for p in result.problems)
    assert not any(p.row == 10 for p in result.problems)
    messages = {p.header: p.reason for p in result.problems}
    assert "校验码" in messages["信访人公民身份号码"] and "第二十七条" in messages["处理方式"]
    assert Petition.objects.count() == 0
