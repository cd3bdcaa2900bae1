"""The window's API: matters (list, retrieve, register, route) and the citizen's lookup."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pingan.core import audit, limits
from pingan.core.api import ScopedReadOnlyViewSet
from pingan.core.middleware import client_address
from pingan.core.models import AuditEntry
from pingan.geo.models import Node
from pingan.registers import RegisterViewSet

from .. import selectors, services
from ..registers import COUNSELLORS
from ..filters import MatterFilter
from ..models import Counsellor, HallVisitor, Matter
from ..views import LOOKUP_LIMIT
from .serializers import (CounsellorSerializer, LookupSerializer, MatterCreateSerializer, MatterRouteSerializer, MatterSerializer,
                          ProgressSerializer)


@extend_schema_view(list=extend_schema(summary="窗口受理事项列表"), retrieve=extend_schema(summary="窗口受理事项"),
                    create=extend_schema(summary="窗口登记事项（一窗受理）", request=MatterCreateSerializer,
                                         responses={201: MatterSerializer}))
class MatterViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    queryset = Matter.objects.select_related("visitor", "jurisdiction", "case_type").order_by("-registered_at", "-id")
    serializer_class = MatterSerializer
    filterset_class = MatterFilter

    def create(self, request, *args, **kwargs):
        if not request.user.can("hall.register"):
            raise PermissionDenied()
        data = MatterCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        visitor = None
        if values.get("visitor"):
            visitor = HallVisitor.objects.visible_to(request.user).filter(pk=values.pop("visitor")).first()
            if visitor is None:
                raise ValidationError({"visitor": "所选来访人不存在或不在您的管辖范围内。"})
        matter = services.matter_register(actor=request.user, data=values, visitor=visitor)
        return Response(MatterSerializer(matter).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="分流（调解先行；已分流的事项须填改派原因）", request=MatterRouteSerializer,
                   responses=MatterSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        matter = self.get_object()
        if not request.user.can("hall.route"):
            raise PermissionDenied()
        body = MatterRouteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if data.get("place"):
            data["place"] = Node.objects.visible_to(request.user).filter(code=data["place"]).first()
        if data.get("event_category"):
            from pingan.events.models import Category as EventCategory

            data["event_category"] = EventCategory.objects.filter(pk=data["event_category"]).first()
        if data.get("counsellor"):
            data["counsellor"] = Counsellor.objects.visible_to(request.user).filter(pk=data["counsellor"]).first()
        matter = services.matter_route(actor=request.user, matter=matter, route=data.pop("route"), data=data,
                                       reroute_reason=data.pop("reroute_reason", "") or "")
        return Response(MatterSerializer(matter).data)


class MatterLookupView(APIView):
    """群众凭事项码查询进展（无需登录，限频，记入审计）。"""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(summary="群众凭事项码和查询码查询进展", request=LookupSerializer,
                   responses={200: ProgressSerializer})
    def post(self, request):
        address = client_address(request)
        if limits.exceeded(f"rl:hall-track:{address}", limit=LOOKUP_LIMIT[0], seconds=LOOKUP_LIMIT[1]):
            return Response({"detail": "查询过于频繁，请 10 分钟后再试。"}, status=429)
        body = LookupSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        matter = selectors.find_for_lookup(services.normalize_code(body.validated_data["code"]))
        if matter is None or not services.lookup_secret_matches(matter, body.validated_data["secret"]):
            audit.record(actor=None, action="matter.lookup", object_type="hall.matter",
                         outcome=AuditEntry.Outcome.FAILURE, detail=f"群众查询未通过（{address}）")
            return Response({"detail": "事项码或查询码不正确。"}, status=404)
        audit.record(actor=None, action="matter.lookup", obj=matter, detail="群众凭事项码查询（接口）")
        info = selectors.progress(matter)
        return Response({"code": matter.code, "route": info["route"], "stage": info["stage"],
                         "number": info["number"] or "", "done": info["done"], "result": info["result"] or ""})


@extend_schema_view(list=extend_schema(summary="心理咨询师名录"), retrieve=extend_schema(summary="心理咨询师"),
                    create=extend_schema(summary="登记心理咨询师"), update=extend_schema(summary="修改心理咨询师"),
                    partial_update=extend_schema(summary="修改心理咨询师（部分字段；is_active=false 即停用）"),
                    destroy=extend_schema(summary="删除心理咨询师（已有预约的不能删除，请停用）"))
class CounsellorViewSet(RegisterViewSet):
    register = COUNSELLORS
    serializer_class = CounsellorSerializer
