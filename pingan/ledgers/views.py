"""Ledger pages: upload → background check (preview with every error) → confirm → background import; a blank
template; an export as a background job (masked, or full personal numbers with a reason and, where the
district asks for it, a second person's approval).

A request never reads a whole ledger: it checks what it can at once (type, size, the xlsx zip's directory
against the limits), stores the upload in the job's private folder (outside the media URL), enqueues a job
and redirects to the job's page, whose progress bar follows the worker (pingan.jobs). The confirmation
re-validates the file in its own job, because the data may have changed in between.

The jobs app is the platform's job mechanism; the ledgers app sits above it (and above geo and accounts) and
registers the ledger jobs' handlers with it (pingan.ledgers.jobs).
"""
from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingan import ledgers
from pingan.accounts.services import permission_denied_recorded
from pingan.core.views import require_capability
from pingan.geo.models import Node
from pingan.jobs.models import Job
from pingan.jobs.services import job_create
from pingan.ledgers import lists
from pingan.ledgers.export import REVEAL_CAPABILITY, approval_required, check_full_export
from pingan.ledgers.jobs import LIST_EXPORT
from pingan.ledgers.readers import quick_check
from pingan.ledgers.writers import write_template

ALLOWED_EXTENSIONS = (".xlsx", ".csv")


def max_upload_bytes() -> int:
    return settings.PINGAN_UPLOAD_MAX_MB * 1024 * 1024


def _specs_for(user, capability_attr: str):
    result = []
    for spec in ledgers.all_specs():
        try:
            ledgers.check_permission(spec, user, getattr(spec, capability_attr))
        except PermissionDenied:
            continue
        result.append(spec)
    return result


def _spec_or_error(request, kind: str, capability_attr: str):
    """The spec the user may use, or an error message (unknown kind, or not allowed)."""
    if not kind:
        return None, "请选择台账类别。"
    try:
        spec = ledgers.get(kind)
    except ledgers.UnknownLedger as exc:
        return None, str(exc)
    try:
        ledgers.check_permission(spec, request.user, getattr(spec, capability_attr))
    except PermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None
    return spec, ""


def _index_context(request, **extra):
    return {
        "import_specs": _specs_for(request.user, "import_capability"),
        "export_specs": _specs_for(request.user, "export_capability"),
        "max_mb": settings.PINGAN_UPLOAD_MAX_MB, "max_rows": settings.PINGAN_LEDGER_MAX_ROWS,
        "may_reveal": request.user.can(REVEAL_CAPABILITY),
        "approval_required": approval_required(), **extra,
    }


@require_capability("ledgers.export")
@require_GET
def index(request):
    return render(request, "ledgers/index.html", _index_context(request))


@require_capability("ledgers.export")
@require_GET
def template(request):
    spec, error = _spec_or_error(request, request.GET.get("kind", "").strip(), "export_capability")
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    buffer = io.BytesIO()
    write_template(buffer, spec)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{spec.label}台账模板.xlsx")


def _render_export(request, spec, status=200, **extra):
    return render(request, "ledgers/export.html", {
        "spec": spec, "may_reveal": request.user.can(REVEAL_CAPABILITY),
        "approval_required": approval_required(), "min_reason": 4, **extra}, status=status)


@require_capability("ledgers.export")
@require_http_methods(["GET", "POST"])
def export(request):
    """GET: the export form of one ledger. POST: enqueue the export job and go to its page."""
    data = request.POST if request.method == "POST" else request.GET
    spec, error = _spec_or_error(request, data.get("kind", "").strip(), "export_capability")
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    if request.method == "GET":
        return _render_export(request, spec, fmt=data.get("format", "xlsx"))
    fmt = data.get("format", "xlsx").strip() or "xlsx"
    if fmt not in ("xlsx", "csv"):
        return _render_export(request, spec, 400, error="导出格式只能是 xlsx 或 csv。")
    node = None
    code = data.get("jurisdiction", "").strip()
    if code:
        node = Node.objects.visible_to(request.user).filter(code=code).first()
        if node is None:
            return _render_export(request, spec, 404, error="区划代码不存在，或不在您的管辖范围内。", fmt=fmt)
    full = data.get("full") == "1"
    reason = ""
    if full:
        try:
            reason = check_full_export(spec, request.user, data.get("reason", ""), before_approval=True)
        except PermissionDenied as exc:
            permission_denied_recorded(user=request.user, path=request.path)
            return _render_export(request, spec, 403, error=str(exc), fmt=fmt)
        except ValidationError as exc:
            return _render_export(request, spec, 400, error="；".join(exc.messages), fmt=fmt,
                                  reason=data.get("reason", ""), full=True)
    where = node.name if node else (request.user.scope.name if request.user.scope_id else "")
    title = f"{spec.label}台账导出（{where}，{fmt}{'，完整号码' if full else ''}）"
    job = job_create(actor=request.user, kind=Job.Kind.LEDGER_EXPORT, title=title,
                     parameters={"ledger": spec.kind, "format": fmt, "jurisdiction": code, "full": full,
                                 "reason": reason},
                     scope_path=node.path if node else request.user.scope_path,
                     needs_approval=full and approval_required())
    return redirect("jobs:detail", pk=job.pk)


def _index_error(request, error: str, status: int):
    return render(request, "ledgers/index.html", _index_context(request, error=error), status=status)


@require_capability("ledgers.import")
@require_http_methods(["GET", "POST"])
def upload(request):
    """Enqueue the check of an uploaded ledger; refuse at once what is plainly wrong or too big."""
    if request.method == "GET":
        return redirect("ledgers:index")
    limit = max_upload_bytes()
    mb = settings.PINGAN_UPLOAD_MAX_MB
    advice = f"网页导入最多 {mb} MB；请拆分文件，或由管理员用 import_ledger 命令导入。"
    too_big = f"文件太大，{advice}"
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit + 64 * 1024:  # refused before the body is read (the form's other fields are small)
        return _index_error(request, too_big, 413)
    spec, error = _spec_or_error(request, request.POST.get("kind", "").strip(), "import_capability")
    upload_file = request.FILES.get("file")
    if not error and upload_file is None:
        error = "请选择要导入的台账文件（.xlsx 或 .csv）。"
    if not error:
        if upload_file.size > limit:
            return _index_error(request, f"文件太大（{upload_file.size / 1024 / 1024:.1f} MB），{advice}", 413)
        if upload_file.size == 0:
            error = "文件是空的。"
        else:
            try:
                quick_check(upload_file, upload_file.name or "")
            except ledgers.LedgerFileError as exc:
                error = str(exc)
    if error:
        return _index_error(request, error, 400)
    job = job_create(actor=request.user, kind=Job.Kind.LEDGER_CHECK,
                     title=f"{spec.label}台账导入检查（{upload_file.name}）",
                     parameters={"ledger": spec.kind}, upload=upload_file)
    return redirect("jobs:detail", pk=job.pk)


@require_capability("ledgers.import")
@require_POST
def confirm(request):
    """Enqueue the import of a checked upload (the check job's own file, for its owner only)."""
    try:
        check = Job.objects.visible_to(request.user).get(pk=int(request.POST.get("job", "")),
                                                          kind=Job.Kind.LEDGER_CHECK)
    except (Job.DoesNotExist, ValueError, TypeError):
        check = None
    if check is None or check.status != Job.Status.SUCCEEDED or not check.input_file:
        messages.error(request, "待确认的导入已失效（已导入、已过期或检查未通过），请重新上传文件。")
        return redirect("ledgers:index")
    spec, error = _spec_or_error(request, check.parameters.get("ledger", ""), "import_capability")
    if error:
        messages.error(request, error)
        return redirect("ledgers:index")
    skip_invalid = request.POST.get("skip_invalid") == "1"
    job = job_create(actor=request.user, kind=Job.Kind.LEDGER_IMPORT,
                     title=f"{spec.label}台账导入（{check.input_name}{'，只导入正确的行' if skip_invalid else ''}）",
                     parameters={"ledger": spec.kind, "source_job": check.pk, "skip_invalid": skip_invalid})
    return redirect("jobs:detail", pk=job.pk)


# ------------------------------------------------------------------------------------------------ list exports
def _list_export_error(request, entry, message: str, status: int, query: str = ""):
    back = ""
    if entry is not None:
        try:
            back = reverse(entry.route) + (f"?{query}" if query else "")
        except NoReverseMatch:
            back = ""
    return render(request, "ledgers/list_export_error.html",
                  {"entry": entry, "error": message, "back": back}, status=status)


@login_required
@require_POST
def list_export(request):
    """The 导出 Excel / 导出 CSV button of a list page: the list's filters (its query string), checked now and
    again by the worker; a background job whose page shows the progress and, to its owner, the file.

    Unknown list or bad format or filters: 400 (no job); a role that may not export the list (its data kind,
    the page's capability, the export right): 403, audited; full numbers without the right: 403, audited,
    without a reason of four characters: 400."""
    user = request.user
    entry = lists.get_list(request.POST.get("list", "").strip())
    if entry is None:
        return _list_export_error(request, None, "没有这个列表的导出，请从列表页的“导出”按钮进入。", 400)
    raw_query = request.POST.get("query", "")
    if not entry.may_export(user):
        permission_denied_recorded(user=user, path=request.path)
        return _list_export_error(request, entry, f"您的角色不能导出{entry.label}列表。", 403)
    fmt = request.POST.get("format", "xlsx").strip() or "xlsx"
    if fmt not in ("xlsx", "csv"):
        return _list_export_error(request, entry, "导出格式只能是 xlsx（Excel）或 csv。", 400, raw_query[:500])
    try:
        params = lists.parse_query(raw_query)
        total = entry.rows_queryset(user, params).count()
    except ValidationError as exc:
        return _list_export_error(request, entry, "查询条件有误，未导出：" + "；".join(exc.messages), 400)
    full = request.POST.get("full") == "1"
    reason = ""
    spec = entry.spec()
    if full:
        try:
            reason = check_full_export(spec, user, request.POST.get("reason", ""), before_approval=True)
        except PermissionDenied as exc:
            permission_denied_recorded(user=user, path=request.path)
            return _list_export_error(request, entry, str(exc), 403, params.urlencode())
        except ValidationError as exc:
            return _list_export_error(request, entry, "；".join(exc.messages), 400, params.urlencode())
    filters = lists.filters_of(params)
    shown = "，".join(f"{v}" if not isinstance(v, list) else "、".join(v) for v in filters.values())
    title = f"{entry.label}列表导出（{'筛选：' + shown[:60] + '，' if shown else ''}{total} 行，{fmt}{'，完整号码' if full else ''}）"
    job = job_create(actor=user, kind=LIST_EXPORT, title=title,
                     parameters={"list": entry.route, "label": entry.label, "format": fmt, "filters": filters,
                                 "rows_asked": total, "full": full, "reason": reason,
                                 # the job page's way back to the list (not when a search holds a number)
                                 "back": "" if lists.holds_numbers(params) else params.urlencode(),
                                 "_query": params.urlencode()},
                     scope_path=user.scope_path, needs_approval=full and approval_required())
    return redirect("jobs:detail", pk=job.pk)
