"""Alerts API: list and retrieve with the 预警中心's filters (`filters.AlertFilter`), and `handle`."""
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from pingan.core import audit
from pingan.core.api import ScopedReadOnlyViewSet

from .. import selectors, services
from ..filters import AlertFilter
from ..models import Alert
from .serializers import AlertHandleSerializer, AlertSerializer


@extend_schema_view(
    list=extend_schema(summary="预警列表", description="调用者管辖范围内的预警，最新在前；可按模块、规则、等级、状态、"
                                                     "地点（乡镇或村代码）、预警日期筛选。"),
    retrieve=extend_schema(summary="预警详情", description="范围外的预警返回 404。"),
)
class AlertViewSet(ScopedReadOnlyViewSet):
    queryset = Alert.objects.select_related("jurisdiction", "handled_by", "acknowledged_by",
                                                                      "source_type").order_by("-raised_at", "-id")
    serializer_class = AlertSerializer
    filterset_class = AlertFilter

    @extend_schema(summary="处置预警", request=AlertHandleSerializer,
                   responses={200: AlertSerializer, 400: OpenApiResponse(description="处置方式或说明有误"),
                              403: OpenApiResponse(description="角色不能处置预警"),
                              404: OpenApiResponse(description="预警不存在或不在管辖范围内")})
    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None):
        alert = self.get_object()
        if not request.user.can(services.HANDLE_CAPABILITY):
            audit.denied(user=request.user, path=request.path)
            raise PermissionDenied("您的角色不能处置预警。")
        data = AlertHandleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        alert = services.alert_handle(actor=request.user, alert=alert, status=data.validated_data["status"],
                                      note=data.validated_data["note"])
        return Response(AlertSerializer(alert).data)

    @extend_schema(summary="签收预警", request=None,
                   responses={200: AlertSerializer, 400: OpenApiResponse(description="该预警不是新预警"),
                              403: OpenApiResponse(description="角色不能处置预警"),
                              404: OpenApiResponse(description="预警不存在或不在管辖范围内")})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alert = self.get_object()
        if not request.user.can(services.HANDLE_CAPABILITY):
            audit.denied(user=request.user, path=request.path)
            raise PermissionDenied("您的角色不能处置预警。")
        alert = services.alert_acknowledge(actor=request.user, alert=alert)
        return Response(AlertSerializer(alert).data)

    @extend_schema(summary="预警数量（按状态、按等级）",
                   description="与列表相同的筛选条件下，各状态、各等级的预警数；status 和 level 条件不影响本维度的计数。",
                   responses={200: inline_serializer("AlertCounts", fields={
                       "total": serializers.IntegerField(help_text="全部筛选条件下的预警数"),
                       "status": serializers.DictField(child=serializers.IntegerField(),
                                                       help_text="各状态的数量：open、acknowledged、agenda、handled、dismissed"),
                       "level": serializers.DictField(child=serializers.IntegerField(),
                                                      help_text="各等级的数量：red、orange、yellow")})})
    @action(detail=False, methods=["get"])
    def counts(self, request):
        return Response(selectors.center_counts(request.user, request.query_params))
