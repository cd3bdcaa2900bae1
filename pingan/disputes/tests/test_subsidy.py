"""Subsidy sheets: which cases a month's sheet takes, the amounts (defaults, district and township rates),
the totals, approval with separation of duties, freezing, the late-graded case, role checks, and the .xlsx as a
background job (the same workbook, its progress, its owner alone, any size).
Expected sums are worked out by hand in the comments."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from pingan.core.models import AuditEntry
from pingan.disputes import choices as c
from pingan.disputes import subsidy
from pingan.disputes.models import SubsidyLine, SubsidyRate, SubsidySheet
from pingan.disputes.registers import grade_amounts

from .b_helpers import S, dispute, mediator, org

MARCH = dt.date(2017, 3, 1)


@pytest.fixture
def cases(world):
    """In 河底镇 (a): two mediators. March 2017: 张 closes a 简易 and a 重大疑难, 李 closes a 一般; not taken:
    a failed case, an ungraded settled one, one closed in April, one without a mediator."""
    zhang = mediator(world, "a", name="张调解")
    li = mediator(world, "a", organisation=org(world, "a", village=False), name="李调解")
    made = {
        "z1": dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 3, 5), grade=c.Grade.SIMPLE, who=zhang),
        "z2": dispute(world, "a", state=S.SETTLED, closed=dt.date(2017, 3, 31), grade=c.Grade.MAJOR, who=zhang),
        "l1": dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 3, 10), grade=c.Grade.GENERAL, who=li),
        "failed": dispute(world, "a", state=S.FAILED, closed=dt.date(2017, 3, 12), who=zhang),
        "ungraded": dispute(world, "a", state=S.SETTLED, closed=dt.date(2017, 3, 15), who=li),
        "april": dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 4, 1), grade=c.Grade.SIMPLE, who=li),
        "nobody": dispute(world, "a", state=S.ARCHIVED, closed=dt.date(2017, 3, 20), grade=c.Grade.SIMPLE),
        "other_township": dispute(world, "b", state=S.ARCHIVED, closed=dt.date(2017, 3, 6), grade=c.Grade.MAJOR,
                                  who=mediator(world, "b", name="王调解")),
    }
    return {"zhang": zhang, "li": li, **made}


def test_grade_amounts_default_then_district_then_township(world):
    assert grade_amounts(world.village("a")) == {"simple": 50, "general": 100, "major": 200}
    SubsidyRate.objects.create(jurisdiction=world.county, grade=c.Grade.SIMPLE, amount=Decimal("60"))
    SubsidyRate.objects.create(jurisdiction=world.township("a"), grade=c.Grade.SIMPLE, amount=Decimal("80"))
    SubsidyRate.objects.create(jurisdiction=world.county, grade=c.Grade.MAJOR, amount=Decimal("300"))
    # The township's 80 beats the district's 60 in 河底镇; 荫营镇 has the district's; 一般 stays 100.
    assert grade_amounts(world.village("a")) == {"simple": 80, "general": 100, "major": 300}
    assert grade_amounts(world.village("b")) == {"simple": 60, "general": 100, "major": 300}


def test_the_month_sheet_shows_each_case_at_its_grade(world, cases):
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month="2017-03")
    lines = {line.dispute_id: (line.grade, line.amount, line.mediator_id) for line in sheet.lines.all()}
    assert lines == {
        cases["z1"].pk: ("simple", Decimal("50"), cases["zhang"].pk),
        cases["z2"].pk: ("major", Decimal("200"), cases["zhang"].pk),
        cases["l1"].pk: ("general", Decimal("100"), cases["li"].pk),
    }
    assert sheet.total == Decimal("350") and sheet.month == MARCH and sheet.status == c.SheetStatus.DRAFT
    totals = subsidy.sheet_totals(sheet)
    by_name = {m["mediator__name"]: (m["cases"], m["amount"], m["n_simple"], m["n_major"]) for m in totals["mediators"]}
    # 张: 50 + 200 = 250 over 2 cases; 李: 100.
    assert by_name == {"张调解": (2, Decimal("250"), 1, 1), "李调解": (1, Decimal("100"), 0, 0)}
    assert sorted((o["org__name"], o["amount"]) for o in totals["orgs"]) == [("固庄人民调解委员会", Decimal("250")),
                                                                             ("河底人民调解委员会", Decimal("100"))]
    assert AuditEntry.objects.filter(action="subsidysheet.build", object_id=str(sheet.pk)).count() == 1


def test_a_draft_is_rebuilt_at_the_rates_of_the_moment(world, cases):
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    SubsidyRate.objects.create(jurisdiction=world.county, grade=c.Grade.MAJOR, amount=Decimal("250"))
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    # 50 + 250 + 100
    assert sheet.total == Decimal("400") and sheet.lines.count() == 3
    assert SubsidySheet.objects.count() == 1


def test_approval_freezes_and_the_preparer_may_not_approve(world, cases):
    sheet = subsidy.sheet_build(actor=world.users["center_staff"], node=world.township("a"), month=MARCH)
    with pytest.raises(PermissionDenied, match="职责分离"):
        subsidy.sheet_approve(actor=world.users["center_staff"], sheet=sheet)
    assert SubsidySheet.objects.get(pk=sheet.pk).status == c.SheetStatus.DRAFT
    subsidy.sheet_approve(actor=world.users["district_admin"], sheet=sheet)
    sheet.refresh_from_db()
    assert sheet.status == c.SheetStatus.APPROVED and sheet.approved_by == world.users["district_admin"]
    # A rate change afterwards does not move the frozen amounts; building the month again is refused.
    SubsidyRate.objects.create(jurisdiction=world.county, grade=c.Grade.SIMPLE, amount=Decimal("70"))
    with pytest.raises(ValidationError, match="已审批，不能重新制作"):
        subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month="2017年3月")
    with pytest.raises(ValidationError, match="已审批，不能重复审批"):
        subsidy.sheet_approve(actor=world.users["center_staff"], sheet=sheet)
    assert sorted(SubsidyLine.objects.values_list("amount", flat=True)) == [50, 100, 200]
    with pytest.raises(ValidationError, match="不能删除"):
        subsidy.sheet_delete(actor=world.officer("a"), sheet=sheet)


def test_a_case_graded_after_its_month_was_approved_goes_on_the_month_it_was_graded(world, cases):
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    subsidy.sheet_approve(actor=world.users["center_staff"], sheet=sheet)
    late = cases["ungraded"]  # closed 03-15, graded on 04-02
    type(late).objects.filter(pk=late.pk).update(grade=c.Grade.GENERAL, graded_on=dt.date(2017, 4, 2))
    april = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month="2017-04")
    # April: the case closed in April (简易 50) and the late-graded March case (一般 100).
    assert sorted((line.dispute_id, line.amount) for line in april.lines.all()) == sorted(
        [(cases["april"].pk, Decimal("50")), (late.pk, Decimal("100"))])
    assert april.total == Decimal("150")


def test_a_case_regraded_after_building_must_be_rebuilt_before_approval(world, cases):
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    type(cases["z1"]).objects.filter(pk=cases["z1"].pk).update(grade=c.Grade.GENERAL)
    with pytest.raises(ValidationError, match="重新生成"):
        subsidy.sheet_approve(actor=world.users["center_staff"], sheet=sheet)


def test_roles_and_bad_input(world, cases):
    with pytest.raises(PermissionDenied):
        subsidy.sheet_build(actor=world.users["mediator_a"], node=world.township("a"), month=MARCH)
    with pytest.raises(PermissionDenied):
        subsidy.sheet_build(actor=world.users["leader"], node=world.township("a"), month=MARCH)
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        subsidy.sheet_build(actor=world.officer("a"), node=world.township("b"), month=MARCH)
    with pytest.raises(ValidationError, match="月份格式不正确"):
        subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month="三月")
    with pytest.raises(ValidationError, match="月份不存在"):
        subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month="2017-13")
    with pytest.raises(ValidationError, match="未来月份"):
        subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month="2099-01")
    with pytest.raises(ValidationError, match="乡镇或区县"):
        subsidy.sheet_build(actor=world.officer("a"), node=world.village("a"), month=MARCH)
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    with pytest.raises(PermissionDenied):  # a township officer prepares, never approves
        subsidy.sheet_approve(actor=world.officer("b"), sheet=sheet)
    with pytest.raises(PermissionDenied):
        subsidy.sheet_approve(actor=world.users["mediator_a"], sheet=sheet)
    assert SubsidySheet.objects.get().status == c.SheetStatus.DRAFT
    assert not SubsidySheet.objects.filter(jurisdiction=world.township("b")).exists()


def test_pages_scope_and_roles(world, cases, client, django_assert_max_num_queries):
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    client.force_login(world.officer("b"))
    assert client.get(reverse("disputes:subsidy_detail", args=[sheet.pk])).status_code == 404
    assert client.get(reverse("disputes:subsidy_download", args=[sheet.pk])).status_code == 404
    client.force_login(world.users["mediator_a"])  # reads the sheets of the place (signs them), writes nothing
    assert client.get(reverse("disputes:subsidy_detail", args=[sheet.pk])).status_code == 200
    assert client.post(reverse("disputes:subsidy_approve", args=[sheet.pk])).status_code == 403
    client.force_login(world.users["handler_a"])
    assert client.get(reverse("disputes:subsidy_list")).status_code == 403
    client.force_login(world.users["leader"])
    assert client.get(reverse("disputes:subsidy_detail", args=[sheet.pk])).status_code == 200
    assert client.post(reverse("disputes:subsidy_approve", args=[sheet.pk])).status_code == 403
    client.force_login(world.officer("a"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("disputes:subsidy_list"))
    assert page.status_code == 200 and "2017年03月" in page.content.decode()
    # The preparer is refused with the reason; the centre approves through the page.
    client.force_login(world.users["center_staff"])
    response = client.post(reverse("disputes:subsidy_build"), {"node": world.township("a").pk, "month": "2017-03"})
    assert response.status_code == 302
    response = client.post(reverse("disputes:subsidy_approve", args=[sheet.pk]))
    assert response.status_code == 403
    client.force_login(world.users["district_admin"])
    assert client.post(reverse("disputes:subsidy_approve", args=[sheet.pk])).status_code == 302
    assert SubsidySheet.objects.get(pk=sheet.pk).status == c.SheetStatus.APPROVED
    response = client.post(reverse("disputes:subsidy_build"), {"node": world.township("a").pk, "month": "2017-03"})
    assert response.status_code == 400 and "已审批" in response.content.decode()
    response = client.post(reverse("disputes:subsidy_build"), {"node": world.township("a").pk, "month": "2017-3x"})
    assert response.status_code == 400 and "月份格式不正确" in response.content.decode()
    response = client.post(reverse("disputes:subsidy_build"), {"node": 999999, "month": "2017-03"})
    assert response.status_code == 400 and "不在您的管辖范围内" in response.content.decode()


def test_only_a_reviewing_officer_grades_and_only_a_case_that_succeeded(world, cases):
    from pingan.cases import engine
    from pingan.disputes.models import Dispute

    settled = Dispute.objects.get(pk=cases["ungraded"].pk)
    with pytest.raises(PermissionDenied):
        engine.transition(actor=world.users["mediator_a"], case=settled, action="grade", data={"grade": "major"})
    failed = Dispute.objects.get(pk=cases["failed"].pk)
    with pytest.raises((PermissionDenied, ValidationError)) as refused:
        engine.transition(actor=world.officer("a"), case=failed, action="grade", data={"grade": "simple"})
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused.value))
    assert Dispute.objects.get(pk=failed.pk).grade == ""
    engine.transition(actor=world.officer("a"), case=settled, action="grade", data={"grade": "general"})
    settled.refresh_from_db()
    assert settled.grade == "general" and settled.graded_by == world.officer("a")


# ------------------------------------------------------------------------------------------------ the .xlsx job
def _rows(ws) -> list[list]:
    """A sheet's rows as lists, empty cells as None and trailing empties dropped."""
    out = []
    for r in ws.iter_rows(values_only=True):
        values = [None if v == "" else v for v in r]
        while values and values[-1] is None:
            values.pop()
        out.append(values)
    return out


def _result_path(job):
    from pingan.jobs.services import job_path

    return job_path(job, job.result_file)


def _export(client, user, sheet):
    """The sheet page's button as `user`: the POST's answer."""
    client.force_login(user)
    return client.post(reverse("disputes:subsidy_download", args=[sheet.pk]))


def test_the_export_button_starts_a_job_that_writes_the_workbook_for_its_owner(world, cases, client):
    from pingan.jobs.models import Job
    from pingan.jobs.testing import run_queued_jobs

    officer = world.officer("a")
    sheet = subsidy.sheet_build(actor=officer, node=world.township("a"), month=MARCH)
    client.force_login(officer)
    page = client.get(reverse("disputes:subsidy_detail", args=[sheet.pk])).content.decode()
    action = reverse("disputes:subsidy_download", args=[sheet.pk])
    assert f'<form method="post" action="{action}"' in page and "导出 Excel</button>" in page
    response = _export(client, officer, sheet)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.owner == officer and job.kind == "subsidy_export" and job.status == Job.Status.QUEUED
    assert job.title == "误工补贴发放表导出（河底镇2017年03月）" and job.parameters["sheet"] == sheet.pk
    assert AuditEntry.objects.filter(action="job.create", object_id=str(job.pk), actor=officer).exists()
    # The file is made by the worker, not by the request: nothing exported yet.
    assert not AuditEntry.objects.filter(action="subsidysheet.export").exists()
    progress_page = client.get(response["Location"]).content.decode()
    assert "<progress" in progress_page and "返回误工补贴发放表" in progress_page

    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.message == "已生成误工补贴发放表：3 件，合计 350.00 元。"
    assert job.result_name == "误工补贴发放表-河底镇-201703.xlsx"
    entry = AuditEntry.objects.get(action="subsidysheet.export")
    assert entry.actor == officer and entry.object_id == str(sheet.pk) and entry.outcome == "success"
    assert entry.changes == {"rows": 3, "total": "350.00", "job": job.pk}
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert page.count("3 件，合计 350.00 元") == 1 and "下载 误工补贴发放表-河底镇-201703.xlsx" in page
    # The breadcrumb names the kind in Chinese (it is not one of the jobs app's own kinds).
    assert "› 误工补贴发放表导出</p>" in page and "subsidy_export" not in page

    response = client.get(reverse("jobs:download", args=[job.pk]), {"file": "result"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames == ["汇总", "明细"]
    title = "河底镇2017年03月人民调解员误工补贴发放表（草稿）"
    # 汇总, by organisation then mediator: 张 (固庄) 简易 50 + 重大疑难 200 = 250; 李 (河底) 一般 100; 350 in all.
    assert _rows(wb["汇总"]) == [
        [title],
        ["序号", "调解员", "调解组织", "件数", "简易", "一般", "重大疑难", "金额（元）", "签字"],
        [1, "张调解", "固庄人民调解委员会", 2, 1, 0, 1, 250],
        [2, "李调解", "河底人民调解委员会", 1, 0, 1, 0, 100],
        ["合计", None, None, 3, 1, 1, 1, 350],
        [],
        ["制表人", officer.full_name, "审批人", None, "审批时间"],
    ]
    village = world.village("a").name
    z1, z2, l1 = (cases[k] for k in ("z1", "z2", "l1"))
    assert _rows(wb["明细"]) == [
        [title],
        ["序号", "纠纷编号", "事件名称", "所属村(社区)", "调解组织", "调解员", "办结日期", "案件等级", "补贴金额（元）", "签字"],
        [1, z1.number, "宅基地纠纷", village, "固庄人民调解委员会", "张调解", "2017-03-05", "简易", 50],
        [2, z2.number, "宅基地纠纷", village, "固庄人民调解委员会", "张调解", "2017-03-31", "重大疑难", 200],
        [3, l1.number, "宅基地纠纷", village, "河底人民调解委员会", "李调解", "2017-03-10", "一般", 100],
        ["合计", None, None, None, None, None, None, "3 件", 350],
    ]
    assert AuditEntry.objects.filter(action="job.download", actor=officer, object_id=str(job.pk)).count() == 1


def test_an_approved_sheet_says_so_and_names_its_approver(world, cases, client):
    from pingan.jobs.testing import run_queued_jobs

    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    admin = world.users["district_admin"]
    subsidy.sheet_approve(actor=admin, sheet=sheet)
    sheet.refresh_from_db()
    assert _export(client, world.users["leader"], sheet).status_code == 302  # 领导 read the sheets, and export them
    [job] = run_queued_jobs()
    wb = openpyxl.load_workbook(_result_path(job))
    summary = _rows(wb["汇总"])
    assert summary[0] == ["河底镇2017年03月人民调解员误工补贴发放表（已审批）"]
    day = timezone.localtime(sheet.approved_at).strftime("%Y-%m-%d")
    assert summary[-1] == ["制表人", world.officer("a").full_name, "审批人", admin.full_name, "审批时间", day]
    assert AuditEntry.objects.get(action="subsidysheet.export").actor == world.users["leader"]


def test_the_job_reports_its_progress_line_by_line(world, cases):
    from pingan.disputes.jobs import export_start, subsidy_export

    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    job = export_start(actor=world.officer("a"), sheet=sheet)

    class Recorder:
        def __init__(self):
            self.stage, self.calls = "", []

        def __call__(self, done, total):
            self.calls.append((self.stage, done, total))

    recorder = Recorder()
    outcome = subsidy_export(job, recorder)
    assert outcome.status == "succeeded" and outcome.result["rows"] == 3
    assert recorder.calls == [("生成发放表", 0, 3), ("生成发放表", 1, 3), ("生成发放表", 2, 3), ("生成发放表", 3, 3)]


def test_the_finished_job_keeps_its_progress_for_the_status_poll(world, cases, client):
    from pingan.jobs.testing import run_queued_jobs

    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    _export(client, world.officer("a"), sheet)
    [job] = run_queued_jobs()
    assert (job.progress_done, job.progress_total) == (3, 3)
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["finished"] is True and status["done"] == 3 and status["total"] == 3


def test_another_townships_officer_cannot_start_the_job(world, cases, client):
    from pingan.jobs.models import Job

    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    before = AuditEntry.objects.filter(outcome="success").count()
    assert _export(client, world.officer("b"), sheet).status_code == 404
    assert client.get(reverse("disputes:subsidy_download", args=[sheet.pk])).status_code == 404
    assert _export(client, world.officer("b"), SubsidySheet(pk=987654)).status_code == 404
    assert not Job.objects.exists()
    assert AuditEntry.objects.filter(outcome="success").count() == before
    assert not AuditEntry.objects.filter(action__in=("job.create", "subsidysheet.export")).exists()
    # A department's handler reads no sheet (refused, audited as a denial); nothing is started either.
    assert _export(client, world.users["handler_a"], sheet).status_code == 403
    assert not Job.objects.exists()


def test_only_the_owner_sees_or_downloads_the_result(world, cases, client):
    from pingan.jobs.testing import run_queued_jobs

    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    _export(client, world.officer("a"), sheet)
    [job] = run_queued_jobs()
    # Others who read the same sheet (the centre, the district admin, the township's mediator, the leader)
    # start their own job; this one's file is the officer's.
    for persona in ("center_staff", "district_admin", "mediator_a", "leader", "township_b"):
        client.force_login(world.users[persona] if persona != "township_b" else world.officer("b"))
        for url in (reverse("jobs:detail", args=[job.pk]), reverse("jobs:status", args=[job.pk]),
                    reverse("jobs:download", args=[job.pk]) + "?file=result"):
            assert client.get(url).status_code == 404, (persona, url)
    assert not AuditEntry.objects.filter(action="job.download").exists()
    client.force_login(world.officer("a"))
    assert client.get(reverse("jobs:download", args=[job.pk]), {"file": "result"}).status_code == 200


def test_the_job_checks_the_owners_rights_again_when_it_runs(world, cases, client):
    from pingan.jobs.testing import run_queued_jobs

    officer = world.officer("a")
    sheet = subsidy.sheet_build(actor=officer, node=world.township("a"), month=MARCH)
    _export(client, officer, sheet)
    type(officer).objects.filter(pk=officer.pk).update(scope=world.township("b"))  # moved to 荫营镇 meanwhile
    [job] = run_queued_jobs()
    assert job.status == "failed" and job.message == "发放表不存在，或不在您的管辖范围内。"
    assert not job.result_file and not AuditEntry.objects.filter(action="subsidysheet.export").exists()


def test_a_sheet_rebuilt_while_its_file_is_written_fails_the_job(world, cases, monkeypatch):
    from pingan.disputes.jobs import export_start
    from pingan.jobs import services

    officer = world.officer("a")
    sheet = subsidy.sheet_build(actor=officer, node=world.township("a"), month=MARCH)
    job = export_start(actor=officer, sheet=sheet)
    real = services.Progress

    class RebuildingProgress(real):
        def __call__(self, done, total):
            if done == 0:  # the summary is written: the draft is rebuilt at a new rate before the lines
                SubsidyRate.objects.create(jurisdiction=world.county, grade=c.Grade.MAJOR, amount=Decimal("300"))
                subsidy.sheet_build(actor=officer, node=world.township("a"), month=MARCH)
            super().__call__(done, total)

    monkeypatch.setattr(services, "Progress", RebuildingProgress)
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.message == "发放表在导出期间被重新生成、审批或删除，请重新导出。"
    assert not job.result_file and not AuditEntry.objects.filter(action="subsidysheet.export").exists()
    assert not (services.job_dir(job) / "subsidy.xlsx").exists()


def test_a_sheet_of_more_than_2000_lines_is_exported(world, client):
    """2,001 simple cases of one mediator closed on 2017-03-02: 2,001 × 50 = 100,050 yuan."""
    from pingan.cases import engine
    from pingan.disputes.models import Dispute
    from pingan.jobs.testing import run_queued_jobs

    who = mediator(world, "a", name="赵调解")
    day = dt.date(2017, 3, 2)
    engine.case_register_bulk(actor=None, day_of=lambda d: d.registered_on, cases=[
        Dispute(jurisdiction=world.village("a"), title=f"宅基地纠纷{i}", occurred_on=day, registered_on=day,
                category="0902", summary="界址争执", state=S.ARCHIVED, closed_on=day, grade=c.Grade.SIMPLE,
                graded_on=day, mediator=who, mediation_org=who.org) for i in range(2001)])
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    assert sheet.lines.count() == 2001 and sheet.total == Decimal("100050")
    assert _export(client, world.officer("a"), sheet).status_code == 302
    [job] = run_queued_jobs()
    assert job.status == "succeeded" and (job.progress_done, job.progress_total) == (2001, 2001)
    wb = openpyxl.load_workbook(_result_path(job), read_only=True)
    summary = _rows(wb["汇总"])
    assert summary[2] == [1, "赵调解", "固庄人民调解委员会", 2001, 2001, 0, 0, 100050]
    assert summary[3] == ["合计", None, None, 2001, 2001, 0, 0, 100050]
    detail = _rows(wb["明细"])
    assert len(detail) == 2 + 2001 + 1 and detail[2002][0] == 2001 and detail[2002][8] == 50
    assert detail[-1] == ["合计", None, None, None, None, None, None, "2001 件", 100050]
    assert AuditEntry.objects.get(action="subsidysheet.export").changes["rows"] == 2001


def test_the_old_link_shows_the_button_and_a_get_starts_nothing(world, cases, client):
    from pingan.jobs.models import Job

    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    client.force_login(world.users["mediator_a"])
    page = client.get(reverse("disputes:subsidy_download", args=[sheet.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "误工补贴发放表导出（河底镇2017年03月）" in body and "导出 Excel</button>" in body
    assert not Job.objects.exists() and not AuditEntry.objects.filter(action="subsidysheet.export").exists()


def test_the_sheet_page_lists_its_lines_fifty_at_a_time_with_the_whole_count_and_total(world, client,
                                                                                      django_assert_max_num_queries):
    """120 simple cases of one mediator (120 × 50 = 6,000 yuan): page 1 and 2 show 50 lines each, page 3 the last
    20; the header counts all 120, the totals cover them all, and the page's queries do not grow with the lines."""
    from pingan.cases import engine
    from pingan.disputes.models import Dispute

    who = mediator(world, "a", name="钱调解")
    day = dt.date(2017, 3, 2)
    engine.case_register_bulk(actor=None, day_of=lambda d: d.registered_on, cases=[
        Dispute(jurisdiction=world.village("a"), title=f"相邻纠纷{i:03d}", occurred_on=day, registered_on=day,
                category="0902", summary="通行争执", state=S.ARCHIVED, closed_on=day, grade=c.Grade.SIMPLE,
                graded_on=day, mediator=who, mediation_org=who.org) for i in range(120)])
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    client.force_login(world.officer("a"))
    url = reverse("disputes:subsidy_detail", args=[sheet.pk])
    with django_assert_max_num_queries(25):
        first = client.get(url).content.decode()
    assert first.count('data-label="纠纷编号"') == 50 and "<dt>件数</dt><dd>120</dd>" in first
    assert "6000 元" in first and "第 1 / 3 页，共 120 条" in first
    last = client.get(url, {"page": 3}).content.decode()
    assert last.count('data-label="纠纷编号"') == 20 and "第 3 / 3 页，共 120 条" in last
