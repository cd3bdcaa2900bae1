from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from ..params import BadRequest

from pingan.core.api import ScopedReadOnlyViewSet

from .. import layers as registry
from .. import mapdata
from ..filters import NodeFilter
from ..models import LiaisonPoint, Node
from .serializers import LiaisonPointSerializer, NodeSerializer


@extend_schema_view(list=extend_schema(summary="辖区节点列表"), retrieve=extend_schema(summary="按代码取辖区节点"))
class NodeViewSet(ScopedReadOnlyViewSet):
    """The jurisdiction tree, limited to the caller's scope; look up by statistical code."""

    queryset = Node.objects.select_related("parent").order_by("path")
    serializer_class = NodeSerializer
    filterset_class = NodeFilter
    lookup_field = "code"
    lookup_value_regex = r"\d{2,15}"


@extend_schema_view(list=extend_schema(summary="治安联络点列表"), retrieve=extend_schema(summary="治安联络点"))
class LiaisonPointViewSet(ScopedReadOnlyViewSet):
    queryset = LiaisonPoint.objects.select_related("jurisdiction").order_by("jurisdiction__path", "name")
    serializer_class = LiaisonPointSerializer


class _MapView(APIView):
    """Map data: GeoJSON FeatureCollections for the map page (pingan/geo/mapdata.py). Every working role may
    call it (capability geo.map); what each layer holds is limited by its data kind and by scope."""

    def check(self, request):
        # DRF's own PermissionDenied: Django's would lose the message (DRF answers its generic one).
        if not request.user.can("geo.map"):
            raise PermissionDenied("您的角色不能查看综治地图。")


@extend_schema(summary="辖区边界（GeoJSON）", parameters=[
    OpenApiParameter("jurisdiction", str, description="辖区区划代码或名称（默认本人管辖范围）"),
    OpenApiParameter("grids", bool, description="县区也返回网格边界")], responses=OpenApiTypes.OBJECT)
class BoundariesView(_MapView):
    def get(self, request):
        self.check(request)
        try:
            node = mapdata.parse_node(request.query_params.get("jurisdiction"), request.user)
        except BadRequest as exc:
            return Response({"detail": exc.message}, status=exc.status)
        grids = request.query_params.get("grids")
        return Response(mapdata.boundaries(node, request.user, grids=True if grids in ("1", "true") else None))


@extend_schema(summary="地图图层（GeoJSON）", parameters=[
    OpenApiParameter("jurisdiction", str, description="辖区区划代码或名称（默认本人管辖范围）"),
    OpenApiParameter("bbox", str, description="最小经度,最小纬度,最大经度,最大纬度（每边不超过 2 度）"),
    OpenApiParameter("from", str, description="开始日期 YYYY-MM-DD（默认近 12 个月）"),
    OpenApiParameter("to", str, description="截止日期 YYYY-MM-DD"),
    OpenApiParameter("category", str, description="类别代码"),
    OpenApiParameter("of", str, description="密度图层（key=density）：按哪个案件图层统计"),
    OpenApiParameter("level", str, description="密度图层：village 或 township")], responses=OpenApiTypes.OBJECT)
class LayerView(_MapView):
    def get(self, request, key: str):
        self.check(request)
        try:
            if key == "density":
                return Response(mapdata.density_geojson(request.user, request.query_params))
            layer = registry.get(key)
            if layer is None or not layer.allowed(request.user):
                return Response({"detail": "没有这个地图图层，或您的角色不能查看它。"}, status=404)
            params = mapdata.parse_params(layer, request.query_params, request.user)
            return Response(mapdata.layer_geojson(layer, request.user, params, request.query_params))
        except BadRequest as exc:
            return Response({"detail": exc.message}, status=exc.status)


@extend_schema(summary="地图图层列表", responses=OpenApiTypes.OBJECT)
class LayerListView(_MapView):
    def get(self, request):
        self.check(request)
        return Response({"layers": [layer.describe(request.user) for layer in registry.layers_for(request.user)]})
