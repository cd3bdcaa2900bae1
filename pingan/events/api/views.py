"""Events API: scoped reads, and reporting (the phone page's offline queue posts here, multipart)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from pingan.core.api import ScopedReadOnlyViewSet
from pingan.geo.models import Node

from .. import services
from ..choices import Source
from ..forms import attributes_from
from ..models import Category, Event
from .serializers import EventSerializer


def _pick(qs, value, field, message):
    text = str(value or "").strip()
    if not text:
        return None
    obj = qs.filter(pk=int(text)).first() if text.isdigit() else None
    if obj is None:
        raise ValidationError({field: message})
    return obj


@extend_schema_view(list=extend_schema(summary="网格事件列表"), retrieve=extend_schema(summary="网格事件"),
                    create=extend_schema(summary="上报网格事件（同一 idempotency_key 重复提交只登记一次）"))
class EventViewSet(ScopedReadOnlyViewSet):
    queryset = Event.objects.select_related("category", "jurisdiction", "assigned_department").order_by("-reported_at", "-id")
    serializer_class = EventSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["state", "source", "urgency"]

    def get_queryset(self):
        return super().get_queryset().with_overdue()

    def create(self, request):
        user = request.user
        if not user.can("events.report"):
            raise PermissionDenied("您的角色不能上报网格事件。")
        data = request.data
        category = _pick(Category.objects.visible_to(user).active().leaves(), data.get("category"), "category",
                         "所选事件类别无效。")
        jurisdiction = _pick(Node.objects.visible_to(user), data.get("jurisdiction"), "jurisdiction",
                             "所选网格不在您的管辖范围内。")
        files = request.FILES.getlist("photos") if hasattr(request.FILES, "getlist") else []
        result = services.event_report(
            actor=user, category=category, description=data.get("description", ""), jurisdiction=jurisdiction,
            latitude=data.get("latitude"), longitude=data.get("longitude"), address=str(data.get("address", "")),
            urgency=data.get("urgency") or "normal", photos=files,
            attributes=attributes_from(data, category) if category else {},
            idempotency_key=data.get("idempotency_key") or request.headers.get("Idempotency-Key"),
            source=Source.GRID)
        event = Event.objects.filter(pk=result.event.pk).select_related(
            "category", "jurisdiction", "assigned_department").with_overdue().get()
        body = EventSerializer(event).data
        body["created"] = result.created
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
