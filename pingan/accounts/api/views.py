from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from pingan.core.api import ScopedReadOnlyViewSet

from ..models import Department
from .serializers import DepartmentSerializer, MeSerializer


class MeView(APIView):
    """The caller's own profile: role, scope and department."""

    @extend_schema(responses=MeSerializer, summary="当前用户信息")
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class DepartmentViewSet(ScopedReadOnlyViewSet):
    """Departments the caller may see: those of its subtree and those above it."""

    queryset = Department.objects.select_related("jurisdiction").order_by("jurisdiction__path", "name")
    serializer_class = DepartmentSerializer
    filterset_fields = ["category", "is_active"]
