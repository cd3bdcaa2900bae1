from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pingan.core.api import ScopedReadOnlyViewSet
from pingan.cases import engine

from .. import services
from ..filters import HazardFilter
from ..models import Hazard
from .serializers import (ExtensionSerializer, HazardCreateSerializer, HazardLogSerializer, HazardSerializer,
                          SuperviseSerializer, TransitionLogSerializer, TransitionSerializer)


def _input_error(serializer):
    messages = []
    for field, errors in serializer.errors.items():
        for error in errors if isinstance(errors, list) else [errors]:
            messages.append(f"{field}：{error}")
    return Response({"detail": "；".join(messages), "errors": serializer.errors}, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    list=extend_schema(summary="风险隐患列表", description="按调用者的管辖范围过滤；支持地点、类型、等级、状态、是否超期筛选。"),
    retrieve=extend_schema(summary="风险隐患详情"),
)
class HazardViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """The hazard register: read within scope, register, and take workflow steps."""

    queryset = Hazard.objects.with_overdue().select_related("jurisdiction", "responsible_department") \
        .order_by("-screened_on", "-id")
    serializer_class = HazardSerializer
    filterset_class = HazardFilter

    @extend_schema(summary="排查登记", request=HazardCreateSerializer, responses={201: HazardSerializer})
    def create(self, request, *args, **kwargs):
        serializer = HazardCreateSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            return _input_error(serializer)
        hazard = services.hazard_register(actor=request.user, data=serializer.validated_data)
        hazard = self.get_queryset().get(pk=hazard.pk)
        return Response(HazardSerializer(hazard).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="办理（开始整治、整治完成、验收通过、退回）", request=TransitionSerializer,
                   responses={200: HazardSerializer, 400: OpenApiResponse(description="输入有误或状态已变化"),
                              403: OpenApiResponse(description="角色不能执行此操作")})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        hazard = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        if not serializer.is_valid():
            return _input_error(serializer)
        data = dict(serializer.validated_data)
        act, note = data.pop("action"), data.pop("note")
        fields = {k: v for k, v in data.items() if v not in (None, "")}
        services.hazard_transition(actor=request.user, hazard=hazard, action=act, data=fields, note=note)
        return Response(HazardSerializer(self.get_queryset().get(pk=hazard.pk)).data)

    @extend_schema(summary="督办", request=SuperviseSerializer, responses={201: OpenApiResponse(description="已督办")})
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        hazard = self.get_object()
        serializer = SuperviseSerializer(data=request.data)
        if not serializer.is_valid():
            return _input_error(serializer)
        supervision = services.hazard_supervise(actor=request.user, hazard=hazard, **serializer.validated_data)
        return Response({"id": supervision.pk, "due_on": supervision.due_on, "status": supervision.status},
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="申请延期", request=ExtensionSerializer, responses={201: OpenApiResponse(description="已提交")})
    @action(detail=True, methods=["post"])
    def extension(self, request, pk=None):
        hazard = self.get_object()
        serializer = ExtensionSerializer(data=request.data)
        if not serializer.is_valid():
            return _input_error(serializer)
        extension = services.hazard_extension_request(actor=request.user, hazard=hazard, **serializer.validated_data)
        return Response({"id": extension.pk, "new_deadline": extension.new_deadline, "status": extension.status},
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="流转记录与可执行操作", responses=HazardLogSerializer)
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def log(self, request, pk=None):
        hazard = self.get_object()
        return Response({
            "allowed_actions": [{"action": t.name, "label": t.label, "required": list(t.required)}
                                for t in engine.allowed_actions(request.user, hazard)],
            "log": TransitionLogSerializer(engine.case_log(hazard), many=True).data,
        })
