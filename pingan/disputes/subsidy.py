"""The mediators' lost-work subsidy (人民调解员误工补贴): the monthly sheet per township or district, its
approval (frozen from then on), its totals per mediator and per organisation, and its .xlsx.

Which cases a sheet of month M at node N holds (`sheet_build`): the disputes under N that are 调处成功
(RESOLVED_STATES), graded (案件等级), with a 主办调解员, not on any other sheet, and either
  - closed (办结日期) in M, or
  - closed before M but graded in M: a case graded after its closing month's sheet was approved (or built
    and taken by another sheet) is paid on the sheet of the month it was graded, never lost and never twice
    (one line per case, a database constraint).
Amounts are the rates in force at the case's place when the sheet is built (`registers.amounts_at`); a
draft is rebuilt at the rates of the moment; an approved sheet keeps its amounts whatever the rates become.

The .xlsx is made by a background job (pingan.jobs; the handler is `pingan.disputes.jobs`), never in the
request: a district's month can hold thousands of lines, and openpyxl's write-only mode took 1.5 s for 1,000
lines on the shared machine under load. The sheet's page starts the job (the API offers no .xlsx) and goes to
the job's page, which shows the progress (one step per line of 明细) and offers the file to its owner alone; it is
written by `sheet_xlsx` in the worker with the owner's rights checked again there, and the export is audited
(subsidysheet.export) when the file is made, the download by the jobs app (job.download). A sheet rebuilt or
approved while its file is being written fails the job (`SheetChanged`) instead of mixing two versions.
"""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from pingan.core import audit
from pingan.core.models import AuditEntry

from . import choices as c
from .models import Dispute, SubsidyLine, SubsidySheet
from .registers import amounts_at, rate_table

PREPARE = "disputes.prepare_subsidy"
APPROVE = "disputes.approve_subsidy"
GRADE_LABELS = dict(c.Grade.choices)


def month_start(value: Any) -> dt.date:
    """The first day of a month from a date or "2017-03" / "2017-03-01" / "2017年3月"; ValidationError in Chinese."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    import re
    import unicodedata

    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})?日?|月)?", text)
    if not m:
        raise ValidationError({"month": "月份格式不正确，应为 YYYY-MM，如 2017-03。"})
    year, month = int(m.group(1)), int(m.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationError({"month": "月份不存在，应为 2000 年至 2100 年的 1 至 12 月。"})
    return dt.date(year, month, 1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _deny(actor: Any, action: str, obj: Any, message: str) -> None:
    audit.record(actor=actor, action=action, obj=obj, outcome=AuditEntry.Outcome.FAILURE, detail=message)
    raise PermissionDenied(message)


def _check_node(actor: Any, node: Any) -> None:
    if node is None:
        raise ValidationError({"node": "请选择乡镇或区县。"})
    if node.level not in ("county", "township"):
        raise ValidationError({"node": "误工补贴发放表按乡镇或区县制作。"})
    if not node.path.startswith(getattr(actor, "scope_path", "") or "\0"):
        raise ValidationError({"node": "所选地区不在您的管辖范围内。"})


def eligible_disputes(node: Any, month: dt.date, sheet: SubsidySheet | None = None):
    """The disputes a sheet of `month` at `node` takes (see the module's docstring), not yet on another sheet."""
    end = next_month(month)
    qs = (Dispute.objects.filter(jurisdiction__path__startswith=node.path, state__in=c.RESOLVED_STATES,
                                 mediator__isnull=False)
          .exclude(grade="")
          .filter(Q(closed_on__gte=month, closed_on__lt=end)
                  | Q(closed_on__lt=month, graded_on__gte=month, graded_on__lt=end)))
    taken = SubsidyLine.objects.all()
    if sheet is not None and sheet.pk:
        taken = taken.exclude(sheet=sheet)
    return qs.exclude(pk__in=taken.values("dispute_id"))


def sheet_build(*, actor: Any, node: Any, month: Any) -> SubsidySheet:
    """制作（或重新生成）某月误工补贴发放表: needs disputes.prepare_subsidy and the node in scope. A month
    already approved at this node is refused; a draft is rebuilt from scratch at the current rates, and the
    actor becomes its preparer. Audited subsidysheet.build with the number of lines and the total."""
    if actor is None or not actor.can(PREPARE):
        _deny(actor, "subsidysheet.build", None, "您的角色不能制作误工补贴发放表。")
    month = month_start(month)
    _check_node(actor, node)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": "不能制作未来月份的发放表。"})
    with transaction.atomic():
        sheet = SubsidySheet.objects.select_for_update().filter(jurisdiction=node, month=month).first()
        if sheet is not None and sheet.status == c.SheetStatus.APPROVED:
            raise ValidationError({"month": f"{node.name}{month:%Y年%m月}的误工补贴发放表已审批，不能重新制作；"
                                            f"此后评定等级的案件列入评定当月的发放表。"})
        created = sheet is None
        if created:
            sheet = SubsidySheet.objects.create(jurisdiction=node, month=month, created_by=actor)
            before_total, before_lines = None, 0
        else:
            before_total, before_lines = sheet.total, sheet.lines.count()
            sheet.lines.all().delete()
            sheet.created_by = actor
        rates = rate_table()
        cache: dict[str, dict[str, Decimal]] = {}
        lines = []
        disputes = eligible_disputes(node, month, sheet).select_related("jurisdiction", "mediator") \
            .order_by("mediator_id", "closed_on", "pk")
        for dispute in disputes:
            path = dispute.jurisdiction.path
            if path not in cache:
                cache[path] = amounts_at(path, rates)
            lines.append(SubsidyLine(sheet=sheet, dispute=dispute, mediator_id=dispute.mediator_id,
                                     org_id=dispute.mediation_org_id or dispute.mediator.org_id,
                                     grade=dispute.grade, amount=cache[path][dispute.grade]))
        SubsidyLine.objects.bulk_create(lines)
        sheet.total = sum((line.amount for line in lines), Decimal("0"))
        sheet.save(update_fields=["total", "created_by"])
        audit.record(actor=actor, action="subsidysheet.build", obj=sheet,
                     changes={"month": month.isoformat(), "lines": [before_lines, len(lines)],
                              "total": [str(before_total) if before_total is not None else None, str(sheet.total)]},
                     detail=("制作" if created else "重新生成") + f"误工补贴发放表：{len(lines)} 件，合计 {sheet.total} 元")
    return sheet


def sheet_approve(*, actor: Any, sheet: SubsidySheet) -> SubsidySheet:
    """审批发放表 (冻结): needs disputes.approve_subsidy and the sheet in scope; the preparer may not approve
    their own sheet (职责分离); a sheet whose cases were regraded since it was built must be rebuilt first.
    From then on the sheet, its lines and their amounts never change. Audited subsidysheet.approve."""
    if actor is None or not actor.can(APPROVE):
        _deny(actor, "subsidysheet.approve", sheet, "您的角色不能审批误工补贴发放表。")
    if not SubsidySheet.objects.visible_to(actor).filter(pk=sheet.pk).exists():
        _deny(actor, "subsidysheet.approve", sheet, "该发放表不在您的管辖范围内。")
    with transaction.atomic():
        locked = SubsidySheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.status == c.SheetStatus.APPROVED:
            raise ValidationError({"status": f"{locked}的发放表已审批，不能重复审批。"})
        if locked.created_by_id is not None and locked.created_by_id == actor.pk:
            _deny(actor, "subsidysheet.approve", locked, "制表人不能审批自己制作的发放表（职责分离），请由其他有审批权限的人员审批。")
        regraded = locked.lines.exclude(grade=F("dispute__grade")).count()
        if regraded:
            raise ValidationError({"status": f"有 {regraded} 件案件在制表后改变了等级，请先重新生成发放表。"})
        total = locked.lines.aggregate(t=Sum("amount"))["t"] or Decimal("0")
        locked.status = c.SheetStatus.APPROVED
        locked.total = total
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.save(update_fields=["status", "total", "approved_by", "approved_at"])
        audit.record(actor=actor, action="subsidysheet.approve", obj=locked,
                     changes={"status": [c.SheetStatus.DRAFT.value, c.SheetStatus.APPROVED.value],
                              "total": str(total)},
                     detail=f"审批误工补贴发放表：合计 {total} 元")
    return locked


def sheet_delete(*, actor: Any, sheet: SubsidySheet) -> None:
    """删除草稿 (the preparer's mistake); an approved sheet is never deleted."""
    if actor is None or not actor.can(PREPARE):
        _deny(actor, "subsidysheet.delete", sheet, "您的角色不能删除误工补贴发放表。")
    with transaction.atomic():
        locked = SubsidySheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.status == c.SheetStatus.APPROVED:
            raise ValidationError("已审批的发放表不能删除。")
        snap = {"month": locked.month.isoformat(), "total": str(locked.total), "lines": locked.lines.count()}
        pk = locked.pk
        locked.delete()
        locked.pk = pk
        audit.record(actor=actor, action="subsidysheet.delete", obj=locked, changes={"before": snap})


# ------------------------------------------------------------------------------------------------ reads
def sheet_lines(sheet: SubsidySheet):
    return sheet.lines.select_related("dispute", "dispute__jurisdiction", "mediator", "org") \
        .order_by("org__name", "mediator__name", "dispute__closed_on", "dispute_id")


def sheet_totals(sheet: SubsidySheet) -> dict[str, list[dict[str, Any]]]:
    """Totals per mediator and per organisation, with the count per grade: two aggregate queries."""
    grade_counts = {f"n_{g}": Count("pk", filter=Q(grade=g)) for g in c.Grade.values}
    by_mediator = list(sheet.lines.values("mediator_id", "mediator__name", "org__name")
                       .annotate(cases=Count("pk"), amount=Sum("amount"), **grade_counts)
                       .order_by("org__name", "mediator__name"))
    by_org = list(sheet.lines.values("org_id", "org__name")
                  .annotate(cases=Count("pk"), amount=Sum("amount"), **grade_counts).order_by("org__name"))
    return {"mediators": by_mediator, "orgs": by_org}


def mediator_monthly(mediator) -> list[dict[str, Any]]:
    """A mediator's subsidy by month: cases and yuan per sheet month, approved or draft."""
    return list(SubsidyLine.objects.filter(mediator=mediator)
                .values("sheet__month", "sheet__status").annotate(cases=Count("pk"), amount=Sum("amount"))
                .order_by("-sheet__month"))


def may_read_sheets(user: Any) -> bool:
    """Sheets are case records of their place: whoever sees case data there reads them (the mediators sign
    them, 领导 read them); a department's handler never (no sheet is assigned to a department)."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.may_see_data_kind("case")
                and user.role != "dept_handler")


class SheetChanged(ValidationError):
    """The sheet was rebuilt, approved or deleted while its .xlsx was being written."""


def _fingerprint(sheet: SubsidySheet) -> tuple:
    """What the workbook depends on, in two small queries: a rebuild replaces every line (new ids), an
    approval changes the status and the approver."""
    row = SubsidySheet.objects.filter(pk=sheet.pk).values_list("status", "total", "approved_by_id",
                                                               "created_by_id").first()
    lines = SubsidyLine.objects.filter(sheet_id=sheet.pk).aggregate(n=Count("pk"), t=Sum("amount"),
                                                                    lo=Min("pk"), hi=Max("pk"))
    return row, tuple(sorted(lines.items()))


def sheet_xlsx(*, actor: Any, sheet: SubsidySheet, target: Any, progress: Any = None,
               job_id: int | None = None) -> int:
    """Write the sheet as .xlsx to `target` (a path or a binary file): 汇总（按调解员，签字栏）, 明细, each with a 合计
    row. Run by the export job (pingan.disputes.jobs) in the worker; memory does not grow with the lines
    (write-only workbook, lines read in chunks). `progress(done, total)` is called per line of 明细. Audited
    subsidysheet.export (who, which sheet, lines, total, the job) once the file is made; returns the line count.
    A sheet changed meanwhile raises SheetChanged (the file at a path `target` is removed) and nothing is
    audited."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from pingan.ledgers.writers import neutralise

    before = _fingerprint(sheet)
    if before[0] is None:
        raise SheetChanged("发放表已被删除。")
    sheet = SubsidySheet.objects.select_related("jurisdiction", "created_by", "approved_by").get(pk=sheet.pk)
    count = sheet.lines.count()
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    title = f"{sheet.jurisdiction.name}{sheet.month:%Y年%m月}人民调解员误工补贴发放表（{sheet.get_status_display()}）"

    def row(ws, values, strong=False):
        cells = []
        for value in values:
            cell = WriteOnlyCell(ws, value=neutralise(value) if isinstance(value, str) else value)
            if strong:
                cell.font = bold
            cells.append(cell)
        ws.append(cells)

    summary = wb.create_sheet("汇总")
    for width, letter in zip((6, 12, 28, 8, 8, 8, 8, 12, 16), "ABCDEFGHI"):
        summary.column_dimensions[letter].width = width
    row(summary, [title], strong=True)
    row(summary, ["序号", "调解员", "调解组织", "件数", "简易", "一般", "重大疑难", "金额（元）", "签字"], strong=True)
    totals = sheet_totals(sheet)
    for i, m in enumerate(totals["mediators"], 1):
        row(summary, [i, m["mediator__name"] or "", m["org__name"] or "", m["cases"],
                      m[f"n_{c.Grade.SIMPLE}"], m[f"n_{c.Grade.GENERAL}"], m[f"n_{c.Grade.MAJOR}"],
                      float(m["amount"] or 0), ""])
    row(summary, ["合计", "", "", count, sum(m[f"n_{c.Grade.SIMPLE}"] for m in totals["mediators"]),
                  sum(m[f"n_{c.Grade.GENERAL}"] for m in totals["mediators"]),
                  sum(m[f"n_{c.Grade.MAJOR}"] for m in totals["mediators"]), float(sheet.total), ""], strong=True)
    row(summary, [])
    row(summary, ["制表人", sheet.created_by.full_name if sheet.created_by_id else "", "审批人",
                  sheet.approved_by.full_name if sheet.approved_by_id else "",
                  "审批时间", timezone.localtime(sheet.approved_at).strftime("%Y-%m-%d") if sheet.approved_at else ""])

    detail = wb.create_sheet("明细")
    for width, letter in zip((6, 24, 30, 24, 24, 10, 12, 10, 12, 16), "ABCDEFGHIJ"):
        detail.column_dimensions[letter].width = width
    row(detail, [title], strong=True)
    row(detail, ["序号", "纠纷编号", "事件名称", "所属村(社区)", "调解组织", "调解员", "办结日期", "案件等级",
                 "补贴金额（元）", "签字"], strong=True)
    if progress is not None:
        progress(0, count)
    written = 0
    for written, line in enumerate(sheet_lines(sheet).iterator(chunk_size=1000), 1):
        d = line.dispute
        row(detail, [written, d.number, d.title, d.jurisdiction.name, line.org.name if line.org_id else "",
                     line.mediator.name if line.mediator_id else "",
                     d.closed_on.isoformat() if d.closed_on else "", GRADE_LABELS.get(line.grade, line.grade),
                     float(line.amount), ""])
        if progress is not None:
            progress(written, count)
    row(detail, ["合计", "", "", "", "", "", "", f"{count} 件", float(sheet.total), ""], strong=True)
    wb.save(target)  # (a write-only workbook is closed by saving it, whatever comes next)
    if written != count or _fingerprint(sheet) != before:
        if isinstance(target, (str, os.PathLike)):
            os.unlink(target)
        raise SheetChanged("发放表在导出期间被重新生成、审批或删除，请重新导出。")
    audit.record(actor=actor, action="subsidysheet.export", obj=sheet,
                 changes={"rows": count, "total": str(sheet.total), "job": job_id},
                 detail=f"导出误工补贴发放表（{count} 行）")
    return count


def subsidy_by_grade(disputes_qs) -> dict[str, Decimal]:
    """Yuan due per grade for the graded, resolved disputes of `disputes_qs` (mediation.subsidy_total): a
    case on an approved sheet at the sheet's frozen amount, any other at the rate in force at its place now.
    Two aggregate queries (the second grouped by place and grade) and the small rate table."""
    qs = disputes_qs.filter(state__in=c.RESOLVED_STATES).exclude(grade="")
    approved = SubsidyLine.objects.filter(sheet__status=c.SheetStatus.APPROVED, dispute__in=qs.values("pk"))
    result = {g: Decimal("0") for g in c.Grade.values}
    for r in approved.values("grade").annotate(t=Sum("amount")).order_by():
        result[r["grade"]] += r["t"] or Decimal("0")
    rest = qs.exclude(pk__in=SubsidyLine.objects.filter(sheet__status=c.SheetStatus.APPROVED).values("dispute_id"))
    rates = rate_table()
    cache: dict[str, dict[str, Decimal]] = {}
    for r in rest.values("jurisdiction__path", "grade").annotate(n=Count("pk")).order_by():
        path = r["jurisdiction__path"]
        if path not in cache:
            cache[path] = amounts_at(path, rates)
        result[r["grade"]] += cache[path][r["grade"]] * r["n"]
    return result


__all__ = ["sheet_build", "sheet_approve", "sheet_delete", "sheet_totals", "sheet_lines", "sheet_xlsx",
           "may_read_sheets", "SheetChanged", "mediator_monthly", "eligible_disputes", "month_start",
           "subsidy_by_grade"]
