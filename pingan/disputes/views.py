"""Dispute pages: the register list, registration (desktop and the grid worker's phone page, offline too),
parties, mediation sessions and co-mediators. A dispute's page, its steps, 督办, 延期 and the work queue are
the generic case pages (pingan/cases/views.py) with the dispute's own fields (disputes/detail.html)."""
from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from pingan.cases.views import Surface, register_surface
from pingan.core.services import form_error_lines
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import paginate, require_capability
from pingan.people.models import Person
from pingan.people.selectors import search_people

from . import choices as c
from . import selectors, services
from .filters import STATUS_CHOICES, DisputeFilter
from .forms import AcceptForm, CoMediatorsForm, DisputeForm, PartyForm, PhoneForm, SessionForm, category_choices
from .models import Dispute, DisputeParty
from .workflow import responsible

EVENTS_STATIC = Path(__file__).resolve().parent.parent / "events" / "static" / "events"


def _require_cases(request):
    if not request.user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看矛盾纠纷。")


def _require_write(request):
    if not request.user.can("data.write"):
        from pingan.core import audit

        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色只能查看，不能办理。")


def _add_errors(form, exc: ValidationError) -> None:
    for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errs)


_labelled = form_error_lines  # pingan.core.services: one way to list a form's errors


# --- list --------------------------------------------------------------------------------------------------
@login_required
def dispute_list(request):
    _require_cases(request)
    user = request.user
    base = selectors.dispute_list(user)
    filterset = DisputeFilter(request.GET or None, queryset=base, request=request)
    errors = []
    if filterset.is_bound and not filterset.is_valid():
        errors = _labelled(filterset.form)
        qs = base.none()
    else:
        qs = filterset.qs
    return render(request, "disputes/list.html", {
        "page": paginate(request, qs), "filter": filterset, "errors": errors,
        "places": selectors.place_choices(user).exclude(level="grid"),
        "categories": category_choices()[1:], "states": STATUS_CHOICES,
        "sources": c.Source.choices, "orgs": selectors.org_choices(user), "mediators": selectors.mediator_choices(user),
        "can_register": user.can("disputes.register"), "params": request.GET,
    }, status=400 if errors else 200)


# --- registration --------------------------------------------------------------------------------------------
@require_capability("disputes.register")
@require_http_methods(["GET", "POST"])
def dispute_create(request):
    _require_write(request)
    user = request.user
    form = DisputeForm(request.POST or None, request.FILES or None, places=selectors.place_choices(user),
                       screenings=selectors.screening_choices(user), departments=selectors.department_choices(user),
                       initial={"occurred_on": timezone.localdate(), "registered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.dispute_register(actor=user, data=form.case_data(), parties=form.parties(),
                                                photos=form.cleaned_data["photos"])
        except ValidationError as exc:
            _add_party_errors(form, exc)
        else:
            messages.success(request, f"矛盾纠纷 {dispute.number} 已登记。")
            return redirect("disputes:detail", pk=dispute.pk)
    return render(request, "disputes/form.html", {"form": form}, status=400 if form.errors else 200)


def _add_party_errors(form, exc: ValidationError) -> None:
    """Service errors onto the form: `parties.0.phone` beside 甲方联系电话, `parties` at the top."""
    for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        if field.startswith("parties."):
            _, index, name = field.split(".", 2)
            target = f"party{int(index) + 1}_{name}"
            form.add_error(target if target in form.fields else None, errs)
        else:
            form.add_error(field if field in form.fields else None, errs)


@require_capability("disputes.register")
@require_http_methods(["GET", "POST"])
def dispute_phone(request):
    """The grid worker's phone page. Without script it posts here; with script it posts to the API and,
    offline, keeps the registration in the browser until the network returns (events/offline.js, shared)."""
    _require_write(request)
    user = request.user
    places = selectors.place_choices(user)
    form = PhoneForm(request.POST or None, places=places, screenings=selectors.screening_choices(user))
    if request.method == "POST" and form.is_valid():
        try:
            dispute = services.dispute_register(actor=user, data=form.case_data(), parties=form.parties(),
                                                photos=request.FILES.getlist("photos"),
                                                idempotency_key=form.cleaned_data["idempotency_key"] or None)
        except ValidationError as exc:
            _add_party_errors(form, exc)
        else:
            if getattr(dispute, "_created", True):
                messages.success(request, f"纠纷已登记，编号 {dispute.number}。")
            else:
                messages.info(request, f"这条登记已经收到过（编号 {dispute.number}），没有重复登记。")
            return redirect("disputes:detail", pk=dispute.pk)
    default = user.scope if user.scope_id and user.scope.level in services.PLACE_LEVELS else None
    return render(request, "disputes/phone.html", {
        "form": form, "places": list(places), "default_place": default, "categories": category_choices()[1:],
        "scales": c.Scale.choices, "screenings": list(selectors.screening_choices(user)[:20]),
        "api_url": reverse("api:dispute-list"), "errors": _labelled(form) if form.errors else [],
        "posted": request.POST,
    }, status=400 if form.errors else 200)


def service_worker(request):
    """The offline service worker (events' one, shared), served from /disputes/ so it controls the phone page."""
    response = HttpResponse((EVENTS_STATIC / "sw.js").read_bytes(),
                            content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/disputes/"
    response["Cache-Control"] = "no-cache"
    return response


# --- parties -------------------------------------------------------------------------------------------------
def _dispute(request, pk):
    _require_cases(request)
    return get_visible_or_404(Dispute.objects.select_related("jurisdiction", "mediator"), request.user, pk=pk)


@login_required
@scoped(Dispute)
@require_http_methods(["GET", "POST"])
def party_add(request, pk):
    """当事人: search the people register (name, phone or ID — exact numbers are audited and limited by the
    people module), pick one, or type a new person or an organisation."""
    _require_write(request)
    dispute = _dispute(request, pk)
    form = PartyForm(request.POST or None, initial={"side": request.GET.get("side") or c.PartySide.APPLICANT,
                                                    "kind": c.PartyKind.PERSON})
    if request.method == "POST" and form.is_valid():
        try:
            services.party_add(actor=request.user, dispute=dispute, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "当事人已添加。")
            return redirect("disputes:detail", pk=dispute.pk)
    q = (request.GET.get("q") or "").strip()[:30]
    found = []
    if q and request.user.may_see_data_kind("person"):
        found = list(search_people(Person.objects.visible_to(request.user), q, request.user)
                     .select_related("jurisdiction")[:20])
    return render(request, "disputes/party_form.html", {"dispute": dispute, "form": form, "q": q, "found": found,
                                                        "searched": bool(q)},
                  status=400 if form.errors else 200)


@login_required
@scoped(DisputeParty)
@require_http_methods(["GET", "POST"])
def party_edit(request, pk):
    _require_write(request)
    _require_cases(request)
    party = get_visible_or_404(DisputeParty.objects.select_related("dispute", "dispute__jurisdiction"),
                               request.user, pk=pk)
    initial = {"side": party.side, "kind": party.kind, "person": party.person_id, "name": party.name, "sex": party.sex,
               "category": party.category, "address": party.address, "representative": party.representative}
    form = PartyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.party_update(actor=request.user, party=party, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "当事人已修改。")
            return redirect("disputes:detail", pk=party.dispute_id)
    return render(request, "disputes/party_form.html", {"dispute": party.dispute, "form": form, "party": party},
                  status=400 if form.errors else 200)


@login_required
@scoped(DisputeParty)
@require_POST
def party_remove(request, pk):
    _require_write(request)
    _require_cases(request)
    party = get_visible_or_404(DisputeParty.objects.select_related("dispute"), request.user, pk=pk)
    try:
        services.party_remove(actor=request.user, party=party)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("disputes:detail", pk=party.dispute_id)
    messages.success(request, f"当事人{party.name}已删除。")
    return redirect("disputes:detail", pk=party.dispute_id)


# --- sessions and co-mediators ----------------------------------------------------------------------------------
@login_required
@scoped(Dispute)
@require_http_methods(["GET", "POST"])
def session_add(request, pk):
    _require_write(request)
    dispute = _dispute(request, pk)
    form = SessionForm(request.POST or None, dispute=dispute,
                       initial={"held_on": timezone.localdate(), "place": dispute.mediation_org.name
                                if dispute.mediation_org_id else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.session_add(actor=request.user, dispute=dispute, data=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "调解记录已保存。")
            return redirect("disputes:detail", pk=dispute.pk)
    return render(request, "disputes/session_form.html", {"dispute": dispute, "form": form},
                  status=400 if form.errors else 200)


@login_required
@scoped(Dispute)
@require_http_methods(["GET", "POST"])
def co_mediators(request, pk):
    _require_write(request)
    dispute = _dispute(request, pk)
    form = CoMediatorsForm(request.POST or None, dispute=dispute,
                           initial={"mediators": list(dispute.co_mediators.all())})
    if request.method == "POST" and form.is_valid():
        try:
            services.co_mediators_set(actor=request.user, dispute=dispute, mediators=form.cleaned_data["mediators"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, "协办调解员已保存。")
            return redirect("disputes:detail", pk=dispute.pk)
    return render(request, "disputes/co_mediators.html", {"dispute": dispute, "form": form},
                  status=400 if form.errors else 200)


# --- the case page ----------------------------------------------------------------------------------------------
def _detail_context(request, dispute: Dispute, names: set) -> dict:
    user = request.user
    editable = (dispute.state in services.EDITABLE_STATES and user.can("data.write")
                and (user.can("disputes.register") or user.can("disputes.mediate")) and responsible(user, dispute))
    return {
        "dispute": dispute, "parties": list(dispute.parties.all()), "sessions": list(dispute.sessions.all()),
        "co_mediators": list(dispute.co_mediators.all()), "editable": editable,
        "judicial": selectors.judicial_window(dispute),
        "category_label": c.CATEGORY_LABELS.get(dispute.category, dispute.category),
    }


register_surface(Surface(
    kind="disputes.dispute", namespace="disputes", detail_template="disputes/detail.html",
    detail_queryset=selectors.dispute_detail_qs, detail_context=_detail_context,
    action_forms={"accept": AcceptForm},
    photo_steps=("settle",),
    next_steps=("accept", "settle", "followup", "report_back", "judicial_apply", "judicial_decide", "grade"),
    list_columns=(("事件名称", "title"), ("所在地", "jurisdiction.name"), ("调解组织", "mediation_org.name")),
    title=lambda dispute: dispute.title,
))
