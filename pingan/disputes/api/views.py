"""Disputes API: the generic case API (pingan/cases/api: list with the register's FilterSet, retrieve, register,
act, log, attachments, 督办, 延期) over the dispute register, plus its parties and mediation sessions, written
through the dispute services. Errors: 400 {"detail", "errors": {field: [..]}} in Chinese."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from pingan.cases.api.views import BAD_INPUT, NOT_FOUND, REFUSED, CaseViewSet, bad_input, case_schema
from pingan.core import audit
from pingan.core.parsers import JSONParser  # the project's own: nesting and size limits, Chinese errors (not DRF's)

from .. import services
from ..filters import DisputeFilter
from ..models import Dispute, DisputeParty, Mediator
from .serializers import (DisputeCreateSerializer, DisputeSerializer, PartyInputSerializer, PartySerializer,
                          SessionInputSerializer, SessionSerializer)


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "message_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def _serializer_errors(errors) -> dict[str, list[str]]:
    out = {}
    for key, value in errors.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):  # many=True nested
            for i, item in enumerate(value):
                for sub, msgs in item.items():
                    out[f"{key}.{i}.{sub}"] = [str(m) for m in msgs]
        else:
            out[key] = [str(m) for m in (value if isinstance(value, list) else [value])]
    return out


def _require_write(request) -> None:
    if not request.user.can("data.write"):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色只能查看，不能办理。")


@extend_schema_view(
    list=extend_schema(summary="矛盾纠纷列表",
                       description="按调用者的管辖范围过滤；支持地点、类别、状态、来源、调解员、调解组织、登记日期、是否超期、是否移送筛选。"),
    retrieve=extend_schema(summary="矛盾纠纷详情"),
    create=extend_schema(summary="排查登记（同一 idempotency_key 重复提交只登记一次）",
                         request={"application/json": DisputeCreateSerializer,
                                  "multipart/form-data": DisputeCreateSerializer},
                         responses={200: DisputeSerializer, 201: DisputeSerializer, 400: BAD_INPUT, 403: REFUSED}),
)
@case_schema(DisputeSerializer)
class DisputeViewSet(CaseViewSet):
    """The dispute register: read within scope, register (phone and offline queue included), take workflow
    steps, and keep its parties and mediation sessions."""

    queryset = Dispute.objects.select_related("jurisdiction", "mediation_org", "mediator").order_by(
        "-registered_on", "-id")
    serializer_class = DisputeSerializer
    input_serializer_class = DisputeCreateSerializer
    filterset_class = DisputeFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def create(self, request, *args, **kwargs):
        self._require_write(request)
        if not request.user.can("disputes.register"):
            audit.record(actor=request.user, action="dispute.create", outcome="failure", detail="无权登记矛盾纠纷")
            raise PermissionDenied("您的角色不能登记矛盾纠纷。")
        serializer = DisputeCreateSerializer(data=request.data, context=self.get_serializer_context())
        if not serializer.is_valid():
            return bad_input(_serializer_errors(serializer.errors))
        data = dict(serializer.validated_data)
        parties = [dict(p) for p in data.pop("parties", None) or []]
        flat = [{"side": "applicant", "name": data.pop("party1_name"), "phone": data.pop("party1_phone")},
                {"side": "respondent", "name": data.pop("party2_name"), "phone": data.pop("party2_phone")}]
        if not parties:
            parties = flat
        key = data.pop("idempotency_key", "") or request.headers.get("Idempotency-Key") or None
        for name in ("occurred_on", "registered_on"):
            if data.get(name) is None:
                data[name] = timezone.localdate()
        photos = request.FILES.getlist("photos") if hasattr(request.FILES, "getlist") else []
        try:
            dispute = services.dispute_register(actor=request.user, data=data, parties=parties, photos=photos,
                                                idempotency_key=(key or "")[:64] or None)
        except ValidationError as exc:
            return bad_input(_errors(exc))
        created = getattr(dispute, "_created", True)
        body = self._fresh(dispute)
        body["created"] = created
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    # --- parties ------------------------------------------------------------------------------------------
    @extend_schema(methods=["GET"], summary="当事人列表（号码遮蔽）", responses={200: PartySerializer(many=True),
                                                                       404: NOT_FOUND})
    @extend_schema(methods=["POST"], summary="添加当事人", request=PartyInputSerializer,
                   responses={201: PartySerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def parties(self, request, pk=None):
        dispute = self.get_object()
        if request.method == "GET":
            return Response(PartySerializer(dispute.parties.all(), many=True).data)
        _require_write(request)
        serializer = PartyInputSerializer(data=request.data)
        if not serializer.is_valid():
            return bad_input(_serializer_errors(serializer.errors))
        try:
            party = services.party_add(actor=request.user, dispute=dispute, data=dict(serializer.validated_data))
        except ValidationError as exc:
            return bad_input(_errors(exc))
        return Response(PartySerializer(party).data, status=status.HTTP_201_CREATED)

    # --- sessions -----------------------------------------------------------------------------------------
    @extend_schema(methods=["GET"], summary="调解记录列表", responses={200: SessionSerializer(many=True),
                                                                  404: NOT_FOUND})
    @extend_schema(methods=["POST"], summary="添加调解记录", request=SessionInputSerializer,
                   responses={201: SessionSerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def sessions(self, request, pk=None):
        dispute = self.get_object()
        if request.method == "GET":
            return Response(SessionSerializer(dispute.sessions.select_related("mediator"), many=True).data)
        _require_write(request)
        serializer = SessionInputSerializer(data=request.data)
        if not serializer.is_valid():
            return bad_input(_serializer_errors(serializer.errors))
        data = dict(serializer.validated_data)
        mediator_id = data.pop("mediator", None)
        if mediator_id:
            data["mediator"] = Mediator.objects.filter(pk=mediator_id).first()
            if data["mediator"] is None:
                return bad_input({"mediator": ["主持调解员须是本纠纷的主办或协办调解员。"]})
        try:
            session = services.session_add(actor=request.user, dispute=dispute, data=data)
        except ValidationError as exc:
            return bad_input(_errors(exc))
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary="当事人（号码遮蔽）"),
    list=extend_schema(summary="当事人列表（号码遮蔽）"),
    partial_update=extend_schema(summary="修改当事人（号码留空则保留原号码）", request=PartyInputSerializer,
                                 responses={200: PartySerializer, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND}),
    destroy=extend_schema(summary="删除当事人", responses={204: None, 400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND}),
)
class DisputePartyViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Parties of the disputes in the caller's scope; changed and removed through the dispute services."""

    queryset = DisputeParty.objects.select_related("dispute").order_by("dispute_id", "id")
    serializer_class = PartySerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def partial_update(self, request, pk=None):
        _require_write(request)
        party = self.get_object()
        serializer = PartyInputSerializer(data={"side": party.side, "kind": party.kind, "name": party.name,
                                                "sex": party.sex, "category": party.category,
                                                "address": party.address, "representative": party.representative,
                                                **({"person": party.person_id} if party.person_id else {}),
                                                **request.data})
        if not serializer.is_valid():
            return bad_input(_serializer_errors(serializer.errors))
        try:
            party = services.party_update(actor=request.user, party=party, data=dict(serializer.validated_data))
        except ValidationError as exc:
            return bad_input(_errors(exc))
        return Response(PartySerializer(party).data)

    def destroy(self, request, pk=None):
        _require_write(request)
        party = self.get_object()
        try:
            services.party_remove(actor=request.user, party=party)
        except ValidationError as exc:
            return bad_input(_errors(exc))
        return Response(status=status.HTTP_204_NO_CONTENT)
