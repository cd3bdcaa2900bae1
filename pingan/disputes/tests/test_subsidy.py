"""Subsidy sheets: which cases a month's sheet takes, the amounts (defaults, district and township rates),
the totals, approval with separation of duties, freezing, the late-graded case, the xlsx, role checks.
Expected sums are worked out by hand in the comments."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

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


def test_the_xlsx_has_chinese_headers_a_total_row_and_a_signature_column(world, cases, client):
    sheet = subsidy.sheet_build(actor=world.officer("a"), node=world.township("a"), month=MARCH)
    client.force_login(world.officer("a"))
    response = client.get(reverse("disputes:subsidy_download", args=[sheet.pk]))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    summary = [list(r) for r in wb["汇总"].iter_rows(values_only=True)]
    assert summary[1] == ["序号", "调解员", "调解组织", "件数", "简易", "一般", "重大疑难", "金额（元）", "签字"]
    total = next(r for r in summary if r[0] == "合计")
    assert total[3:8] == [3, 1, 1, 1, 350]
    detail = [list(r) for r in wb["明细"].iter_rows(values_only=True)]
    assert detail[1][-1] == "签字" and detail[1][7] == "案件等级"
    assert sorted(r[7] for r in detail[2:5]) == ["一般", "简易", "重大疑难"]
    assert detail[-1][0] == "合计" and detail[-1][8] == 350
    assert AuditEntry.objects.filter(action="subsidysheet.export", object_id=str(sheet.pk)).exists()


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
