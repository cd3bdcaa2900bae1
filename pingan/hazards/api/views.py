"""Hazards API: the generic case API (pingan/cases/api: list with the register's FilterSet, retrieve, register,
act, log, attachments, 督办, 延期) over the hazard register."""
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from pingan.cases.api.serializers import ActSerializer
from pingan.cases.api.views import BAD_INPUT, NOT_FOUND, REFUSED, CaseViewSet, case_schema

from .. import services
from ..filters import HazardFilter
from ..models import Hazard
from .serializers import HazardCreateSerializer, HazardSerializer


@extend_schema_view(
    list=extend_schema(summary="风险隐患列表", description="按调用者的管辖范围过滤；支持地点、类型、等级、状态、是否超期筛选。"),
    retrieve=extend_schema(summary="风险隐患详情"),
)
@case_schema(HazardSerializer, create_request=HazardCreateSerializer, create_summary="排查登记")
class HazardViewSet(CaseViewSet):
    """The hazard register: read within scope, register, and take workflow steps."""

    queryset = Hazard.objects.select_related("jurisdiction", "responsible_department").order_by("-screened_on", "-id")
    serializer_class = HazardSerializer
    input_serializer_class = HazardCreateSerializer
    filterset_class = HazardFilter

    def register_case(self, request, data: dict):
        """排查登记 through the hazard's registration (township, default 整治期限, then the case engine)."""
        return services.hazard_register(actor=request.user, data=data)

    @extend_schema(summary="办理（旧地址，请改用 act）", deprecated=True, request=ActSerializer,
                   responses={200: HazardSerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """The address hazards' clients used before the generic `act` (same body: action and the step's fields
        at the top level); kept so they keep working."""
        return self.act(request, pk=pk)
