"""Petition pages: the register list, registration, petitioners and the topic list. A petition's page, its
steps, 督办, 延期 and the work queue are the generic case pages (pingan/cases/views.py) with the petition's own
fields and the 条例's deadline panel (petitions/detail.html)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from pingan.cases.views import DEFAULT_TABS, QueueTab, Surface, register_surface
from pingan.core.services import form_error_lines
from pingan.core import audit
from pingan.core.scoping import get_visible_or_404, place_q, scoped
from pingan.core.views import paginate, require_capability

from . import choices as c
from . import selectors, services
from .filters import PetitionFilter
from .forms import PetitionerForm, PetitionForm, TopicForm
from .models import Petition, Petitioner, Topic
from .workflow import responsible


def _require_cases(request):
    if not request.user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看信访事项。")


def _require_write(request):
    if not request.user.can("data.write"):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色只能查看，不能办理。")


_labelled = form_error_lines  # pingan.core.services: one way to list a form's errors


def _add_errors(form, exc: ValidationError) -> None:
    for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errs)


@login_required
def petition_list(request):
    _require_cases(request)
    user = request.user
    base = selectors.petition_list(user)
    filterset = PetitionFilter(request.GET or None, queryset=base, request=request)
    errors = []
    if filterset.is_bound and not filterset.is_valid():
        errors = _labelled(filterset.form)
        qs = base.none()
    else:
        qs = filterset.qs
    return render(request, "petitions/list.html", {
        "page": paginate(request, qs), "filter": filterset, "errors": errors,
        "places": services.petition_places(user), "lists": selectors.assigned_list_choices(user),
        "forms": c.Form.choices, "types": c.PetitionType.choices, "sources": c.Source.choices,
        "states": c.PetitionState.choices, "can_register": user.can("petitions.register"),
        "can_configure": user.can("petitions.configure"),
    }, status=400 if errors else 200)


@require_capability("petitions.register")
@require_http_methods(["GET", "POST"])
def petition_create(request):
    _require_write(request)
    user = request.user
    form = PetitionForm(request.POST or None, request.FILES or None, places=services.petition_places(user),
                        topics=services.topic_choices(user), lists=selectors.assigned_list_choices(user),
                        initial={"registered_on": timezone.localdate(), "source": c.Source.LOCAL, "head_count": 1})
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.petition_register(actor=user, data=form.case_data(), petitioners=form.petitioners(),
                                                  attachments=form.cleaned_data["attachments"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"信访事项 {petition.number} 已登记，须于 {petition.forward_due_on:%Y-%m-%d} 前"
                                      "受理、转送或交办（《信访工作条例》第二十二条）。")
            return redirect("petitions:detail", pk=petition.pk)
    return render(request, "petitions/form.html", {"form": form, "rows": range(1, 7)},
                  status=400 if form.errors else 200)


@login_required
@scoped(Petition)
@require_http_methods(["GET", "POST"])
def petitioner_add(request, pk):
    _require_write(request)
    _require_cases(request)
    petition = get_visible_or_404(Petition.objects.select_related("jurisdiction"), request.user, pk=pk)
    form = PetitionerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.petitioner_add(actor=request.user, petition=petition, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "信访人已添加。")
            return redirect("petitions:detail", pk=petition.pk)
    return render(request, "petitions/petitioner_form.html", {"petition": petition, "form": form},
                  status=400 if form.errors else 200)


@login_required
@scoped(Petitioner)
@require_POST
def petitioner_remove(request, pk):
    _require_write(request)
    _require_cases(request)
    petitioner = get_visible_or_404(Petitioner.objects.select_related("petition"), request.user, pk=pk)
    try:
        services.petitioner_remove(actor=request.user, petitioner=petitioner)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"信访人{petitioner.name}已删除。")
    return redirect("petitions:detail", pk=petitioner.petition_id)


@require_capability("petitions.configure")
@require_http_methods(["GET", "POST"])
def topic_list(request):
    """问题类别: the district's list; add one, or change one (`?edit=<id>`)."""
    user = request.user
    editing = None
    if request.GET.get("edit", "").isdigit() or request.POST.get("topic", "").isdigit():
        key = request.POST.get("topic") or request.GET.get("edit")
        editing = Topic.objects.filter(place_q(Topic, user), pk=int(key)).first()
        if editing is None:
            raise Http404("问题类别不存在。")
    initial = ({"name": editing.name, "code": editing.code, "order": editing.order, "active": editing.active}
               if editing else {"active": True, "order": 0})
    form = TopicForm(request.POST or None, initial=initial)
    if request.method == "POST":
        _require_write(request)
        if form.is_valid():
            try:
                services.topic_save(actor=user, data=form.cleaned_data, topic=editing)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, "问题类别已保存。")
                return redirect("petitions:topics")
    topics = Topic.objects.filter(place_q(Topic, user)).order_by("order", "name")
    return render(request, "petitions/topics.html", {"form": form, "topics": topics, "editing": editing},
                  status=400 if form.errors else 200)


def _detail_context(request, petition: Petition, names: set) -> dict:
    user = request.user
    people = list(selectors.petitioners(user, petition))
    editable = petition.state in services.EDITABLE_STATES and user.can("data.write") and (
        user.can("petitions.register") or user.can("petitions.handle")) and responsible(user, petition)
    return {"petition": petition, "petitioners": people, "deadlines": selectors.deadline_panel(petition),
            "can_edit_petitioners": editable, "representatives": sum(1 for p in people if p.is_representative)}


def _backlog(qs, user, kind):
    return qs.filter(is_backlog=True).open()


register_surface(Surface(
    kind="petitions.petition", namespace="petitions", detail_template="petitions/detail.html",
    detail_queryset=selectors.petition_detail_qs, detail_context=_detail_context,
    photo_steps=(),
    next_steps=("accept", "assign", "acknowledge", "investigate", "draft_opinion", "conclude", "resolve",
                "stabilise", "review_conclude", "recheck_conclude"),
    queue_tabs=DEFAULT_TABS + (QueueTab("backlog", "积案", _backlog),),
    list_columns=(("信访人", "petitioner_name"), ("信访形式", "form"), ("问题属地", "jurisdiction.name"),
                  ("承办部门", "assigned_department.name")),
    title=lambda p: f"{p.petitioner_name or '信访人'}{p.get_form_display()}",
))
