"""Reports API: POST /api/v1/reports/ starts a report (a background job) and answers the job; GET
/api/v1/reports/<id>/ is the job's status (its owner only, else 404), /api/v1/reports/<id>/file/ its file
(the jobs app's download service: owner only, audited job.download). The jobs app has no API of its own."""
from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from pingan.geo.params import BadRequest
from pingan.core.audit import record
from pingan.jobs.models import Job
from pingan.jobs.services import job_file_open, job_progress

from .. import services
from ..views import parse_request


class ReportRequest(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["monthly", "quarterly", "annual", "custom"],
                                   help_text="报告类型：monthly 月度、quarterly 季度、annual 年度、custom 自定义期间")
    period = serializers.CharField(help_text="报告期：2017（年度）、2017-Q1（季度）、2017-03（月度）、"
                                             "2017-01-01~2017-06-30（自定义，最长 10 年）")
    jurisdiction = serializers.CharField(required=False, help_text="辖区代码或名称，默认调用者的管辖范围；"
                                                                   "不存在或不在管辖范围内 404")
    format = serializers.ChoiceField(choices=["docx", "xlsx"], help_text="docx（Word）或 xlsx（Excel）")


def job_data(request, job: Job) -> dict:
    data = {"id": job.pk, "title": job.title, "kind": job.kind,
            "status_url": request.build_absolute_uri(reverse("api:report-status", kwargs={"pk": job.pk})),
            "page_url": request.build_absolute_uri(reverse("jobs:detail", kwargs={"pk": job.pk})),
            **job_progress(job)}
    data["file_url"] = request.build_absolute_uri(reverse("api:report-file", kwargs={"pk": job.pk})) \
        if job.status == Job.Status.SUCCEEDED and job.result_file else ""
    data["file_name"] = job.result_name if data["file_url"] else ""
    return data


class ReportCreate(APIView):
    """生成平安建设报告（后台任务）。"""

    @extend_schema(summary="生成平安建设报告", tags=["reports"], request=ReportRequest,
                   responses={202: OpenApiTypes.OBJECT,
                              400: OpenApiResponse(description="报告类型、报告期或格式无效（中文说明）"),
                              403: OpenApiResponse(description="角色不能生成报告（已记入审计日志）"),
                              404: OpenApiResponse(description="辖区不存在或不在管辖范围内")})
    def post(self, request):
        user = request.user
        if not services.may_generate(user):
            record(actor=user, action="report.generate", outcome="failure", detail="无权生成平安建设报告")
            return Response({"detail": "您的角色不能生成平安建设报告。"}, status=403)
        try:
            period, node, fmt = parse_request(request.data, user)
        except BadRequest as exc:
            return Response({"detail": exc.message}, status=exc.status)
        job = services.report_start(actor=user, period=period, node=node, fmt=fmt)
        return Response(job_data(request, job), status=202)


class ReportStatus(APIView):
    """一份报告任务的进度（只有发起人可见）。"""

    queryset = Job.objects.all()

    @extend_schema(summary="报告任务进度", tags=["reports"], responses={200: OpenApiTypes.OBJECT, 404: None})
    def get(self, request, pk):
        # Any job of the caller's own (Job.visible_to: the owner only), as the jobs page: a report is a job like
        # the others, and the role × route net checks this route with the jobs app's own factory.
        job = Job.objects.visible_to(request.user).filter(pk=pk).first()
        if job is None:
            raise Http404("报告任务不存在。")
        return Response(job_data(request, job))


class ReportFile(APIView):
    """报告文件（只有发起人可下载，下载记入审计日志）。"""

    queryset = Job.objects.all()

    @extend_schema(summary="下载报告文件", tags=["reports"],
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: None})
    def get(self, request, pk):
        from django.core.exceptions import ValidationError

        job = Job.objects.visible_to(request.user).filter(pk=pk).first()  # the caller's own job (as above)
        if job is None:
            raise Http404("报告任务不存在。")
        try:
            handle, name = job_file_open(actor=request.user, job=job, which="result")
        except ValidationError as exc:
            raise Http404("；".join(exc.messages)) from None
        response = FileResponse(handle, as_attachment=True, filename=name)
        response["Cache-Control"] = "no-store"
        return response
