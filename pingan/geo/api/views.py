from drf_spectacular.utils import extend_schema, extend_schema_view

from pingan.core.api import ScopedReadOnlyViewSet

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
