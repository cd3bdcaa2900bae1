"""Events API: the generic case API (pingan/cases/api: list, retrieve, act, log, attachments, 督办, 延期), and
reporting (the phone page's offline queue posts here, multipart, with an idempotency key)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from pingan.cases.api.views import CaseViewSet, case_schema
from pingan.core.parsers import JSONParser
from pingan.geo.models import Node

from .. import services
from ..choices import Source
from ..forms import attributes_from
from ..models import Category, Event
from .serializers import EventReportSerializer, EventSerializer


def _pick(qs, value, field, message, known=None):
    """The row of `qs` with the posted id; `known` is an object already loaded that `qs` is known to hold
    (the reporter's own grid), given back without a query when the id is its."""
    text = str(value or "").strip()
    if not text:
        return None
    if known is not None and text.isdigit() and int(text) == known.pk:
        return known
    obj = qs.filter(pk=int(text)).first() if text.isdigit() else None
    if obj is None:
        raise ValidationError({field: message})
    return obj


def _own_place(user):
    """The user's own scope node when `Node.objects.visible_to(user)` certainly holds it (scope_q: an active
    user who may see reference data sees the nodes under their scope path, their own included)."""
    if user.is_active and user.scope_id and user.may_see_data_kind(Node.scope_data_kind) and user.scope_path:
        return user.scope
    return None


@extend_schema_view(list=extend_schema(summary="网格事件列表"), retrieve=extend_schema(summary="网格事件"),
                    create=extend_schema(summary="上报网格事件（同一 idempotency_key 重复提交只登记一次）",
                                         request={"multipart/form-data": EventReportSerializer,
                                                  "application/json": EventReportSerializer},
                                         responses={200: EventSerializer, 201: EventSerializer}))
@case_schema(EventSerializer)
class EventViewSet(CaseViewSet):
    """Grid events within the caller's scope: read, report (with an idempotency key for the offline queue),
    and take workflow steps, 督办 and 延期 like every case kind."""

    queryset = Event.objects.select_related("category", "jurisdiction", "assigned_department").order_by("-reported_at", "-id")
    serializer_class = EventSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    filterset_fields = ["state", "source", "urgency"]

    def create(self, request, *args, **kwargs):
        """Reporting keeps its own path: the category's fields, the reporter's grid and the idempotency key of
        the offline queue (services.event_report registers through the case engine)."""
        user = request.user
        if not user.can("events.report"):
            raise PermissionDenied("您的角色不能上报网格事件。")
        data = request.data
        category = _pick(Category.objects.visible_to(user).active().leaves().prefetch_related("fields"),
                         data.get("category"), "category", "所选事件类别无效。")
        jurisdiction = _pick(Node.objects.visible_to(user), data.get("jurisdiction"), "jurisdiction",
                             "所选网格不在您的管辖范围内。", known=_own_place(user))
        files = request.FILES.getlist("photos") if hasattr(request.FILES, "getlist") else []
        result = services.event_report(
            actor=user, category=category, description=data.get("description", ""), jurisdiction=jurisdiction,
            latitude=data.get("latitude"), longitude=data.get("longitude"), address=str(data.get("address", "")),
            urgency=data.get("urgency") or "normal", photos=files,
            attributes=attributes_from(data, category) if category else {},
            idempotency_key=data.get("idempotency_key") or request.headers.get("Idempotency-Key"),
            source=Source.GRID)
        event = result.event
        if result.created:
            # Just written in this request, with its category and place loaded: what the list's queryset
            # would read back, and its is_overdue computed the way with_overdue() does.
            event.is_overdue = Event.objects.is_overdue(event)
        else:
            event = Event.objects.filter(pk=event.pk).select_related(
                "category", "jurisdiction", "assigned_department").with_overdue().get()
        body = EventSerializer(event).data
        body["created"] = result.created
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)
