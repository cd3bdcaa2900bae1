"""Public pages (no login): a citizen reports a problem and follows its status with a lookup code.

Captcha-free: each address may report a few times per window (the shared cache counts). The lookup page
shows the status only, never who reported or where exactly for a sensitive category."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from pingan.core.middleware import client_address

from . import intake, services
from .choices import EventState, Source
from .forms import LookupForm, PublicReportForm, attributes_from, category_fields_data, labelled_errors
from .models import Category, Event

REPORT_LIMIT = (5, 600)    # reports per address per 10 minutes
LOOKUP_LIMIT = (20, 600)   # lookups per address per 10 minutes (the code cannot be guessed by trying)


@require_http_methods(["GET", "POST"])
def report(request):
    form = PublicReportForm(request.POST or None, public=True)
    errors: dict = {}
    status = 200
    if request.method == "POST":
        if intake.rate_limited("public-report", client_address(request), limit=REPORT_LIMIT[0], seconds=REPORT_LIMIT[1]):
            errors = {"__all__": ["提交过于频繁，请 10 分钟后再试。紧急情况请拨打 110 或 12345。"]}
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                result = services.event_report(
                    actor=None, category=data["category"], description=data["description"],
                    latitude=data["latitude"], longitude=data["longitude"], address=data["address"],
                    urgency="normal", photos=request.FILES.getlist("photos"),
                    attributes=attributes_from(request.POST, data["category"]), source=Source.PUBLIC,
                    reporter_name=data["reporter_name"], reporter_phone=data["reporter_phone"],
                    idempotency_key=data["idempotency_key"])
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "message_dict") else {"__all__": exc.messages}
                status = 400
            else:
                return render(request, "events/public_done.html", {"event": result.event,
                                                                   "code": result.lookup_code,
                                                                   "repeat": not result.created}, status=201)
        else:
            errors = labelled_errors(form)
            status = 400
    categories = list(Category.objects.public().select_related("parent").prefetch_related("fields")
                      .order_by("parent__order", "parent__code", "order", "code"))
    groups: dict = {}
    for category in categories:
        groups.setdefault(category.parent.name, []).append(category)
    return render(request, "events/public_report.html", {
        "form": form, "errors": errors, "groups": list(groups.items()), "posted": request.POST,
        "fields_data": category_fields_data(categories)}, status=status)


@require_http_methods(["GET", "POST"])
def lookup(request):
    form = LookupForm(request.POST or None)
    event = None
    error = ""
    status = 200
    if request.method == "POST":
        if intake.rate_limited("public-lookup", client_address(request), limit=LOOKUP_LIMIT[0], seconds=LOOKUP_LIMIT[1]):
            error, status = "查询过于频繁，请 10 分钟后再试。", 429
        elif not form.is_valid():
            error, status = "请填写事件编号和查询码。", 400
        else:
            number = intake.normalize(form.cleaned_data["number"]).upper()
            # Only citizens' own reports carry a lookup code; internal reports are never looked up here.
            candidate = Event.objects.filter(number=number, source__in=[Source.PUBLIC, Source.OPEN311]).select_related(
                "category", "assigned_department", "assigned_township").first()
            if candidate is None or not intake.lookup_code_matches(candidate, form.cleaned_data["code"]):
                error, status = "编号或查询码不正确。", 404
            else:
                event = candidate
    return render(request, "events/public_lookup.html", {"form": form, "event": event, "error": error,
                                                         "expected": expected_by(event)}, status=status)


def expected_by(event: Event | None):
    """预计办结 on the lookup page: the handling due moment while the unit has the event (the engine's `due_at`),
    and the one in force at the feedback while the centre checks it; nothing before dispatch or once closed."""
    if event is None:
        return None
    if event.state in (EventState.DISPATCHED, EventState.HANDLING):
        return event.due_at
    if event.state == EventState.CHECKING:
        return event.handled_due_at
    return None
