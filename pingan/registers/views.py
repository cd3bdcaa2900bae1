"""The pages of a register, made from its declaration: list, detail, create, edit, delete.

`register_urlpatterns(REG)` gives `<name>/`, `<name>/new/`, `<name>/<pk>/`, `<name>/<pk>/edit/` and
`<name>/<pk>/delete/` (the last three only when the register has the service). Every view reads through
`visible_to` (404 outside scope), checks the data kind and the capabilities (denials audited, 403), and writes
only through the register's services. The keyword views declare their model (`scoped_model`) for the leak test.
"""
from __future__ import annotations

from typing import Any, Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from pingan.core import audit, registry
from pingan.core.scoping import get_visible_or_404
from pingan.core.services import validation_message
from pingan.core.views import paginate

from .declaration import Register, cell
from .forms import apply_errors


def _deny(request) -> None:
    audit.denied(user=request.user, path=request.path)
    raise PermissionDenied("您的角色没有此功能的权限。")


def _check_read(reg: Register, request) -> None:
    if not reg.may_read(request.user):
        _deny(request)


def _check_write(reg: Register, request) -> None:
    if not reg.may_write(request.user):
        _deny(request)


def _ledger_url(reg: Register) -> str:
    if not reg.ledger:
        return ""
    try:
        return reverse("ledgers:index") + f"?kind={reg.ledger}"
    except Exception:  # the ledgers app is not installed
        return ""


def _base_context(reg: Register, request) -> dict[str, Any]:
    return {"reg": reg, "title": reg.title, "item_label": reg.item_label or "记录",
            "can_write": reg.may_write(request.user), "list_url": reverse(reg.route("list"))}


def make_list_view(reg: Register) -> Callable:
    @login_required
    def register_list(request):
        _check_read(reg, request)
        qs = reg.queryset(request.user)
        status = 200
        flt = None
        if reg.filterset is not None:
            flt = reg.filterset(request.GET or None, queryset=qs, request=request)
            if flt.is_bound and not flt.is_valid():
                qs, status = qs.none(), 400
            else:
                qs = flt.qs
        page = paginate(request, qs, reg.per_page)
        rows = [(obj, [(h, cell(obj, p, request.user)) for h, p in reg.columns]) for obj in page]
        extra = []
        for text, url_name in reg.extra_links:
            if registry.link_allowed(request.user, url_name):
                extra.append((text, reverse(url_name)))
        context = {**_base_context(reg, request), "filter": flt, "page": page, "rows": rows,
                   "headers": [h for h, _p in reg.columns], "ledger_url": _ledger_url(reg), "extra_links": extra,
                   "create_url": reverse(reg.route("create")) if reg.create else "",
                   "detail_route": reg.route("detail")}
        return render(request, reg.list_template or "registers/list.html", context, status=status)
    return register_list


def make_detail_view(reg: Register, extra_context: Callable | None = None) -> Callable:
    @login_required
    def register_detail(request, pk: int):
        _check_read(reg, request)
        obj = get_visible_or_404(reg.base_queryset(), request.user, pk=pk)
        context = {**_base_context(reg, request), "obj": obj,
                   "fields": [(label, cell(obj, p, request.user)) for label, p in reg.shown_fields()],
                   "edit_url": reverse(reg.route("edit"), args=[obj.pk]) if reg.update else "",
                   "delete_url": reverse(reg.route("delete"), args=[obj.pk]) if reg.delete else "",
                   "history_url": reverse("core:history", args=[reg.label, obj.pk])}
        if extra_context is not None:
            context.update(extra_context(request, obj))
        return render(request, reg.detail_template or "registers/detail.html", context)
    register_detail.scoped_model = reg.model
    register_detail.scoped_kwargs = {"pk": "pk"}
    return register_detail


def make_create_view(reg: Register) -> Callable:
    @login_required
    @require_http_methods(["GET", "POST"])
    def register_create(request):
        _check_write(reg, request)
        form = reg.form(request.POST or None, actor=request.user, initial=_initial(request, reg))
        if request.method == "POST" and form.is_valid():
            try:
                obj = reg.create(actor=request.user, data=form.register_data())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"已保存：{obj}。")
                return redirect(reg.route("detail"), pk=obj.pk)
        return render(request, "registers/form.html",
                      {**_base_context(reg, request), "form": form, "heading": f"新增{reg.item_label or '记录'}"},
                      status=400 if form.errors else 200)
    return register_create


def _initial(request, reg: Register) -> dict[str, Any]:
    """Pre-filled fields from the query string (?team=3 from a team's page), only for the form's fields."""
    if reg.form is None:
        return {}
    return {k: v for k, v in request.GET.items() if k in reg.form._meta.fields and len(v) < 200}


def make_edit_view(reg: Register) -> Callable:
    @login_required
    @require_http_methods(["GET", "POST"])
    def register_edit(request, pk: int):
        _check_write(reg, request)
        obj = get_visible_or_404(reg.base_queryset(), request.user, pk=pk)
        form = reg.form(request.POST or None, instance=obj, actor=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                reg.update(actor=request.user, instance=obj, data=form.register_data())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect(reg.route("detail"), pk=obj.pk)
        return render(request, "registers/form.html",
                      {**_base_context(reg, request), "form": form, "obj": obj, "heading": f"编辑：{obj}"},
                      status=400 if form.errors else 200)
    register_edit.scoped_model = reg.model
    register_edit.scoped_kwargs = {"pk": "pk"}
    return register_edit


def make_delete_view(reg: Register) -> Callable:
    @login_required
    @require_http_methods(["GET", "POST"])
    def register_delete(request, pk: int):
        _check_write(reg, request)
        obj = get_visible_or_404(reg.base_queryset(), request.user, pk=pk)
        error = ""
        if request.method == "POST":
            try:
                reg.delete(actor=request.user, instance=obj)
            except ValidationError as exc:
                error = validation_message(exc)
            else:
                messages.success(request, f"已删除：{obj}。")
                return redirect(reg.route("list"))
        return render(request, "registers/confirm_delete.html",
                      {**_base_context(reg, request), "obj": obj, "error": error},
                      status=400 if error else 200)
    register_delete.scoped_model = reg.model
    register_delete.scoped_kwargs = {"pk": "pk"}
    return register_delete


def _declare_export(reg: Register) -> None:
    """The register's list page exports the rows it lists (pingan.ledgers.lists): its FilterSet, its scope and
    data kind, its read capability; the ledger's columns when the register names one, else its list columns."""
    from pingan.core.personal import PhoneField
    from pingan.ledgers.lists import ListColumn, ListExport, filterset_query, register_list

    def base(user):
        return reg.queryset(user)

    def query(user, params):
        if reg.filterset is None:
            return base(user)
        return filterset_query(reg.filterset, base)(user, params)

    # The list's columns; a register declared without them exports what its detail page shows (the form's
    # fields), and at the least each record's name.
    pairs = reg.columns or reg.shown_fields()
    columns = tuple(ListColumn(header, path) for header, path in pairs) or (ListColumn(reg.title, getter=str),)
    phones = False
    for _header, path in pairs:
        try:
            phones |= isinstance(reg.model._meta.get_field(path), PhoneField)
        except Exception:  # noqa: BLE001 - a dotted path or a method: not a phone of this model
            pass
    register_list(ListExport(route=reg.route("list"), label=reg.title, model=reg.model, query=query,
                             ledger=reg.ledger or "", columns=columns, read_capability=reg.read_capability or "",
                             personal_data=phones))


def register_urlpatterns(reg: Register, *, detail_context: Callable | None = None) -> list:
    """The URL patterns of a register's pages, to splice into the app's `urlpatterns`; the list page's export
    is declared with them (pingan.ledgers.lists).

    `detail_context(request, obj) -> dict` adds to the detail page's context (for a `detail_template`)."""
    _declare_export(reg)
    prefix = f"{reg.name}/"
    patterns = [path(prefix, make_list_view(reg), name=f"{reg.name}_list"),
                path(f"{prefix}<int:pk>/", make_detail_view(reg, detail_context), name=f"{reg.name}_detail")]
    if reg.create and reg.form:
        patterns.append(path(f"{prefix}new/", make_create_view(reg), name=f"{reg.name}_create"))
    if reg.update and reg.form:
        patterns.append(path(f"{prefix}<int:pk>/edit/", make_edit_view(reg), name=f"{reg.name}_edit"))
    if reg.delete:
        patterns.append(path(f"{prefix}<int:pk>/delete/", make_delete_view(reg), name=f"{reg.name}_delete"))
    return patterns
