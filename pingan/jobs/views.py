"""Job pages: my jobs, one job (progress bar, then the result), its status as JSON for the page's poll, the
download of its files, and the approval of full-value exports by a second person.

A job is its owner's alone (`Job.objects.visible_to`): anyone else gets 404 on every route.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from pingan.core.scoping import get_visible_or_404, scoped

from . import handlers, services
from .models import Job


@login_required
@require_GET
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("approver")[:100]
    approvals = Job.objects.awaiting_approval_for(request.user).select_related("owner")[:100]
    homes = [(label, reverse(url_name)) for label, url_name in handlers.homes()]
    return render(request, "jobs/list.html", {"jobs": jobs, "approvals": approvals, "homes": homes})


@scoped(Job)
@login_required
@require_GET
def job_detail(request, pk):
    job = get_visible_or_404(Job.objects.select_related("approver"), request.user, pk=pk)
    page = handlers.page_for(job.kind)
    return render(request, "jobs/detail.html", {
        "job": job, "progress": services.job_progress(job), "result": job.result or {},
        "problems": (job.result or {}).get("problems", []), "keep_days": settings.PINGAN_JOBS_KEEP_DAYS,
        "result_template": page.result_template, "home_label": page.home_label,
        "home_url": reverse(page.home_url_name) if page.home_url_name else "",
    })


@scoped(Job)
@login_required
@require_GET
def job_status(request, pk):
    job = get_visible_or_404(Job.objects.all(), request.user, pk=pk)
    response = JsonResponse(services.job_progress(job))
    response["Cache-Control"] = "no-store"
    return response


@scoped(Job)
@login_required
@require_GET
def job_download(request, pk):
    job = get_visible_or_404(Job.objects.all(), request.user, pk=pk)
    try:
        handle, name = services.job_file_open(actor=request.user, job=job, which=request.GET.get("file", "result"))
    except ValidationError as exc:
        raise Http404("；".join(exc.messages)) from None
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "no-store"
    return response


def _approval_job(request, pk) -> Job:
    try:
        return Job.objects.awaiting_approval_for(request.user).select_related("owner").get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404("该审批不存在，或不在您的审批范围内。") from None


@scoped(Job)
@login_required
@require_http_methods(["GET", "POST"])
def job_approval(request, pk):
    if Job.objects.visible_to(request.user).filter(pk=pk).exists():
        # The owner's own job: never approved by its owner; its page says what it waits for.
        return redirect("jobs:detail", pk=pk)
    job = _approval_job(request, pk)
    error = ""
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            if decision == "approve":
                services.job_approve(actor=request.user, job=job)
                messages.success(request, f"已同意 {job.owner.full_name or job.owner.username} 的{job.title}。")
                return redirect("jobs:list")
            if decision == "reject":
                services.job_reject(actor=request.user, job=job, note=request.POST.get("note", ""))
                messages.success(request, f"已退回 {job.owner.full_name or job.owner.username} 的{job.title}。")
                return redirect("jobs:list")
            error = "请选择同意或不同意。"
        except ValidationError as exc:
            error = "；".join(exc.messages)
        except PermissionDenied as exc:
            raise Http404(str(exc)) from None
    return render(request, "jobs/approval.html", {"job": job, "error": error}, status=400 if error else 200)
