"""Part B's pages: the registers (调解组织, 人民调解员, 排查活动, 补贴标准, 研判例会) as pingan.registers
declarations, and the pages the generic register does not give: the monthly subsidy sheets (list, build,
sheet with totals, approve, delete a draft, the .xlsx as a background job), the new-meeting page with its
proposed agenda, and a follow-up's 落实情况. Every read goes through `visible_to` (404 outside scope); every
write through a service.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from pingan.core import audit
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.services import validation_message
from pingan.core.views import paginate
from pingan.registers import Register, apply_errors

from . import choices as c
from . import filters_b as f
from . import forms_b as forms
from . import jobs as subsidy_jobs
from . import meetings as meeting_services
from . import registers as services
from . import subsidy
from .models import (Dispute, MediationOrg, Mediator, Meeting, MeetingFollowUp, ScreeningCampaign, SubsidyRate,
                     SubsidySheet)

MANAGE = services.MANAGE

ORGS = Register(
    model=MediationOrg, namespace="disputes", name="orgs", title="调解组织", item_label="调解组织",
    form=forms.OrgForm, filterset=f.OrgFilter,
    columns=(("组织名称", "name"), ("类型", "get_kind_display"), ("所在地区", "jurisdiction.name"),
             ("所属部门", "department.name"), ("联系电话", "phone"), ("在用", "active")),
    create=services.org_create, update=services.org_update, delete=services.org_delete,
    write_capability=MANAGE, select_related=("jurisdiction", "department"),
    detail_template="disputes/org_detail.html", empty_text="没有登记的调解组织。",
    extra_links=(("人民调解员", "disputes:mediators_list"), ("排查活动", "disputes:screenings_list"),
                 ("补贴标准", "disputes:rates_list"), ("误工补贴", "disputes:subsidy_list"),
                 ("研判例会", "disputes:meetings_list")),
)

MEDIATORS = Register(
    model=Mediator, namespace="disputes", name="mediators", title="人民调解员", item_label="调解员",
    form=forms.MediatorForm, filterset=f.MediatorFilter,
    columns=(("姓名", "name"), ("调解组织", "org.name"), ("所在地区", "jurisdiction.name"), ("专兼职", "get_kind_display"),
             ("联系电话", "phone"), ("在任", "active")),
    detail_fields=(("姓名", "name"), ("性别", "get_sex_display"), ("调解组织", "org.name"),
                   ("所在地区", "jurisdiction.name"), ("专兼职", "get_kind_display"), ("联系电话", "phone"),
                   ("擅长领域", "specialty"), ("聘任日期", "certified_on"), ("培训情况", "training"),
                   ("系统账号", "user.username"), ("在任", "active")),
    create=services.mediator_create, update=services.mediator_update, delete=services.mediator_delete,
    write_capability=MANAGE, select_related=("jurisdiction", "org", "user"),
    detail_template="disputes/mediator_detail.html", empty_text="没有登记的调解员。",
)

SCREENINGS = Register(
    model=ScreeningCampaign, namespace="disputes", name="screenings", title="排查活动", item_label="排查活动",
    form=forms.CampaignForm, filterset=f.CampaignFilter,
    columns=(("活动名称", "name"), ("排查范围", "jurisdiction.name"), ("开始日期", "start_on"), ("结束日期", "end_on")),
    create=services.campaign_create, update=services.campaign_update, delete=services.campaign_delete,
    write_capability=MANAGE, detail_template="disputes/screening_detail.html", empty_text="没有排查活动。",
)

RATES = Register(
    model=SubsidyRate, namespace="disputes", name="rates", title="误工补贴标准", item_label="补贴标准",
    form=forms.RateForm, filterset=f.RateFilter,
    columns=(("适用地区", "jurisdiction.name"), ("案件等级", "get_grade_display"), ("补贴金额（元）", "amount")),
    create=services.rate_create, update=services.rate_update, delete=services.rate_delete,
    write_capability=services.CONFIGURE, list_template="disputes/rates_list.html",
    empty_text="尚未设定，按默认标准：简易 50 元、一般 100 元、重大疑难 200 元。",
)

MEETINGS = Register(
    model=Meeting, namespace="disputes", name="meetings", title="研判例会", item_label="例会",
    form=forms.MeetingEditForm, filterset=f.MeetingFilter,
    columns=(("会议日期", "held_on"), ("会议类型", "get_kind_display"), ("地区", "jurisdiction.name"),
             ("主持人", "chair"), ("会议地点", "place")),
    detail_fields=(("会议类型", "get_kind_display"), ("会议日期", "held_on"), ("地区", "jurisdiction.name"),
                   ("会议地点", "place"), ("主持人", "chair"), ("参会人员", "attendees"), ("议定事项", "decisions"),
                   ("记录人", "created_by.full_name")),
    update=lambda *, actor, instance, data: meeting_services.meeting_update(actor=actor, instance=instance, data=data),
    delete=meeting_services.meeting_delete, write_capability=MANAGE,
    select_related=("jurisdiction", "created_by"), detail_template="disputes/meeting_detail.html",
    extra_links=(("记录例会", "disputes:meeting_create"),), empty_text="没有例会记录。",
)


# ------------------------------------------------------------------------------------------------ detail extras
def org_context(request, org):
    mediators = list(org.mediators.visible_to(request.user).select_related("jurisdiction").order_by("name")[:200])
    counts = Dispute.objects.visible_to(request.user).filter(mediation_org=org).aggregate(
        total=Count("pk"), resolved=Count("pk", filter=Q(state__in=c.RESOLVED_STATES)))
    return {"mediators": mediators, "counts": counts}


def mediator_context(request, mediator):
    disputes = list(Dispute.objects.visible_to(request.user).filter(mediator=mediator)
                    .select_related("jurisdiction").order_by("-registered_on", "-pk").distinct()[:100])
    user = request.user
    own = mediator.user_id is not None and mediator.user_id == user.pk
    readers = user.may_see_data_kind("case") and user.role != "dept_handler"
    months = subsidy.mediator_monthly(mediator) if own or readers else []
    return {"disputes": disputes, "months": months, "shows_subsidy": own or readers}


def screening_context(request, campaign):
    qs = Dispute.objects.visible_to(request.user).filter(screening=campaign)
    labels = dict(c.DisputeState.choices)
    by_state = [(labels.get(r["state"], r["state"]), r["n"])
                for r in qs.values("state").annotate(n=Count("pk", distinct=True)).order_by("state")]
    disputes = list(qs.select_related("jurisdiction").order_by("-registered_on", "-pk").distinct()[:200])
    return {"disputes": disputes, "by_state": by_state, "total": sum(n for _l, n in by_state)}


def meeting_context(request, meeting):
    today = timezone.localdate()
    follow_ups = list(meeting.follow_ups.all())
    for item in follow_ups:
        item.overdue = item.done_on is None and item.due_on is not None and item.due_on < today
    disputes = list(meeting.disputes.visible_to(request.user).select_related("jurisdiction").distinct())
    alerts = list(meeting.alerts.visible_to(request.user).order_by("-raised_at").distinct()[:100])
    return {"follow_ups": follow_ups, "disputes": disputes, "alerts": alerts,
            "overdue_count": sum(1 for i in follow_ups if i.overdue),
            "can_manage": request.user.can(MANAGE), "done_form": forms.FollowUpDoneForm()}


# ------------------------------------------------------------------------------------------------ helpers
def _deny(request) -> None:
    audit.denied(user=request.user, path=request.path)
    raise PermissionDenied("您的角色没有此功能的权限。")


def _sheet_reader(request) -> None:
    """Who reads sheets: subsidy.may_read_sheets (case data of the place; never a department's handler)."""
    if not subsidy.may_read_sheets(request.user):
        _deny(request)


# ------------------------------------------------------------------------------------------------ 例会
@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    """记录例会: the agenda proposed (waiting warnings, overdue disputes), the meeting, the follow-ups."""
    if not request.user.can(MANAGE):
        _deny(request)
    agenda = meeting_services.meeting_agenda(request.user)
    initial = {"held_on": timezone.localdate(), "jurisdiction": request.user.scope_id,
               "disputes": " ".join(dict.fromkeys([d.number for d in agenda["overdue"]][:20]))}
    form = forms.MeetingForm(request.POST or None, actor=request.user, agenda=agenda, initial=initial)
    if request.method == "POST" and form.is_valid():
        numbers = form.dispute_numbers()
        found = {d.number: d for d in Dispute.objects.visible_to(request.user).filter(number__in=numbers).distinct()}
        unknown = [n for n in numbers if n not in found]
        if len(numbers) > 200:
            form.add_error("disputes", "一次最多研判 200 件纠纷。")
        elif unknown:
            form.add_error("disputes", f"找不到纠纷 {'、'.join(unknown[:5])}，或不在您的管辖范围内。")
        else:
            by_pk = {str(a.pk): a for a in agenda["alerts"]}
            chosen = [by_pk[pk] for pk in form.cleaned_data.get("alerts") or [] if pk in by_pk]
            data = {k: form.cleaned_data.get(k) for k in forms.MeetingForm.Meta.fields}
            try:
                meeting = meeting_services.meeting_create(
                    actor=request.user, data=data, disputes=list(dict.fromkeys(found[n] for n in numbers)),
                    alerts=chosen, follow_ups=form.follow_ups())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已记录例会：{meeting}。")
                return redirect("disputes:meetings_detail", pk=meeting.pk)
    return render(request, "disputes/meeting_form.html", {"form": form, "agenda": agenda},
                  status=400 if form.errors else 200)


@scoped(MeetingFollowUp, pk="pk")
@login_required
@require_POST
def followup_done(request, pk: int):
    """登记督办事项落实情况."""
    item = get_visible_or_404(MeetingFollowUp.objects.select_related("meeting"), request.user, pk=pk)
    if not request.user.can(MANAGE):
        _deny(request)
    form = forms.FollowUpDoneForm(request.POST)
    if form.is_valid():
        try:
            meeting_services.followup_update(actor=request.user, follow_up=item, data=form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, validation_message(exc))
            return redirect_with_status("disputes:meetings_detail", item.meeting_id, validation_message(exc))
        messages.success(request, "已登记落实情况。")
        return redirect("disputes:meetings_detail", pk=item.meeting_id)
    error = "；".join(e for errs in form.errors.values() for e in errs)
    messages.error(request, error)
    return redirect_with_status("disputes:meetings_detail", item.meeting_id, error)


def redirect_with_status(name: str, pk: int, message: str = ""):
    """A refused small form on a detail page: a short page saying why with a link back, answered 400 (the
    message is also queued for the detail page)."""
    from django.urls import reverse
    from django.utils.html import escape

    back = reverse(name, args=[pk])
    body = f'<!doctype html><meta charset="utf-8"><p>{escape(message) or "提交未成功。"}</p><p><a href="{back}">返回</a></p>'
    return HttpResponse(body, status=400, content_type="text/html; charset=utf-8")


# ------------------------------------------------------------------------------------------------ 误工补贴
@login_required
def subsidy_list(request):
    """误工补贴发放表: the sheets the user may see, newest month first; the rates in force at the user's place."""
    _sheet_reader(request)
    qs = SubsidySheet.objects.visible_to(request.user).select_related("jurisdiction", "created_by", "approved_by")
    flt = f.SheetFilter(request.GET or None, queryset=qs, request=request)
    status = 200
    if flt.is_bound and not flt.is_valid():
        qs, status = qs.none(), 400
    else:
        qs = flt.qs
    page = paginate(request, qs.order_by("-month", "jurisdiction__path"), 50)
    rates = services.grade_amounts(request.user.scope) if request.user.scope_id else {}
    labels = dict(c.Grade.choices)
    return render(request, "disputes/subsidy_list.html", {
        "page": page, "filter": flt, "rates": [(labels[g], a) for g, a in rates.items()],
        "can_prepare": request.user.can("disputes.prepare_subsidy"),
        "build_form": forms.SheetBuildForm(actor=request.user)}, status=status)


@login_required
@require_POST
def subsidy_build(request):
    """制作或重新生成发放表 (POST node, month)."""
    if not request.user.can("disputes.prepare_subsidy"):
        _deny(request)
    form = forms.SheetBuildForm(request.POST, actor=request.user)
    error = ""
    if form.is_valid():
        try:
            sheet = subsidy.sheet_build(actor=request.user, node=form.cleaned_data["node"],
                                        month=form.cleaned_data["month"])
        except ValidationError as exc:
            error = validation_message(exc).removeprefix("month：").removeprefix("node：")
        else:
            messages.success(request, f"已生成发放表：{sheet}，{sheet.lines.count()} 件，合计 {sheet.total} 元。")
            return redirect("disputes:subsidy_detail", pk=sheet.pk)
    else:
        error = "；".join(e for errs in form.errors.values() for e in errs)
    qs = SubsidySheet.objects.visible_to(request.user).select_related("jurisdiction", "created_by", "approved_by")
    page = paginate(request, qs.order_by("-month", "jurisdiction__path"), 50)
    return render(request, "disputes/subsidy_list.html", {
        "page": page, "filter": f.SheetFilter(queryset=qs, request=request), "rates": [], "error": error,
        "can_prepare": True, "build_form": form}, status=400)


@scoped(SubsidySheet, pk="pk")
@login_required
def subsidy_detail(request, pk: int):
    """One sheet: totals per mediator and per organisation, the lines, approve / rebuild / download."""
    _sheet_reader(request)
    sheet = get_visible_or_404(SubsidySheet.objects.select_related("jurisdiction", "created_by", "approved_by"),
                               request.user, pk=pk)
    totals = subsidy.sheet_totals(sheet)
    user = request.user
    draft = sheet.status == c.SheetStatus.DRAFT
    return render(request, "disputes/subsidy_detail.html", {
        # The lines a page at a time (a district month may hold hundreds); the totals above cover them all.
        "sheet": sheet, "page": paginate(request, subsidy.sheet_lines(sheet)), "totals": totals,
        "grades": c.Grade, "draft": draft,
        "can_approve": draft and user.can("disputes.approve_subsidy") and sheet.created_by_id != user.pk,
        "own_sheet": draft and sheet.created_by_id == user.pk and user.can("disputes.approve_subsidy"),
        "can_prepare": draft and user.can("disputes.prepare_subsidy"),
        "history_url": _history_url(sheet)})


def _history_url(sheet) -> str:
    from django.urls import reverse

    return reverse("core:history", args=[sheet._meta.label_lower, sheet.pk])


@scoped(SubsidySheet, pk="pk")
@login_required
@require_POST
def subsidy_approve(request, pk: int):
    sheet = get_visible_or_404(SubsidySheet.objects.all(), request.user, pk=pk)
    try:
        subsidy.sheet_approve(actor=request.user, sheet=sheet)
    except ValidationError as exc:
        error = validation_message(exc).removeprefix("status：")
        messages.error(request, error)
        return redirect_with_status("disputes:subsidy_detail", sheet.pk, error)
    messages.success(request, "发放表已审批，金额已冻结。")
    return redirect("disputes:subsidy_detail", pk=sheet.pk)


@scoped(SubsidySheet, pk="pk")
@login_required
@require_POST
def subsidy_rebuild(request, pk: int):
    sheet = get_visible_or_404(SubsidySheet.objects.select_related("jurisdiction"), request.user, pk=pk)
    try:
        subsidy.sheet_build(actor=request.user, node=sheet.jurisdiction, month=sheet.month)
    except ValidationError as exc:
        error = validation_message(exc).removeprefix("month：")
        messages.error(request, error)
        return redirect_with_status("disputes:subsidy_detail", sheet.pk, error)
    messages.success(request, "已按现行标准重新生成。")
    return redirect("disputes:subsidy_detail", pk=sheet.pk)


@scoped(SubsidySheet, pk="pk")
@login_required
@require_POST
def subsidy_delete(request, pk: int):
    sheet = get_visible_or_404(SubsidySheet.objects.all(), request.user, pk=pk)
    try:
        subsidy.sheet_delete(actor=request.user, sheet=sheet)
    except ValidationError as exc:
        messages.error(request, validation_message(exc))
        return redirect_with_status("disputes:subsidy_detail", sheet.pk, validation_message(exc))
    messages.success(request, "已删除发放表草稿。")
    return redirect("disputes:subsidy_list")


@scoped(SubsidySheet, pk="pk")
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subsidy_download(request, pk: int):
    """The sheet's .xlsx, made by a background job (see subsidy.py): POST starts the job and goes to its page
    (progress, then the file for the user alone); GET is a small page with the same button (an old link)."""
    _sheet_reader(request)
    sheet = get_visible_or_404(SubsidySheet.objects.select_related("jurisdiction"), request.user, pk=pk)
    if request.method == "POST":
        try:
            job = subsidy_jobs.export_start(actor=request.user, sheet=sheet)
        except PermissionDenied:
            raise Http404(subsidy_jobs.NOT_FOUND) from None
        return redirect("jobs:detail", pk=job.pk)
    return render(request, "disputes/subsidy_export.html", {
        "sheet": sheet, "count": sheet.lines.count(), "title": subsidy_jobs.export_title(sheet)})


__all__ = ["ORGS", "MEDIATORS", "SCREENINGS", "RATES", "MEETINGS"]
