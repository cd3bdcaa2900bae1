"""The 预警中心 pages: the list (filters shared with the API, counts by level), an alert's page with its
reason, its source and the buttons to act on it, and the rules page (on/off and numbers per district or
township). Outside the user's scope: 404."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from pingan.core.scoping import get_visible_or_404, scoped
from pingan.core.views import paginate, require_capability
from pingan.geo.choices import Level as NodeLevel
from pingan.geo.models import Node

from . import selectors, services
from .filters import AlertFilter, module_label
from .forms import HandleForm
from .models import Alert, Level, Status
from .registry import _RULES, get_rule, rule_params, rules

PAGE_SIZE = 30


def _require_cases(request) -> None:
    if not request.user.may_see_data_kind("case"):
        raise PermissionDenied("您的角色不能查看预警。")


def _errors(form) -> list[str]:
    return [m for errors in form.errors.values() for m in errors]


def _places(user):
    return Node.objects.visible_to(user).filter(
        level__in=[NodeLevel.TOWNSHIP, NodeLevel.VILLAGE, NodeLevel.COMMUNITY]).order_by("path").only(
        "code", "name", "level", "path")


def _with(request, key: str, value: str | None, drop: tuple[str, ...] = ()) -> str:
    """The current list's query string with `key` set to `value` (or removed), the page and `drop` removed."""
    params = request.GET.copy()
    for name in ("page", key, *drop):
        params.pop(name, None)
    if value is not None:
        params[key] = value
    return "?" + params.urlencode() if params else "?"


@login_required
def alert_list(request):
    _require_cases(request)
    base = selectors.alert_list(request.user)
    filterset = AlertFilter(request.GET or None, queryset=base, request=request)
    errors = []
    if filterset.is_bound and not filterset.is_valid():
        errors = _errors(filterset.form)
        qs = base.none()
    else:
        qs = filterset.qs
    counts = selectors.center_counts(request.user, request.GET) if not errors else {
        "total": 0, "status": dict.fromkeys(Status.values, 0), "level": dict.fromkeys(Level.values, 0)}
    return render(request, "alerts/list.html", {
        "page": paginate(request, qs.order_by("-raised_at", "-id").select_related("acknowledged_by"),
                         per_page=PAGE_SIZE),
        "counts": counts, "filter": filterset, "errors": errors,
        "status_counts": [(value, label, counts["status"][value], _with(request, "status", value))
                          for value, label in Status.choices],
        "level_counts": [(value, label, counts["level"][value], _with(request, "level", value))
                         for value, label in Level.choices],
        "all_link": _with(request, "status", None, drop=("level",)),
        "places": _places(request.user), "levels": Level.choices, "statuses": Status.choices,
        "modules": filterset.filters["module"].extra["choices"](), "rules": [(r.key, r.label) for r in rules()],
        "can_configure": request.user.can("alerts.configure"),
    }, status=400 if errors else 200)


def source_link(alert: Alert, user) -> str:
    """The source's page when the source still exists and the user may see it, else ""."""
    source = alert.source if alert.source_type_id else None
    if source is None:
        return ""
    manager = type(source)._default_manager
    if hasattr(manager.all(), "visible_to") and not manager.all().visible_to(user).filter(pk=source.pk).exists():
        return ""
    rule = _RULES.get(alert.rule)
    try:
        if rule is not None and rule.source_url is not None:
            return rule.source_url(source)
        getter = getattr(source, "get_absolute_url", None)
        if callable(getter):
            return getter()
        return reverse(f"{source._meta.app_label}:detail", kwargs={"pk": source.pk})
    except NoReverseMatch:
        return ""


def _detail_context(request, alert: Alert, form=None) -> dict:
    return {"alert": alert, "source_url": source_link(alert, request.user), "module_label": module_label(alert.module),
            "form": form or HandleForm(), "can_handle": request.user.can("alerts.handle") and alert.is_active,
            "next": [(s.value, services.HANDLE_STATUSES[s]) for s in services.NEXT.get(Status(alert.status), ())]}


@scoped(Alert)
@login_required
def alert_detail(request, pk: int):
    alert = get_visible_or_404(selectors.alert_list(request.user), request.user, pk=pk)
    return render(request, "alerts/detail.html", _detail_context(request, alert))


@scoped(Alert)
@require_capability("alerts.handle")
@require_POST
def alert_handle(request, pk: int):
    alert = get_visible_or_404(selectors.alert_list(request.user), request.user, pk=pk)
    form = HandleForm(request.POST)
    if form.is_valid():
        try:
            services.alert_handle(actor=request.user, alert=alert, status=form.cleaned_data["status"],
                                  note=form.cleaned_data["note"])
        except ValidationError as exc:
            for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, "预警已签收。" if form.cleaned_data["status"] == Status.ACKNOWLEDGED
                             else "预警已处置。")
            return redirect("alerts:detail", pk=alert.pk)
    return render(request, "alerts/detail.html", _detail_context(request, alert, form), status=400)


# ------------------------------------------------------------------------------------------------ rules
def _setting_nodes(user):
    return Node.objects.visible_to(user).filter(level__in=[NodeLevel.COUNTY, NodeLevel.TOWNSHIP]).order_by("path")


def _rule_rows(node) -> list[dict]:
    from .models import AlertRuleSetting

    own = {s.rule: s for s in AlertRuleSetting.objects.filter(jurisdiction=node)}
    rows = []
    for rule in rules():
        params = rule_params(rule.key, node)
        rows.append({"rule": rule, "module": module_label(rule.module), "enabled": params.enabled,
                     "own": rule.key in own, "note": own[rule.key].note if rule.key in own else "", "level": Level(rule.level).label,
                     "params": [{"name": name, "label": label, "value": params[name],
                                 "type": "date" if hasattr(default, "isoformat") else "number"}
                                for name, (default, label) in rule.params.items()]})
    return rows


@require_capability("alerts.configure")
@require_http_methods(["GET", "POST"])
def rule_settings(request):
    nodes = list(_setting_nodes(request.user))
    code = (request.POST.get("node") if request.method == "POST" else request.GET.get("node")) or ""
    node = next((n for n in nodes if n.code == code.strip()), None) if code else (nodes[0] if nodes else None)
    errors: list[str] = []
    failed_rule = ""
    if code and node is None:
        errors.append("地区不存在或不在您的管辖范围内。")
    elif request.method == "POST" and not code.strip():
        errors.append("请选择地区。")
    if request.method == "POST" and not errors:
        key = request.POST.get("rule", "")
        try:
            rule = get_rule(key)
        except LookupError:
            errors.append("预警规则不存在。")
        else:
            failed_rule = rule.key
            raw = {name: request.POST.get(f"p_{name}", "") for name in rule.params}
            try:
                services.rule_setting_save(actor=request.user, node=node, rule=rule.key,
                                           enabled=request.POST.get("enabled") == "on", params=raw,
                                           note=request.POST.get("note", ""))
            except ValidationError as exc:
                errors.append("；".join(exc.messages))
            else:
                messages.success(request, f"已保存：{rule.label}（{node.name}）。")
                return redirect(f"{reverse('alerts:rules')}?node={node.code}")
    return render(request, "alerts/rules.html", {
        "nodes": nodes, "node": node, "rows": _rule_rows(node) if node else [], "errors": errors,
        "failed_rule": failed_rule,
    }, status=400 if errors else 200)
