"""The disputes ledger: import (engine and CLI), links and text for 化解组织/调解员, parties, the round trip,
every bad cell reported, --skip-invalid, scope, the grade of a case on an approved sheet."""
from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command

from pingan import ledgers
from pingan.cases.models import TransitionLog
from pingan.core.models import AuditEntry
from pingan.disputes import choices as c
from pingan.disputes import subsidy
from pingan.disputes.models import Dispute, DisputeParty

from .b_helpers import S, mediator, org

HEADERS = ["编号", "登记日期", "事件名称", "所属村(社区)", "纠纷类别", "事件规模", "涉及人数", "当事人", "简要情况", "化解方式",
           "化解组织", "调解员", "状态", "办结日期", "案件等级"]


def row(number="JF-001", registered="2017-03-05", title="宅基地纠纷", place="河底镇/固庄村委会", category="房屋宅基地",
        scale="个体性事件", people="2", parties="张三、李四", summary="两户因宅基地界址争执", method="人民调解",
        org_name="固庄人民调解委员会", mediator_name="调解员a", state="调处成功", closed="2017-03-20", grade="一般"):
    return [number, registered, title, place, category, scale, people, parties, summary, method, org_name,
            mediator_name, state, closed, grade]


def write_csv(path, rows, headers=HEADERS):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def run(path, user, **kwargs):
    return ledgers.import_ledger(ledgers.get("disputes"), str(path), user=user, **kwargs)


@pytest.fixture
def admin(world):
    return world.users["district_admin"]


@pytest.fixture
def registry(world):
    """固庄 (A)'s committee with 调解员a; 荫营 (B)'s with 调解员b; a second 同名 mediator in B named 重名."""
    a = mediator(world, "a", organisation=org(world, "a"), name="调解员a")
    b = mediator(world, "b", organisation=org(world, "b"), name="调解员b")
    mediator(world, "a", organisation=a.org, name="重名")
    mediator(world, "b", organisation=b.org, name="重名")
    return {"a": a, "b": b}


def test_it_imports_rows_through_the_case_layer_with_links_parties_and_grades(world, admin, registry, tmp_path):
    rows = [row(),
            row(number="JF-002", state="调处中", closed="", grade="", category="0101", scale="一般群体性事件", people="12",
                parties="王五;赵六；孙七", mediator_name="重名", org_name="某某协会调委会"),
            row(number="JF-003", state="已移交", closed="2017-04-01", grade="", place="荫营镇/矾窑村",
                mediator_name="调解员a", org_name="固庄人民调解委员会", category="征地拆迁", people="", parties="")]
    result = run(write_csv(tmp_path / "d.csv", rows), admin)
    assert result.ok, [str(p) for p in result.problems]
    assert (result.created, result.updated) == (3, 0)
    d1, d2, d3 = Dispute.objects.order_by("number")
    assert (d1.state, d1.closed_on, d1.grade, d1.category, d1.people_count) == (
        S.SETTLED, dt.date(2017, 3, 20), c.Grade.GENERAL, "0902", 2)
    assert d1.mediator == registry["a"] and d1.mediation_org == registry["a"].org
    assert d1.graded_on == dt.date(2017, 3, 20) and d1.number == "JF-001"
    assert [p.name for p in d1.parties.order_by("id")] == ["张三", "李四"]
    # Two mediators named 重名 and an unknown organisation: kept as text, no link, the row never fails.
    assert d2.mediator is None and d2.mediator_name == "重名" and d2.mediation_org is None
    assert d2.mediation_org_name == "某某协会调委会" and d2.scale == c.Scale.GROUP and d2.people_count == 12
    assert [p.name for p in d2.parties.order_by("id")] == ["王五", "赵六", "孙七"]
    # 调解员a and 固庄's committee may not serve 荫营镇's 矾窑村: names kept, links dropped.
    assert d3.state == S.TRANSFERRED and d3.mediator is None and d3.mediator_name == "调解员a"
    assert d3.mediation_org is None and d3.category == "1102" and d3.people_count == 2
    assert AuditEntry.objects.filter(action="dispute.import").count() == 3
    assert TransitionLog.objects.filter(kind=TransitionLog.Kind.IMPORT).count() == 3


def test_export_then_import_round_trips_and_an_archived_dispute_stays_archived(world, admin, registry, tmp_path):
    rows = [row(), row(number="JF-002", state="调处中", closed="", grade="", mediator_name="重名", org_name="某协会"),
            row(number="JF-003", state="调处失败", closed="2017-04-01", grade="", place="荫营镇/矾窑村",
                mediator_name="调解员b", org_name="矾窑人民调解委员会", parties="甲公司")]
    run(write_csv(tmp_path / "d.csv", rows), admin)
    Dispute.objects.filter(number="JF-001").update(state=S.ARCHIVED)
    out = tmp_path / "out.xlsx"
    call_command("export_ledger", "disputes", str(out), "--user", "district_admin", stdout=io.StringIO())
    values = list(openpyxl.load_workbook(out).active.values)
    assert list(values[0]) == HEADERS
    exported = {r[0]: r for r in values[1:]}
    assert exported["JF-001"][12] == "调处成功" and exported["JF-001"][14] == "一般"
    assert exported["JF-001"][4] == "土地及资源权属/宅基地使用" and exported["JF-001"][3] == "河底镇/固庄村委会"
    assert exported["JF-002"][11] == "重名" and exported["JF-003"][7] == "甲公司"
    before = AuditEntry.objects.exclude(action__startswith="ledger.").count()
    result = ledgers.import_ledger(ledgers.get("disputes"), str(out), user=admin)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.exclude(action__startswith="ledger.").count() == before
    assert Dispute.objects.get(number="JF-001").state == S.ARCHIVED


def test_a_changed_row_updates_state_and_parties_through_the_case_layer(world, admin, registry, tmp_path):
    run(write_csv(tmp_path / "a.csv", [row(state="调处中", closed="", grade="")]), admin)
    d = Dispute.objects.get()
    run(write_csv(tmp_path / "b.csv", [row(parties="张三、王五")]), admin)
    d.refresh_from_db()
    assert d.state == S.SETTLED and d.grade == c.Grade.GENERAL and d.closed_on == dt.date(2017, 3, 20)
    assert sorted(DisputeParty.objects.filter(dispute=d).values_list("name", flat=True)) == ["张三", "王五"]
    assert TransitionLog.objects.filter(case_id=d.pk, kind="import").count() == 2
    assert AuditEntry.objects.filter(action="dispute.import_parties", object_id=str(d.pk)).count() == 1


def test_every_bad_cell_is_reported_and_nothing_is_written(world, admin, registry, tmp_path):
    rows = [row(number="JF-1", category="吵架"),
            row(number="JF-2", scale="超大规模"),
            row(number="JF-3", place="不存在镇/无名村"),
            row(number="JF-4", state="已办结"),
            row(number="JF-5", closed="2017-03-01"),
            row(number="JF-6", people="0"),
            row(number="JF-7", people="十来个"),
            row(number="JF-8"), row(number="JF-8"),
            row(number="JF-9", state="调处中", grade="简易", closed=""),
            row(number="JF-10", state="调处失败", closed=""),
            row(number="JF-11", registered="2017-02-30")]
    result = run(write_csv(tmp_path / "bad.csv", rows), admin)
    assert not result.ok and Dispute.objects.count() == 0
    problems = {(p.row, p.header): p.reason for p in result.problems}
    assert "不是可选的值" in problems[(2, "纠纷类别")]
    assert "不是可选的值" in problems[(3, "事件规模")]
    assert "找不到" in problems[(4, "所属村(社区)")]
    assert "不是可选的值" in problems[(5, "状态")]
    assert "不能早于登记日期" in problems[(6, "办结日期")]
    assert "不能小于 1" in problems[(7, "涉及人数")]
    assert (8, "涉及人数") in problems
    assert "重复" in problems[(10, "编号")]
    assert "只有调处成功" in problems[(11, "案件等级")]
    assert "必须填写办结日期" in problems[(12, "办结日期")]
    assert "日期不存在" in problems[(13, "登记日期")]


def test_skip_invalid_writes_the_good_rows_and_the_cli_exits_non_zero(world, admin, registry, tmp_path):
    path = write_csv(tmp_path / "mixed.csv", [row(), row(number="JF-2", category="吵架")])
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_ledger", "disputes", str(path), "--user", "district_admin", stdout=io.StringIO(),
                     stderr=err)
    assert exit_info.value.code == 1 and "纠纷类别" in err.getvalue() and Dispute.objects.count() == 0
    with pytest.raises(SystemExit):
        call_command("import_ledger", "disputes", str(path), "--user", "district_admin", "--skip-invalid",
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert list(Dispute.objects.values_list("number", flat=True)) == ["JF-001"]
    assert (tmp_path / "mixed.csv.errors.xlsx").exists() or list(tmp_path.glob("*.errors.xlsx"))


def test_a_township_cannot_import_into_another(world, registry, tmp_path):
    result = run(write_csv(tmp_path / "d.csv", [row(place="荫营镇/矾窑村")]), world.officer("a"))
    assert not result.ok and "不在您的管辖范围内" in result.problems[0].reason
    assert Dispute.objects.count() == 0


def test_the_grade_of_a_case_on_an_approved_sheet_cannot_change(world, admin, registry, tmp_path):
    run(write_csv(tmp_path / "a.csv", [row()]), admin)
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month="2017-03")
    subsidy.sheet_approve(actor=world.users["center_staff"], sheet=sheet)
    result = run(write_csv(tmp_path / "b.csv", [row(grade="重大疑难")]), admin)
    assert not result.ok and "已审批的误工补贴发放表" in result.problems[0].reason
    assert Dispute.objects.get().grade == c.Grade.GENERAL
