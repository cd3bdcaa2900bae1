"""Grid-event pages: the phone report page, the list, the event's own fields on the generic case pages
(pingan/cases/views.py: the page, its steps, 督办, 延期 and the work queue), and the district's configuration
(categories, dispatch rules, Open311 keys)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from pingan.accounts.models import Department
from pingan.cases.views import EXTENSIONS_TAB, OVERDUE_TAB, SUPERVISED_TAB, QueueTab, Surface, register_surface
from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.services import validation_message
from pingan.core.views import paginate, require_capability
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import selectors, services
from .choices import EventState, Source, Urgency
from .forms import (CategoryFieldForm, CategoryForm, DispatchForm, DispatchRuleForm, DuplicateForm, KeyForm,
                    ReportForm, attributes_from, category_fields_data, labelled_errors)
from .models import Category, CategoryField, DispatchRule, Event, Open311Key

STATIC = Path(__file__).resolve().parent / "static" / "events"


def _require_cases(request):
    if not request.user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看事件。")


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "message_dict") else {"__all__": exc.messages}


# --- Reporting ---------------------------------------------------------------------------------------------
@require_capability("events.report")
@require_http_methods(["GET", "POST"])
def report(request):
    """The phone page. Without script it posts here; with script it posts to the API and, offline, keeps the
    report in the browser (IndexedDB) until the network returns (static/events/offline.js)."""
    user = request.user
    form = ReportForm(request.POST or None, user=user)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.event_report(
                    actor=user, category=data["category"], description=data["description"],
                    jurisdiction=data.get("jurisdiction"), latitude=data["latitude"], longitude=data["longitude"],
                    address=data["address"], urgency=data["urgency"] or "normal", photos=request.FILES.getlist("photos"),
                    attributes=attributes_from(request.POST, data["category"]),
                    idempotency_key=data["idempotency_key"], source=Source.GRID)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                if result.created:
                    messages.success(request, f"事件已上报，编号 {result.event.number}。")
                else:
                    messages.info(request, f"这条上报已经收到过（编号 {result.event.number}），没有重复登记。")
                return redirect("events:detail", pk=result.event.pk)
        else:
            errors = labelled_errors(form)
    categories = list(form.fields["category"].queryset.select_related("parent").prefetch_related("fields")
                      .order_by("parent__order", "parent__code", "order", "code"))
    grids = list(form.fields["jurisdiction"].queryset)
    default_grid = user.scope if user.scope_id and user.scope.level in services.REPORT_LEVELS else None
    return render(request, "events/report.html", {
        "form": form, "errors": errors, "groups": _group(categories), "grids": grids, "default_grid": default_grid,
        "fields_data": category_fields_data(categories), "urgencies": Urgency.choices,
        "posted": request.POST, "api_url": reverse("api:event-list"),
    }, status=400 if errors else 200)


def _group(categories):
    groups: dict[str, list] = {}
    for category in categories:
        groups.setdefault(category.parent.name, []).append(category)
    return list(groups.items())


def service_worker(request):
    """The offline service worker, served from /events/ so that it controls the report page."""
    response = HttpResponse((STATIC / "sw.js").read_bytes(), content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/events/"
    response["Cache-Control"] = "no-cache"
    return response


# --- Lists -------------------------------------------------------------------------------------------------
LIST_PARAMS = ("q", "state", "category", "township", "overdue", "source", "from", "to")


def event_list_query(user, data) -> tuple:
    """The event list's rows for its query string: (queryset in the list's order, params, errors). The list
    page and its export (events/exports.py) share it, so an export holds exactly the rows the list shows."""
    qs = selectors.events_for(user)
    params = {k: data.get(k, "").strip() for k in LIST_PARAMS}
    errors = []
    if params["q"]:
        qs = qs.filter(number__icontains=params["q"]) | qs.filter(description__icontains=params["q"])
    if params["state"] in EventState.values:
        qs = qs.filter(state=params["state"])
    if params["category"]:
        qs = qs.filter(category__code__startswith=params["category"][:10])
    if params["township"]:
        node = Node.objects.visible_to(user).filter(code=params["township"][:15]).first()
        qs = qs.filter(jurisdiction__path__startswith=node.path) if node else qs.none()
    if params["overdue"] == "1":
        qs = qs.overdue()
    if params["source"] in Source.values:
        qs = qs.filter(source=params["source"])
    for key, op in (("from", "gte"), ("to", "lte")):
        if params[key]:
            try:
                day = dt.date.fromisoformat(params[key])
            except ValueError:
                errors.append(f"日期“{params[key][:20]}”格式不正确，应为 YYYY-MM-DD。")
                continue
            qs = qs.filter(**{f"reported_at__date__{op}": day})
    return qs.order_by("-reported_at", "-id"), params, errors


@login_required
def event_list(request):
    _require_cases(request)
    user = request.user
    qs, params, errors = event_list_query(user, request.GET)
    page = paginate(request, qs)
    bulk = user.can("events.register")
    return render(request, "events/list.html", {
        "page": page, "params": params, "errors": errors, "states": EventState.choices, "sources": Source.choices,
        "categories": Category.objects.visible_to(user).filter(parent__isnull=True).order_by("code"),
        "townships": Node.objects.visible_to(user).filter(level=Level.TOWNSHIP).order_by("code"),
        "bulk": bulk, "departments": Department.objects.visible_to(user).filter(is_active=True) if bulk else [],
    }, status=400 if errors else 200)


@require_capability("events.register")
@require_POST
def bulk_dispatch(request):
    user = request.user
    ids = [i for i in request.POST.getlist("events") if i.isdigit()][:500]
    events = list(Event.objects.visible_to(user).filter(pk__in=ids).select_related("category", "jurisdiction"))
    department = township = None
    try:
        if request.POST.get("department"):
            department = get_visible_or_404(Department, user, pk=request.POST["department"])
        if request.POST.get("township"):
            township = get_visible_or_404(Node.objects.filter(level=Level.TOWNSHIP), user, pk=request.POST["township"])
    except Http404:
        messages.error(request, "所选承办单位不存在或不在您的管辖范围内。")
        return redirect("events:list")
    if len(events) != len(set(ids)):
        messages.error(request, "所选事件中有不存在或不在您管辖范围内的，未派遣。")
        return redirect("events:list")
    try:
        services.event_dispatch_bulk(actor=user, events=events, department=department, township=township)
    except ValidationError as exc:
        messages.error(request, validation_message(exc))
        response = redirect("events:list")
        response.status_code = 303
        return response
    messages.success(request, f"已派遣 {len(events)} 件事件。")
    return redirect("events:list")


# --- One event (the generic case pages of pingan/cases; this module adds the event's own fields) ----------
def _detail_queryset():
    return Event.objects.select_related("category", "category__parent", "jurisdiction", "jurisdiction__parent",
                                        "assigned_department", "assigned_township", "reporter", "duplicate_of")


def _event_or_404(request, pk):
    return get_visible_or_404(_detail_queryset(), request.user, pk=pk)


def _detail_context(request, event: Event, names: set) -> dict:
    user = request.user
    shows = _shows_reporter(user, event)
    return {
        "event": event, "attributes": _attribute_rows(event), "show_reporter": shows,
        "may_reveal": shows and user.can("people.reveal_id") and bool(event.reporter_phone_masked
                                                                      or event.reporter_email_masked),
    }


register_surface(Surface(
    kind="events.event", namespace="events", detail_template="events/detail.html",
    detail_queryset=_detail_queryset, detail_context=_detail_context,
    action_forms={"dispatch": DispatchForm, "duplicate": DuplicateForm},
    photo_steps=("accept", "feedback", "close", "send_back", "return"),
    next_steps=("register", "dispatch", "accept", "feedback", "close", "evaluate"),
    queue_tabs=(QueueTab("mine", "待我处理", lambda qs, user, kind: qs.filter(selectors.waiting_q(user))),
                OVERDUE_TAB, SUPERVISED_TAB, EXTENSIONS_TAB),
    list_columns=(("类别", "category.name"), ("所在地", "jurisdiction.name"), ("紧急程度", "urgency"),
                  ("承办部门", "assigned_department.name"), ("承办乡镇", "assigned_township.name")),
    title=lambda event: event.category.name,
))


def _shows_reporter(user, event: Event) -> bool:
    """A citizen's name and masked contact details: for the roles that register events and call back."""
    return event.source in (Source.PUBLIC, Source.OPEN311) and user.can("events.register")


@login_required
@require_POST
@scoped(Event)
def reveal(request, pk: int):
    """The full phone or e-mail a citizen left, once, with a reason; the reveal goes to the audit log."""
    _require_cases(request)
    event = _event_or_404(request, pk)
    field = request.POST.get("field", "")
    field = field if field in services.REVEALABLE else "reporter_phone"
    reason = request.POST.get("reason", "")
    context = {"event": event, "field": field, "label": services.REVEALABLE[field], "reason": reason}
    try:
        value = services.event_reveal_reporter(actor=request.user, event=event, field=field, reason=reason)
    except ValidationError as exc:
        context["errors"] = [m for msgs in _errors(exc).values() for m in msgs]
        return render(request, "events/reveal.html", context, status=400)
    response = render(request, "events/reveal.html", {**context, "value": value or "（未留）"})
    response["Cache-Control"] = "no-store"
    return response


def _attribute_rows(event: Event):
    fields = {f.code: f for f in event.category.fields.all()}
    rows = []
    for code, value in (event.attributes or {}).items():
        field = fields.get(code)
        names = {v["key"]: v["name"] for v in (field.values if field else [])}
        shown = "、".join(names.get(v, v) for v in value) if isinstance(value, list) else names.get(value, value)
        rows.append((field.label if field else code, shown))
    return rows


# --- Configuration -----------------------------------------------------------------------------------------
@require_capability("events.configure")
def category_list(request):
    categories = Category.objects.visible_to(request.user).select_related("parent").annotate(
        field_count=Count("fields")).order_by("code")
    rules = DispatchRule.objects.visible_to(request.user).select_related(
        "category", "jurisdiction", "department", "township").order_by("category__code", "jurisdiction__path")
    return render(request, "events/category_list.html", {"categories": categories, "rules": rules})


@require_capability("events.configure")
@require_http_methods(["GET", "POST"])
@scoped(Category)
def category_edit(request, pk: int | None = None):
    instance = get_visible_or_404(Category, request.user, pk=pk) if pk else None
    form = CategoryForm(request.POST or None, instance=instance, user=request.user)
    field_form = CategoryFieldForm()
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            category = services.category_save(actor=request.user, data=data,
                                              instance=get_visible_or_404(Category, request.user, pk=pk) if pk else None)
        except ValidationError as exc:
            for field, msgs in _errors(exc).items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            messages.success(request, f"类别“{category.name}”已保存。")
            return redirect("events:category_edit", pk=category.pk)
    fields = list(instance.fields.all()) if instance else []
    return render(request, "events/category_form.html", {"form": form, "instance": instance, "fields": fields,
                                                         "field_form": field_form},
                  status=400 if form.errors else 200)


@require_capability("events.configure")
@require_POST
@scoped(Category)
def category_field_add(request, pk: int):
    category = get_visible_or_404(Category, request.user, pk=pk)
    form = CategoryFieldForm(request.POST)
    if form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        data["values"] = services.parse_value_lines(form.cleaned_data["value_lines"])
        try:
            services.category_field_save(actor=request.user, category=category, data=data)
        except ValidationError as exc:
            messages.error(request, validation_message(exc))
            return _category_form_error(request, category, form)
        messages.success(request, "字段已添加。")
        return redirect("events:category_edit", pk=category.pk)
    return _category_form_error(request, category, form)


def _category_form_error(request, category, field_form):
    form = CategoryForm(instance=category, user=request.user)
    return render(request, "events/category_form.html", {"form": form, "instance": category,
                                                         "fields": list(category.fields.all()),
                                                         "field_form": field_form}, status=400)


@require_capability("events.configure")
@require_POST
@scoped(CategoryField)
def category_field_delete(request, pk: int):
    field = get_visible_or_404(CategoryField.objects.select_related("category"), request.user, pk=pk)
    category = field.category
    services.category_field_delete(actor=request.user, field=field)
    messages.success(request, "字段已删除。")
    return redirect("events:category_edit", pk=category.pk)


@require_capability("events.configure")
@require_http_methods(["GET", "POST"])
@scoped(DispatchRule)
def rule_edit(request, pk: int | None = None):
    instance = get_visible_or_404(DispatchRule, request.user, pk=pk) if pk else None
    form = DispatchRuleForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            services.dispatch_rule_save(actor=request.user, data=data,
                                        instance=get_visible_or_404(DispatchRule, request.user, pk=pk) if pk else None)
        except ValidationError as exc:
            for field, msgs in _errors(exc).items():
                form.add_error(field if field in form.fields else None, msgs)
        else:
            messages.success(request, "派遣规则已保存。")
            return redirect("events:category_list")
    return render(request, "events/rule_form.html", {"form": form, "instance": instance},
                  status=400 if form.errors else 200)


@require_capability("events.configure")
@require_POST
@scoped(DispatchRule)
def rule_delete(request, pk: int):
    rule = get_visible_or_404(DispatchRule, request.user, pk=pk)
    services.dispatch_rule_delete(actor=request.user, rule=rule)
    messages.success(request, "派遣规则已删除。")
    return redirect("events:category_list")


@require_capability("events.keys")
@require_http_methods(["GET", "POST"])
def key_list(request):
    form = KeyForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.open311_key_issue(actor=request.user, name=form.cleaned_data["name"],
                                                channel=form.cleaned_data["channel"])
        except ValidationError as exc:
            form.add_error(None, validation_message(exc))
        else:
            form = KeyForm()
    keys = Open311Key.objects.visible_to(request.user).select_related("created_by").order_by("-is_active", "name")
    return render(request, "events/keys.html", {"form": form, "keys": keys, "issued": issued},
                  status=400 if form.errors else 200)


@require_capability("events.keys")
@require_POST
@scoped(Open311Key)
def key_revoke(request, pk: int):
    key = get_visible_or_404(Open311Key, request.user, pk=pk)
    services.open311_key_revoke(actor=request.user, key=key)
    messages.success(request, f"密钥“{key.name}”已停用。")
    return redirect("events:key_list")
