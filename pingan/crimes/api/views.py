"""Crime statistics API: the monthly counts (list with filters; POST sets one count through the service) and
the summary table of the page (同比 and 环比 by category and township)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from pingan.core import audit
from pingan.core.filters import FilterBackend

from .. import selectors, services
from ..access import may_enter, may_read
from ..filters import CrimeCountFilter
from ..forms import PeriodForm
from ..models import CrimeCount
from .serializers import CrimeCountInputSerializer, CrimeCountSerializer, SummarySerializer


def _require(request, check) -> None:
    if not check(request.user):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色不能访问刑事案件统计。")


@extend_schema_view(
    list=extend_schema(summary="刑事案件月统计列表",
                       description="按调用者的管辖范围过滤（公安部门承办人、乡镇综治办、中心、领导可读）；"
                                   "可按起止月份、乡镇、类别筛选。"),
    create=extend_schema(summary="填报一项立案数", request=CrimeCountInputSerializer,
                         responses={201: CrimeCountSerializer, 200: CrimeCountSerializer},
                         description="月份、乡镇、类别相同的已有记录即更新其立案数（审计前后值）；新建返回 201，更新返回 200。"),
)
class CrimeCountViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    queryset = CrimeCount.objects.select_related("jurisdiction", "category").order_by(
        "-month", "jurisdiction__code", "category__order")
    serializer_class = CrimeCountSerializer
    filter_backends = [FilterBackend]
    filterset_class = CrimeCountFilter

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def list(self, request, *args, **kwargs):
        _require(request, may_read)
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        _require(request, may_enter)
        given = CrimeCountInputSerializer(data=request.data, context={"request": request})
        given.is_valid(raise_exception=True)
        data = given.validated_data
        row, outcome = services.crime_count_set(actor=request.user, month=data["month"], township=data["township"],
                                                 category=data["category"], count=data["count"],
                                                 source=data.get("source", ""))
        return Response(CrimeCountSerializer(row).data,
                        status=status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK)


class CrimeSummaryView(APIView):
    """The page's table: 本期, 去年同期, 同比, 上期, 环比 by category (八类 subtotal, total) and by township."""

    @extend_schema(summary="刑事案件统计表（同比、环比）", responses={200: SummarySerializer},
                   parameters=[
                       OpenApiParameter("from", OpenApiTypes.STR, description="起始月份 YYYY-MM（默认本年 1 月）"),
                       OpenApiParameter("to", OpenApiTypes.STR, description="截止月份 YYYY-MM（默认本月）"),
                       OpenApiParameter("township", OpenApiTypes.STR, description="乡镇区划代码（默认本人管辖范围）"),
                   ])
    def get(self, request):
        _require(request, may_read)
        query = {"date_from": request.query_params.get("from", ""), "date_to": request.query_params.get("to", ""),
                 "township": request.query_params.get("township", "")}
        form = PeriodForm(query, townships=selectors.township_choices(request.user))
        if not form.is_valid():
            errors = {k: list(v) for k, v in form.errors.items()}
            return Response({"detail": "；".join(m for msgs in errors.values() for m in msgs), "errors": errors},
                            status=400)
        node = form.cleaned_data.get("township") or selectors.default_node(request.user)
        if node is None:
            return Response({"detail": "您的账号没有管辖范围。"}, status=400)
        table = selectors.summary(request.user, form.cleaned_data["date_from"], form.cleaned_data["date_to"], node)
        return Response(table.as_dict())
