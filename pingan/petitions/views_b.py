"""Part-2 pages of the petitions module: 交办清单 (list, detail with progress, attach, report back, the .docx),
积案 (list with counts), 领导接访 (schedule, plan, attach received petitions), and the panel
“可能重复的信访” of a petition with the officer's decision."""
from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pingan.core import audit
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import paginate

from . import backlog, lists, receptions, repeats
from .forms_b import AssignedListForm, AttachForm, ReceptionForm, RepeatForm, ReportForm
from .models import AssignedList, LeaderReception, Petition


def _require_cases(request):
    if not request.user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看信访事项。")


def _require_write(request):
    if not request.user.can("data.write") or not request.user.can("petitions.decide"):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色只能查看，不能办理。")


def _errors(form, exc: ValidationError) -> None:
    for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errs)


@login_required
@require_http_methods(["GET", "POST"])
def list_index(request):
    """交办清单: every list in scope with its progress; a new list (petitions.decide)."""
    _require_cases(request)
    user = request.user
    form = AssignedListForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _require_write(request)
        if form.is_valid():
            try:
                made = lists.list_create(actor=user, data=form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, f"已登记交办清单“{made.title}”。")
                return redirect("petitions:list_detail", pk=made.pk)
        status = 400
    qs = AssignedList.objects.visible_to(user).order_by("-received_on", "-pk")
    page = paginate(request, qs)
    today = timezone.localdate()
    rows = [(a, lists.list_progress(a, today)) for a in page.object_list]
    return render(request, "petitions/list_index.html", {
        "page": page, "rows": rows, "form": form, "can_write": user.can("petitions.decide")}, status=status)


@scoped(AssignedList)
@login_required
@require_http_methods(["GET", "POST"])
def list_detail(request, pk):
    """One list: every item's state, due day and overdue days, progress %, attach by number, report back."""
    _require_cases(request)
    user = request.user
    listed = get_visible_or_404(AssignedList.objects.all(), user, pk=pk)
    attach = AttachForm(request.POST if request.POST.get("do") == "attach" else None, prefix="a")
    report = ReportForm(request.POST if request.POST.get("do") == "report" else None, prefix="r")
    status = 200
    if request.method == "POST":
        _require_write(request)
        form = attach if request.POST.get("do") == "attach" else report
        if form.is_valid():
            try:
                if form is attach:
                    numbers = [n.upper() for n in re.split(r"[\s,，、;；]+", form.cleaned_data["numbers"]) if n]
                    found = list(Petition.objects.visible_to(user).filter(number__in=numbers))
                    if len(found) != len(set(numbers)):
                        raise ValidationError({"numbers": "有编号不存在或不在您的管辖范围内。"})
                    n = lists.list_attach(actor=user, assigned_list=listed, petitions=found)
                    messages.success(request, f"已列入 {n} 件。")
                else:
                    lists.list_report(actor=user, assigned_list=listed, text=form.cleaned_data["report_text"],
                                      reason=form.cleaned_data["reason"])
                    messages.success(request, "已报告办理情况。")
                return redirect("petitions:list_detail", pk=listed.pk)
            except ValidationError as exc:
                _errors(form, exc)
        status = 400
    items = listed.petitions.select_related("jurisdiction").order_by("registered_on", "pk")
    progress = lists.list_progress(listed)
    progress["items"] = lists.list_items(listed, petitions=items)
    return render(request, "petitions/list_detail.html", {
        "listed": listed, "progress": progress, "attach": attach, "report": report,
        "can_write": user.can("petitions.decide") and not listed.reported_on}, status=status)


@login_required
def backlog_index(request):
    """积案: the backlog petitions in scope with 包案领导, plan, outcome and the 联席会议 held; counts."""
    _require_cases(request)
    qs = (Petition.objects.visible_to(request.user).filter(is_backlog=True).select_related("jurisdiction")
          .prefetch_related("meetings").order_by("-registered_on", "-pk"))
    return render(request, "petitions/backlog_list.html", {
        "page": paginate(request, qs), "counts": backlog.backlog_counts(Petition.objects.visible_to(request.user))})


@login_required
@require_http_methods(["GET", "POST"])
def reception_index(request):
    """领导接访: upcoming and past reception days (a leader sees their own, read-only); plan one."""
    _require_cases(request)
    user = request.user
    form = ReceptionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _require_write(request)
        if form.is_valid():
            try:
                receptions.reception_save(actor=user, data=form.cleaned_data)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, "已登记接访安排。")
                return redirect("petitions:receptions")
        status = 400
    if user.role == "leader":
        own = list(receptions.leader_schedule(user).prefetch_related("petitions")[:100])
        today = timezone.localdate()
        sched = {"upcoming": [r for r in own if r.held_on >= today][::-1], "past": [r for r in own if r.held_on < today]}
    else:
        sched = receptions.schedule(user)
    return render(request, "petitions/reception_list.html", {
        "schedule": sched, "form": form, "can_write": user.can("petitions.decide")}, status=status)


@scoped(Petition)
@login_required
@require_http_methods(["GET", "POST"])
def repeat_panel(request, pk):
    """可能重复的信访: the same person's matters and similar ones; 是重复信访（关联 XF…） or 不是重复."""
    _require_cases(request)
    user = request.user
    petition = get_visible_or_404(Petition.objects.select_related("repeat_of"), user, pk=pk)
    # A tool of the officer who registers or decides (a read-only role reads the petition's own page).
    if not (user.can("petitions.register") or user.can("petitions.decide")) or not user.can("data.write"):
        audit.denied(user=user, path=request.path)
        raise PermissionDenied("您的角色不能查重和标记重复信访。")
    form = RepeatForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            number = form.cleaned_data["original"].strip().upper()
            original = Petition.objects.visible_to(user).filter(number=number).first() if number else None
            try:
                if number and original is None:
                    raise ValidationError({"original": "所关联的信访事项不存在或不在您的管辖范围内。"})
                repeats.repeat_mark(actor=user, petition=petition, original=original)
            except ValidationError as exc:
                _errors(form, exc)
            else:
                messages.success(request, f"已标记为重复信访（关联 {original.number}）。" if original else "已标记为不是重复。")
                return redirect("petitions:repeats", pk=petition.pk)
        status = 400
    found = repeats.candidates(user, petition)
    return render(request, "petitions/repeat_panel.html", {
        "petition": petition, "found": found, "form": form, "can_write": True}, status=status)
