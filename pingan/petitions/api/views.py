"""Petitions API: the generic case API (pingan/cases/api: list with the FilterSet, retrieve, register, act, log,
attachments, 督办, 延期) over the petition register, its petitioners and its repeat panel; 交办清单 and 领导接访
are in views_b.py."""
from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pingan.core import audit
from pingan.cases.api.views import BAD_INPUT, NOT_FOUND, REFUSED, CaseViewSet, bad_input, case_schema

from .. import services
from ..filters import PetitionFilter
from ..models import Petition, Petitioner
from .serializers import PetitionCreateSerializer, PetitionerInputSerializer, PetitionerSerializer, PetitionSerializer
from .views_b import REPEATS_SCHEMA, repeats_answer


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in getattr(exc, "message_dict", {"__all__": exc.messages}).items()}


@extend_schema_view(
    list=extend_schema(summary="信访事项列表", description="按调用者的管辖范围过滤；支持信访形式、类型、属地、来源、状态、"
                                                      "是否超期、登记日期、是否积案、交办清单、一案一码筛选。"),
    retrieve=extend_schema(summary="信访事项详情"),
)
@case_schema(PetitionSerializer, create_request=PetitionCreateSerializer, create_summary="信访登记")
class PetitionViewSet(CaseViewSet):
    """The petition register: read within scope, register (with petitioners), take workflow steps."""

    queryset = (Petition.objects.select_related("jurisdiction", "assigned_department", "assigned_township", "topic")
                .order_by("-registered_on", "-id"))
    serializer_class = PetitionSerializer
    input_serializer_class = PetitionCreateSerializer
    filterset_class = PetitionFilter

    def register_case(self, request, data: dict):
        """登记 through the petition's registration service (the same one the hall calls)."""
        people = [dict(p) for p in data.pop("petitioners", [])]
        hall_code = data.pop("hall_code", "")
        attachments = request.FILES.getlist("attachments") if hasattr(request.FILES, "getlist") else []
        if not data.get("registered_on"):
            data.pop("registered_on", None)
        return services.petition_register(actor=request.user, data=data, petitioners=people,
                                          attachments=attachments, hall_code=hall_code)

    def create(self, request, *args, **kwargs):
        try:
            return super().create(request, *args, **kwargs)
        except ValidationError as exc:
            return bad_input(_errors(exc))

    @extend_schema(summary="添加信访人（集体访代表不超过 5 人）", request=PetitionerInputSerializer,
                   responses={201: PetitionerSerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND})
    @action(detail=True, methods=["post"], url_path="petitioners")
    def petitioners(self, request, pk=None):
        self._require_write(request)
        petition = self.get_object()
        serializer = PetitionerInputSerializer(data=request.data)
        if not serializer.is_valid():
            return bad_input({k: [str(m) for m in v] for k, v in serializer.errors.items()})
        try:
            row = services.petitioner_add(actor=request.user, petition=petition, data=dict(serializer.validated_data))
        except ValidationError as exc:
            return bad_input(_errors(exc))
        return Response(PetitionerSerializer(row).data, status=status.HTTP_201_CREATED)

    @REPEATS_SCHEMA["GET"]
    @REPEATS_SCHEMA["POST"]
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def repeats(self, request, pk=None):
        """The repeat panel (views_b.repeat_panel) over the API: read it, or mark 是/不是重复信访."""
        return repeats_answer(request, self.get_object())


@extend_schema_view(
    retrieve=extend_schema(summary="信访人（号码遮蔽）"),
    list=extend_schema(summary="信访人列表（号码遮蔽；?petition=<信访事项编号> 只列该件的）"),
    destroy=extend_schema(summary="删除信访人（至少保留一名）",
                          responses={204: None, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND}),
)
class PetitionerViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, mixins.DestroyModelMixin,
                        viewsets.GenericViewSet):
    """Petitioners of the petitions in the caller's scope; removed through the petition services."""

    queryset = Petitioner.objects.select_related("petition").order_by("petition_id", "id")
    serializer_class = PetitionerSerializer
    http_method_names = ["get", "delete", "head", "options"]

    def get_queryset(self):
        qs = super().get_queryset().visible_to(self.request.user)
        petition = self.request.query_params.get("petition", "")
        if petition:
            qs = qs.filter(petition_id=int(petition)) if petition.isdigit() and len(petition) < 12 else qs.none()
        return qs

    def destroy(self, request, *args, **kwargs):
        if not request.user.can("data.write"):
            audit.denied(user=request.user, path=request.path)
            raise PermissionDenied("您的角色只能查看，不能办理。")
        row = self.get_object()
        try:
            services.petitioner_remove(actor=request.user, petitioner=row)
        except ValidationError as exc:
            return bad_input(_errors(exc))
        return Response(status=status.HTTP_204_NO_CONTENT)
