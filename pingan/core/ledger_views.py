"""Ledger pages: upload → preview with every error → confirm; a blank template; an export.

The uploaded file waits for confirmation in a private temporary directory, keyed by a random token kept in
the user's session (no model, nothing in the database); confirmation re-validates it, because the data may
have changed in between, and writes it through the same engine as the CLI.
"""
from __future__ import annotations

import io
import os
import secrets
import tempfile
import time
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingan.core import ledgers
from pingan.core.ledgers.writers import write_errors, write_template
from pingan.core.views import require_capability

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
KEEP_SECONDS = 24 * 3600
SESSION_KEY = "ledger_uploads"
ALLOWED_EXTENSIONS = (".xlsx", ".csv")


def upload_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "pingan-ledgers"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _purge_old() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for item in upload_dir().iterdir():
        try:
            if item.stat().st_mtime < cutoff:
                item.unlink()
        except OSError:
            pass


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


@require_capability("ledgers.export")
@require_GET
def index(request):
    return render(request, "core/ledgers/index.html", {
        "import_specs": _specs_for(request.user, "import_capability"),
        "export_specs": _specs_for(request.user, "export_capability"),
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    })


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


@require_capability("ledgers.export")
@require_GET
def export(request):
    from pingan.geo.models import Node

    spec, error = _spec_or_error(request, request.GET.get("kind", "").strip(), "export_capability")
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    fmt = request.GET.get("format", "xlsx").strip() or "xlsx"
    if fmt not in ("xlsx", "csv"):
        return HttpResponse("导出格式只能是 xlsx 或 csv。", status=400, content_type="text/plain; charset=utf-8")
    node = None
    code = request.GET.get("jurisdiction", "").strip()
    if code:
        node = Node.objects.visible_to(request.user).filter(code=code).first()
        if node is None:
            return HttpResponse("区划代码不存在，或不在您的管辖范围内。", status=404,
                                content_type="text/plain; charset=utf-8")
    buffer = io.BytesIO()
    ledgers.export_ledger(spec, buffer, user=request.user, node=node, fmt=fmt)
    buffer.seek(0)
    stamp = timezone.localdate().strftime("%Y%m%d")
    where = node.name if node else (request.user.scope.name if request.user.scope_id else "")
    return FileResponse(buffer, as_attachment=True, filename=f"{spec.label}台账_{where}_{stamp}.{fmt}")


def _render_preview(request, spec, result, token, filename, status):
    return render(request, "core/ledgers/preview.html", {
        "spec": spec, "result": result, "token": token, "filename": filename,
    }, status=status)


@require_capability("ledgers.import")
@require_http_methods(["GET", "POST"])
def upload(request):
    if request.method == "GET":
        return redirect("core:ledgers")
    spec, error = _spec_or_error(request, request.POST.get("kind", "").strip(), "import_capability")
    upload_file = request.FILES.get("file")
    if not error and upload_file is None:
        error = "请选择要导入的台账文件（.xlsx 或 .csv）。"
    if not error:
        ext = os.path.splitext(upload_file.name or "")[1].lower()
        if ext not in ALLOWED_EXTENSIONS:
            error = "只能导入 .xlsx 或 .csv 文件。" + ("旧版 .xls 请先在 Excel 中另存为 .xlsx。" if ext == ".xls" else "")
        elif upload_file.size == 0:
            error = "文件是空的。"
        elif upload_file.size > MAX_UPLOAD_BYTES:
            return render(request, "core/ledgers/index.html", {
                "import_specs": _specs_for(request.user, "import_capability"),
                "export_specs": _specs_for(request.user, "export_capability"),
                "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
                "error": f"文件太大（{upload_file.size / 1024 / 1024:.1f} MB），网页导入最多 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB；"
                         "请拆分文件，或由管理员用 import_ledger 命令导入。"}, status=413)
    if error:
        return render(request, "core/ledgers/index.html", {
            "import_specs": _specs_for(request.user, "import_capability"),
            "export_specs": _specs_for(request.user, "export_capability"),
            "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024), "error": error}, status=400)
    _purge_old()
    token = secrets.token_urlsafe(16)
    path = upload_dir() / f"{token}{ext}"
    with open(path, "wb") as handle:
        for chunk in upload_file.chunks():
            handle.write(chunk)
    result = ledgers.import_ledger(spec, str(path), user=request.user, filename=upload_file.name, dry_run=True)
    if result.file_error:
        path.unlink(missing_ok=True)
        return _render_preview(request, spec, result, "", upload_file.name, 400)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"kind": spec.kind, "path": str(path), "name": upload_file.name, "user": request.user.pk}
    request.session[SESSION_KEY] = uploads
    return _render_preview(request, spec, result, token, upload_file.name, 400 if result.problems else 200)


def _pending(request, token: str):
    entry = request.session.get(SESSION_KEY, {}).get(token or "")
    if not entry or entry.get("user") != request.user.pk or not os.path.exists(entry["path"]):
        return None
    return entry


@require_capability("ledgers.import")
@require_POST
def confirm(request):
    token = request.POST.get("token", "")
    entry = _pending(request, token)
    if entry is None:
        messages.error(request, "待确认的导入已失效（超时或已经导入），请重新上传文件。")
        return redirect("core:ledgers")
    spec, error = _spec_or_error(request, entry["kind"], "import_capability")
    if error:
        messages.error(request, error)
        return redirect("core:ledgers")
    skip_invalid = request.POST.get("skip_invalid") == "1"
    result = ledgers.import_ledger(spec, entry["path"], user=request.user, filename=entry["name"],
                                   skip_invalid=skip_invalid)
    uploads = request.session.get(SESSION_KEY, {})
    if not result.written:
        # The data changed since the preview, or errors remain: show them again; the file stays for a retry.
        return _render_preview(request, spec, result, token, entry["name"], 400)
    Path(entry["path"]).unlink(missing_ok=True)
    uploads.pop(token, None)
    errors_token = ""
    if result.problems and result.bad_rows:
        errors_token = secrets.token_urlsafe(16)
        reasons: dict[int, list[str]] = {}
        for problem in result.problems:
            reasons.setdefault(problem.row, []).append(f"{problem.header}：{problem.reason}")
        errors_path = upload_dir() / f"{errors_token}.errors.xlsx"
        write_errors(str(errors_path), result.headers, result.bad_rows, reasons)
        uploads[errors_token] = {"kind": spec.kind, "path": str(errors_path), "name": entry["name"],
                                 "user": request.user.pk, "errors": True}
    request.session[SESSION_KEY] = uploads
    return render(request, "core/ledgers/done.html", {"spec": spec, "result": result, "errors_token": errors_token,
                                                      "filename": entry["name"]})


@require_capability("ledgers.import")
@require_GET
def errors_file(request):
    entry = _pending(request, request.GET.get("token", ""))
    if entry is None or not entry.get("errors"):
        return HttpResponse("错误行文件不存在或已失效。", status=404, content_type="text/plain; charset=utf-8")
    base = os.path.splitext(entry["name"])[0]
    return FileResponse(open(entry["path"], "rb"), as_attachment=True, filename=f"{base}.errors.xlsx")
