"""Core pages: the home page per role, the audit log, an object's history, error pages; view helpers."""
from __future__ import annotations

import datetime as dt
from functools import wraps

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from . import audit, audit_display, registry
from .models import AuditEntry
from .scoping import get_visible_or_404

PAGE_SIZE = 50


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of a queryset; a bad or too-large page number gives the nearest valid page."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def require_capability(capability: str):
    """Login required, then the capability; a denial is audited and answers 403."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.can(capability):
                audit.denied(user=request.user, path=request.path)
                raise PermissionDenied("您的角色没有此功能的权限。")
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


@login_required
def home(request):
    return render(request, "core/home.html", {"panels": registry.home_panels(request)})


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


AUDIT_LOG_PARAMS = ("actor", "action", "object", "outcome", "from", "to", "request_id")


def audit_log_query(user, data) -> tuple:
    """The audit log's rows for its query string: (queryset, params, errors). The page and its export
    (ledgers/exports.py) share it, so an export holds exactly the entries the page lists."""
    qs = AuditEntry.objects.visible_to(user).select_related("actor")
    params = {k: data.get(k, "").strip() for k in AUDIT_LOG_PARAMS}
    errors = []
    if params["actor"]:
        qs = qs.filter(actor_name__icontains=params["actor"])
    if params["action"]:
        # By code (login) or by the label the page shows (登录).
        qs = qs.filter(Q(action__icontains=params["action"]) |
                       Q(action__in=audit_display.actions_labelled(params["action"])))
    if params["object"]:
        qs = qs.filter(object_repr__icontains=params["object"])
    if params["outcome"] in AuditEntry.Outcome.values:
        qs = qs.filter(outcome=params["outcome"])
    if params["request_id"]:
        qs = qs.filter(request_id=params["request_id"])
    tz = timezone.get_current_timezone()
    for key, op in (("from", "gte"), ("to", "lt")):
        if params[key]:
            day = _parse_date(params[key])
            if day is None:
                errors.append(f"日期“{params[key]}”格式不正确，应为 YYYY-MM-DD。")
                continue
            if key == "to":
                day += dt.timedelta(days=1)
            qs = qs.filter(**{f"at__{op}": dt.datetime.combine(day, dt.time.min, tzinfo=tz)})
    return qs, params, errors


@require_capability("audit.read_log")
def audit_log(request):
    qs, params, errors = audit_log_query(request.user, request.GET)
    status = 400 if errors else 200
    return render(request, "core/audit_log.html", {"page": paginate(request, qs), "params": params, "errors": errors,
                                                   "outcomes": AuditEntry.Outcome.choices}, status=status)


# Security events (等保 8.1.4.3: logins and their failures, lockouts, permission denials, reveals of personal data,
# exports, tokens and second factors): the auditor's to read. Other roles' history pages show the business
# changes of objects they may see, never these, nor any refused (failed) operation.
SECURITY_ACTIONS = ("login", "logout", "permission_denied", "account.unlock", "account.password_change",
                    "account.password_reset")
SECURITY_ACTION_PREFIXES = ("login.", "api_token.", "second_factor.", "job.download")
SECURITY_ACTION_SUFFIXES = (".reveal", ".export", ".download")


def security_events_q() -> Q:
    """The audit entries that are security events, by action (see SECURITY_ACTIONS), or refusals."""
    q = Q(action__in=SECURITY_ACTIONS) | Q(outcome=AuditEntry.Outcome.FAILURE) | Q(action__contains="export")
    for prefix in SECURITY_ACTION_PREFIXES:
        q |= Q(action__startswith=prefix)
    for suffix in SECURITY_ACTION_SUFFIXES:
        q |= Q(action__endswith=suffix)
    return q


@login_required
def object_history(request, label: str, pk: str):
    """The audit history of one object the user may see (visible_to, any scoped model).

    Security events and refusals are shown to the auditor only (who sees no business object, so in practice on
    its own account's page; every other object's security events it reads in the audit log). Other roles read
    the business history of the objects they may see.
    """
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404("没有这种记录。") from None
    if not hasattr(model.objects, "visible_to"):
        raise Http404("没有这种记录。")
    if model is get_user_model() and str(pk) == str(request.user.pk):
        obj = request.user  # one's own account, whatever the role's reference scope (the auditor has none)
    else:
        obj = get_visible_or_404(model, request.user, pk=pk)
    entries = audit.history(obj)
    security_shown = request.user.can("audit.read_log")
    if not security_shown:
        entries = entries.exclude(security_events_q())
    return render(request, "core/history.html", {"title": str(obj), "page": paginate(request, entries),
                                                 "model_name": model._meta.verbose_name,
                                                 "security_shown": security_shown})


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_403(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def error_500(request):
    return render(request, "500.html", status=500)


def error_400(request, exception=None):
    return render(request, "400.html", status=400)
