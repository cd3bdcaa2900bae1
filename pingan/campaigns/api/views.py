"""Campaigns API: the campaigns (read; set up on the pages), and the clues on the generic case API
(pingan/cases/api: list with the FilterSet, retrieve, 受理, act, log, attachments, 督办, 延期)."""
from drf_spectacular.utils import extend_schema, extend_schema_view

from pingan.cases.api.views import CaseViewSet, case_schema
from pingan.core.api import ScopedReadOnlyViewSet

from .. import services
from ..filters import ClueFilter
from ..models import Campaign, Clue
from .serializers import CampaignSerializer, ClueCreateSerializer, ClueSerializer


@extend_schema_view(list=extend_schema(summary="专项行动列表", description="本级及上级设立的专项行动。"),
                    retrieve=extend_schema(summary="专项行动详情"))
class CampaignViewSet(ScopedReadOnlyViewSet):
    queryset = Campaign.objects.select_related("jurisdiction", "lead_department").order_by("-start_on", "-id")
    serializer_class = CampaignSerializer

    def get_queryset(self):
        if not self.request.user.may_see_data_kind("reference"):
            return Campaign.objects.none()
        return super().get_queryset()


@extend_schema_view(
    list=extend_schema(summary="专项行动线索列表", description="按调用者的管辖范围过滤；接收单位只看到移交给本单位的线索。"),
    retrieve=extend_schema(summary="线索详情"),
)
@case_schema(ClueSerializer, create_request=ClueCreateSerializer, create_summary="受理线索")
class ClueViewSet(CaseViewSet):
    queryset = Clue.objects.select_related("jurisdiction", "campaign", "handed_to_department").order_by(
        "-received_on", "-id")
    serializer_class = ClueSerializer
    input_serializer_class = ClueCreateSerializer
    filterset_class = ClueFilter

    def register_case(self, request, data: dict):
        return services.clue_register(actor=request.user, data=data)
