"""The 平安建设报告 page: choose the kind, the period, the place (by name, as on the statistics page) and the
format; the request starts a background job and goes to the job's progress page, where the owner downloads
the file. A place outside the user's scope answers 404 (the statistics page's message), bad input 400."""
from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from pingan.geo.params import BadRequest, resolve_node
from pingan.analytics.views import place_choices
from pingan.core.views import require_capability
from pingan.jobs.models import Job

from . import periods, services


def parse_request(data: Any, user: Any):
    """(period, node, format) from a form or a JSON body; BadRequest (400 or 404) in Chinese."""
    if not hasattr(data, "get"):
        raise BadRequest("请求内容应为对象，包含 kind、period、jurisdiction、format。")
    values = {name: data.get(name) for name in ("kind", "period", "jurisdiction", "format")}
    for name, value in values.items():
        if value is not None and not isinstance(value, (str, int)):
            raise BadRequest(f"参数 {name} 应为文字。")
    period = periods.parse(values["kind"], values["period"])
    fmt = services.check_format(values["format"])
    node = resolve_node(values["jurisdiction"], user)
    return period, node, fmt


def default_values() -> dict[str, str]:
    today = timezone.localdate()
    return {"kind": periods.ANNUAL, "period": str(today.year - 1), "jurisdiction": "", "format": "docx"}


@require_capability(services.CAPABILITY)
@require_http_methods(["GET", "POST"])
def index(request):
    user = request.user
    if not services.may_generate(user):
        raise PermissionDenied("您的角色不能生成平安建设报告。")
    values = default_values()
    error, status = "", 200
    if request.method == "POST":
        values = {name: str(request.POST.get(name, "")).strip() for name in values}
        try:
            period, node, fmt = parse_request(request.POST, user)
        except BadRequest as exc:
            error, status = exc.message, exc.status
        else:
            job = services.report_start(actor=user, period=period, node=node, fmt=fmt)
            return redirect("jobs:detail", pk=job.pk)
    jobs = Job.objects.visible_to(user).filter(kind=services.JOB_KIND).order_by("-created_at", "-id")[:10]
    return render(request, "reports/index.html", {
        "values": values, "error": error, "choices": place_choices(user), "jobs": jobs,
        "kinds": [(k, label, periods.EXAMPLES[k]) for k, label in periods.KINDS.items()],
        "formats": list(services.FORMATS.items()),
    }, status=status)
