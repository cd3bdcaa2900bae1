"""Hazard pages: the register list, registration, a hazard's page with its actions, the supervisor's queue."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pingan.cases.models import Extension, Supervision
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import paginate, require_capability
from pingan.cases import engine

from . import selectors, services
from .filters import HazardFilter
from .forms import (ExtensionDecideForm, ExtensionRequestForm, HazardForm, SuperviseForm, SupervisionReplyForm,
                    TransitionForm)
from .models import Hazard
from .workflow import HAZARD_KIND


def _require_cases(request):
    if not request.user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看风险隐患。")


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages_ in exc.message_dict.values() for m in messages_]
    return list(exc.messages)


def _form_errors(form) -> list[str]:
    return [m for errors in form.errors.values() for m in errors]


@login_required
def hazard_list(request):
    _require_cases(request)
    filterset = HazardFilter(request.GET or None, queryset=selectors.hazard_list(request.user), request=request)
    errors = []
    if filterset.is_bound and not filterset.is_valid():
        errors = _form_errors(filterset.form)
        qs = selectors.hazard_list(request.user).none()
    else:
        qs = filterset.qs
    places = selectors.place_choices(request.user).exclude(level="grid")
    return render(request, "hazards/list.html", {
        "page": paginate(request, qs), "filter": filterset, "errors": errors, "places": places,
        "can_register": request.user.can("hazards.register"), "total": None,
    }, status=400 if errors else 200)


@require_capability("hazards.register")
@require_http_methods(["GET", "POST"])
def hazard_create(request):
    form = HazardForm(request.POST or None, request.FILES or None, places=selectors.place_choices(request.user),
                      departments=selectors.department_choices(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
        try:
            hazard = services.hazard_register(actor=request.user, data=data, photos=form.cleaned_data["photos"])
        except ValidationError as exc:
            for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, f"风险隐患 {hazard.number} 已登记，整治期限 {hazard.rectify_deadline:%Y-%m-%d}。")
            return redirect("hazards:detail", pk=hazard.pk)
    return render(request, "hazards/form.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request, hazard: Hazard) -> dict:
    user = request.user
    actions = engine.allowed_actions(user, hazard)
    extensions = list(engine.case_extensions(hazard))
    supervisions = list(engine.case_supervisions(hazard))
    village = hazard.jurisdiction.parent if hazard.jurisdiction.level == "grid" else hazard.jurisdiction
    return {
        "hazard": hazard, "village": village,
        "state_label": hazard.get_state_display(),
        "is_overdue": Hazard.objects.filter(pk=hazard.pk).overdue().exists(),
        "actions": [{"t": t, "photo_required": engine.photo_required(HAZARD_KIND, t)} for t in actions],
        "log": engine.case_log(hazard),
        "supervisions": supervisions,
        "extensions": extensions,
        "approvable": [e for e in extensions if e.status == Extension.Status.PENDING
                       and engine.may_approve_extension(user, e, hazard)],
        "can_supervise": engine.may_supervise(user, hazard),
        "can_handle": engine.may_handle(user, hazard),
        "has_pending_extension": any(e.status == Extension.Status.PENDING for e in extensions),
        "open_supervisions": [s for s in supervisions if s.status == Supervision.Status.OPEN],
        "tile_url": settings.PINGAN_TILE_URL,
        "transition_form": TransitionForm(), "supervise_form": SuperviseForm(),
        "extension_form": ExtensionRequestForm(), "kind": HAZARD_KIND,
    }


def _render_detail(request, hazard, errors=None, status=200):
    context = _detail_context(request, hazard)
    context["action_errors"] = errors or []
    return render(request, "hazards/detail.html", context, status=status)


@login_required
@scoped(Hazard)
def hazard_detail(request, pk: int):
    _require_cases(request)
    hazard = get_visible_or_404(selectors.hazard_detail_qs(), request.user, pk=pk)
    return _render_detail(request, hazard)


@login_required
@require_POST
@scoped(Hazard)
def hazard_transition(request, pk: int):
    _require_cases(request)
    hazard = get_visible_or_404(selectors.hazard_detail_qs(), request.user, pk=pk)
    form = TransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_detail(request, hazard, _form_errors(form), status=400)
    data = form.cleaned_data
    fields = {k: data[k] for k in ("rectified_on", "measures", "acceptance_note") if data.get(k) not in (None, "")}
    try:
        services.hazard_transition(actor=request.user, hazard=hazard, action=data["action"], data=fields,
                                   note=data["note"], photos=data["photos"])
    except ValidationError as exc:
        return _render_detail(request, hazard, _errors(exc), status=400)
    messages.success(request, f"已{HAZARD_KIND.transition(data['action']).label}，当前状态：{hazard.get_state_display()}。")
    return redirect("hazards:detail", pk=hazard.pk)


@login_required
@require_POST
@scoped(Hazard)
def hazard_supervise(request, pk: int):
    _require_cases(request)
    hazard = get_visible_or_404(selectors.hazard_detail_qs(), request.user, pk=pk)
    form = SuperviseForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, hazard, _form_errors(form), status=400)
    try:
        services.hazard_supervise(actor=request.user, hazard=hazard, note=form.cleaned_data["note"],
                                  due_on=form.cleaned_data["due_on"])
    except ValidationError as exc:
        return _render_detail(request, hazard, _errors(exc), status=400)
    messages.success(request, "已督办，承办单位将在督办队列中看到。")
    return redirect("hazards:detail", pk=hazard.pk)


@login_required
@require_POST
@scoped(Hazard)
def hazard_supervision_reply(request, pk: int):
    _require_cases(request)
    hazard = get_visible_or_404(selectors.hazard_detail_qs(), request.user, pk=pk)
    form = SupervisionReplyForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, hazard, _form_errors(form), status=400)
    supervision = engine.case_supervisions(hazard).filter(pk=form.cleaned_data["supervision"]).first()
    if supervision is None:
        return _render_detail(request, hazard, ["找不到这条督办记录。"], status=400)
    try:
        services.hazard_supervision_reply(actor=request.user, hazard=hazard, supervision=supervision,
                                          reply=form.cleaned_data["reply"])
    except ValidationError as exc:
        return _render_detail(request, hazard, _errors(exc), status=400)
    messages.success(request, "督办已反馈。")
    return redirect("hazards:detail", pk=hazard.pk)


@login_required
@require_POST
@scoped(Hazard)
def hazard_extension_request(request, pk: int):
    _require_cases(request)
    if not request.user.can("data.write"):  # leaders read only: refused before the form is read
        raise PermissionDenied("您的角色只能查看，不能申请延期。")
    hazard = get_visible_or_404(selectors.hazard_detail_qs(), request.user, pk=pk)
    form = ExtensionRequestForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, hazard, _form_errors(form), status=400)
    try:
        services.hazard_extension_request(actor=request.user, hazard=hazard, **form.cleaned_data)
    except ValidationError as exc:
        return _render_detail(request, hazard, _errors(exc), status=400)
    messages.success(request, "延期申请已提交，等待上级审批。")
    return redirect("hazards:detail", pk=hazard.pk)


@login_required
@require_POST
@scoped(Hazard)
def hazard_extension_decide(request, pk: int):
    _require_cases(request)
    if not request.user.can("hazards.approve_extension"):
        raise PermissionDenied("您的角色不能审批延期申请。")
    hazard = get_visible_or_404(selectors.hazard_detail_qs(), request.user, pk=pk)
    form = ExtensionDecideForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, hazard, _form_errors(form), status=400)
    extension = engine.case_extensions(hazard).filter(pk=form.cleaned_data["extension"]).first()
    if extension is None:
        return _render_detail(request, hazard, ["找不到这份延期申请。"], status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.hazard_extension_decide(actor=request.user, hazard=hazard, extension=extension, approve=approve,
                                         note=form.cleaned_data["decision_note"])
    except ValidationError as exc:
        return _render_detail(request, hazard, _errors(exc), status=400)
    messages.success(request, f"延期申请已{'批准，期限延至 ' + f'{extension.new_deadline:%Y-%m-%d}' if approve else '驳回'}。")
    return redirect("hazards:detail", pk=hazard.pk)


@login_required
def hazard_queue(request):
    """督办队列: overdue hazards, open 督办 (for the supervised unit too) and extensions awaiting approval."""
    _require_cases(request)
    user = request.user
    supervisions = list(selectors.open_supervisions(user).order_by("due_on", "id")[:200])
    extensions = list(selectors.pending_extensions(user).select_related("requested_by").order_by("created_at")[:200])
    ids = {s.case_id for s in supervisions} | {e.case_id for e in extensions}
    by_id = {h.pk: h for h in selectors.hazard_list(user).filter(pk__in=ids)}
    return render(request, "hazards/queue.html", {
        "overdue": paginate(request, selectors.overdue_hazards(user)),
        "supervisions": [(s, by_id[s.case_id]) for s in supervisions if s.case_id in by_id],
        "extensions": [(e, by_id[e.case_id]) for e in extensions if e.case_id in by_id],
        "counts": selectors.queue_counts(user),
    })
