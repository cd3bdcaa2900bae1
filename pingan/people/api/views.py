from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from pingan.core.api import ScopedReadOnlyViewSet

from .. import services
from ..filters import EnrollmentFilter, HouseholdFilter, PersonFilter, RentalHouseFilter, VisitFilter
from ..models import Household, Person, RentalHouse, SpecialEnrollment, Visit
from .serializers import (
    EnrollmentSerializer, HouseholdSerializer, PersonSerializer, RentalHouseSerializer, VisitCreateSerializer,
    VisitSerializer,
)


@extend_schema_view(list=extend_schema(summary="实有人口列表（证件号码与电话已脱敏）"), retrieve=extend_schema(summary="实有人口"))
class PersonViewSet(ScopedReadOnlyViewSet):
    queryset = Person.objects.select_related("jurisdiction").order_by("jurisdiction__path", "name", "id")
    serializer_class = PersonSerializer
    filterset_class = PersonFilter


@extend_schema_view(list=extend_schema(summary="户列表"), retrieve=extend_schema(summary="户"))
class HouseholdViewSet(ScopedReadOnlyViewSet):
    queryset = Household.objects.select_related("jurisdiction").order_by("jurisdiction__path", "number")
    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter


@extend_schema_view(list=extend_schema(summary="出租房屋列表"), retrieve=extend_schema(summary="出租房屋"))
class RentalHouseViewSet(ScopedReadOnlyViewSet):
    queryset = RentalHouse.objects.select_related("jurisdiction").order_by("jurisdiction__path", "address")
    serializer_class = RentalHouseSerializer
    filterset_class = RentalHouseFilter


@extend_schema_view(list=extend_schema(summary="特殊人群列管列表（健康类仅对有权限的角色）"), retrieve=extend_schema(summary="特殊人群列管"))
class EnrollmentViewSet(ScopedReadOnlyViewSet):
    queryset = SpecialEnrollment.objects.select_related("person", "jurisdiction").order_by("next_visit_on", "id")
    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilter


@extend_schema_view(list=extend_schema(summary="走访记录"), retrieve=extend_schema(summary="走访记录"),
                    create=extend_schema(summary="记录一次走访", request=VisitCreateSerializer, responses=VisitSerializer))
class VisitViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    queryset = Visit.objects.select_related("enrollment").order_by("-visited_on", "-id")
    serializer_class = VisitSerializer
    filterset_class = VisitFilter

    def create(self, request, *args, **kwargs):
        if not request.user.can("people.visit"):
            raise PermissionDenied()
        data = VisitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enrollment = SpecialEnrollment.objects.visible_to(request.user).filter(pk=values.pop("enrollment")).first()
        if enrollment is None:
            raise NotFound()
        visit = services.visit_record(actor=request.user, enrollment=enrollment, **values)
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)
