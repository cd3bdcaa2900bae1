"""Document pages: the .docx of a record (masked, or with full personal numbers for a reason), its printable
page, and the district's template management. The record is fetched through `visible_to`: outside scope, or a
document not offered for the record's state, answers 404; a role without the type's capability 403 (audited).

Each document type gets its own three URL patterns (`/documents/<key>/<pk>/`, `…/full/`, `…/print/`, built by
`type_patterns`), so every pattern declares the model it looks up for the scoping nets.
"""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pingan.core import audit
from pingan.core.scoping import get_visible_or_404
from pingan.core.views import require_capability

from . import services
from .build import build_default
from .forms import ReasonForm, UploadForm
from .models import DocumentTemplate
from .registry import DocumentType, all_types, document_type, record_types
from .render import DOCX_TYPE, render_html_context


def docx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def url_name(doc_type: DocumentType, what: str) -> str:
    """The URL name of one of a type's routes: what = "download" | "full" | "print_detail"."""
    return f"documents:{doc_type.key}.{what}"


def document_url(doc_type: DocumentType, obj, what: str = "download") -> str:
    return reverse(url_name(doc_type, what), kwargs={"pk": obj.pk})


def _record(request, doc_type: DocumentType, pk):
    """The record, visible to the user and offered this document; else 404. Then the type's capability."""
    obj = get_visible_or_404(doc_type.model_class, request.user, pk=pk)
    if not doc_type.is_available(obj):
        raise Http404("这份文书在当前办理阶段不能生成。")
    if not doc_type.allowed(request.user):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied(f"您的角色不能生成{doc_type.title}。")
    return obj


def _refused(request, exc: ValidationError, doc_type: DocumentType, obj, status=400):
    return render(request, "documents/refused.html", {"doc_type": doc_type, "obj": obj,
                                                       "errors": exc.messages}, status=status)


@login_required
@require_GET
def download(request, doc_type: DocumentType, pk):
    obj = _record(request, doc_type, pk)
    try:
        data = services.document_generate(actor=request.user, doc_type=doc_type, obj=obj)
    except ValidationError as exc:
        return _refused(request, exc, doc_type, obj)
    return docx_response(data, doc_type.file_name(obj))


@login_required
@require_http_methods(["GET", "POST"])
def full(request, doc_type: DocumentType, pk):
    obj = _record(request, doc_type, pk)
    if not request.user.can(services.REVEAL):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色不能生成含完整身份号码和电话的文书。")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = services.document_generate(actor=request.user, doc_type=doc_type, obj=obj, full=True,
                                              reason=form.cleaned_data["reason"])
            return docx_response(data, doc_type.file_name(obj))
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("reason" if "事由" in message else None, message)
    status = 400 if request.method == "POST" else 200
    return render(request, "documents/full.html", {"doc_type": doc_type, "obj": obj, "form": form,
                                                   "back": _back(obj)}, status=status)


@login_required
@require_GET
def print_detail(request, doc_type: DocumentType, pk):
    obj = _record(request, doc_type, pk)
    try:
        page = render_html_context(doc_type, obj, request.user, full=False)
    except ValidationError as exc:
        return _refused(request, exc, doc_type, obj)
    return render(request, "documents/print.html", {**page, "doc_type": doc_type, "obj": obj, "back": _back(obj),
                                                    "download_url": document_url(doc_type, obj)})


def _back(obj) -> str:
    """The record's own page: its get_absolute_url, or the "<app>:detail" route every kind and register has."""
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    try:
        return reverse(f"{obj._meta.app_label}:detail", kwargs={"pk": obj.pk})
    except NoReverseMatch:
        return ""


def _bind(view, doc_type: DocumentType):
    """`view` for one type, declaring its model for the scoping nets (as @scoped does)."""
    @wraps(view)
    def bound(request, pk):
        return view(request, doc_type, pk)
    bound.scoped_model = doc_type.model_class
    bound.scoped_kwargs = {"pk": "pk"}
    return bound


def type_patterns() -> list:
    patterns = []
    for doc_type in record_types():
        base = f"{doc_type.key}/<int:pk>/"
        patterns += [
            path(base, _bind(download, doc_type), name=f"{doc_type.key}.download"),
            path(base + "full/", _bind(full, doc_type), name=f"{doc_type.key}.full"),
            path(base + "print/", _bind(print_detail, doc_type), name=f"{doc_type.key}.print_detail"),
        ]
    return patterns


# ------------------------------------------------------------------------------------ the templates page
@require_capability(services.MANAGE)
@require_GET
def templates(request):
    rows = {row.key: row for row in DocumentTemplate.objects.select_related("uploaded_by")}
    types = [{"type": t, "row": rows.get(t.key), "form": UploadForm(initial={"key": t.key}),
              "variables": [(name, t.variables.get(name, "")) for name in t.variable_names()]}
             for t in all_types()]
    return render(request, "documents/templates.html", {"types": types})


def _type_or_404(key) -> DocumentType:
    doc_type = document_type(str(key or ""))
    if doc_type is None:
        raise Http404("没有这种文书。")
    return doc_type


@require_capability(services.MANAGE)
@require_GET
def template_download(request):
    doc_type = _type_or_404(request.GET.get("key"))
    row = DocumentTemplate.objects.filter(key=doc_type.key).first()
    if row is not None:
        return docx_response(bytes(row.content), row.filename)
    return docx_response(build_default(doc_type), f"{doc_type.title}-默认模板.docx")


@require_capability(services.MANAGE)
@require_POST
def template_upload(request):
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.template_upload(actor=request.user, key=form.cleaned_data["key"],
                                     upload=form.cleaned_data.get("upload"), note=form.cleaned_data["note"])
            messages.success(request, "模板已上传，此后生成的文书使用新模板。")
            return redirect("documents:templates")
        except ValidationError as exc:
            errors = exc.messages
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    doc_type = document_type(str(request.POST.get("key", "")))
    return render(request, "documents/upload_refused.html", {"errors": errors, "doc_type": doc_type}, status=400)


@require_capability(services.MANAGE)
@require_POST
def template_reset(request):
    try:
        services.template_reset(actor=request.user, key=str(request.POST.get("key", "")))
    except ValidationError as exc:
        return render(request, "documents/upload_refused.html",
                      {"errors": exc.messages, "doc_type": document_type(str(request.POST.get("key", "")))},
                      status=400)
    messages.success(request, "已恢复默认模板。")
    return redirect("documents:templates")
