"""The generic case API: one `CaseViewSet` that every kind subclasses (its model, serializers and FilterSet).

    GET    /<kind>/                      list (FilterSet), scoped to the caller
    POST   /<kind>/                      register (the kind's input serializer → the kind's registration,
                                         which goes through engine.case_register)
    GET    /<kind>/{id}/                 retrieve
    POST   /<kind>/{id}/act/             a step: {action, data: {...}, note} (data may also sit at the top level)
    GET    /<kind>/{id}/log/             the steps the caller may take now and the whole log
    GET    /<kind>/{id}/attachments/     the case's photos (served by /cases/attachments/{id}/)
    POST   /<kind>/{id}/supervise/       督办
    POST   /<kind>/{id}/supervision-reply/
    POST   /<kind>/{id}/extension/       延期申请
    POST   /<kind>/{id}/extension/decide/

A step is checked by the same form as on the pages (pingan/cases/forms.py), so a foreign key is looked up
through `visible_to(caller)` and an error reads the same. Errors: 400 `{"detail", "errors": {field: [..]}}`;
a role that may not take the step 403 (audited); a case outside scope 404.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from pingan.core import audit
from pingan.core.api import ScopedReadOnlyViewSet

from .. import engine
from ..definitions import get_kind
from ..forms import (ExtensionDecideForm, ExtensionRequestForm, SuperviseForm, SupervisionReplyForm,
                     add_engine_errors, error_dict)
from ..models import Extension, Supervision, WorkflowAttachment
from ..views import action_form, may_take_anywhere, ordered_actions, surface_for
from .serializers import (ActSerializer, AttachmentSerializer, CaseAttachmentsSerializer, CaseLogSerializer,
                          ErrorSerializer, ExtensionDecideSerializer, ExtensionRequestSerializer,
                          ExtensionSerializer, SupervisionReplySerializer, SupervisionSerializer,
                          SuperviseSerializer, TransitionLogSerializer)

BAD_INPUT = OpenApiResponse(ErrorSerializer, description="输入有误或状态已变化（字段 → 消息）")
REFUSED = OpenApiResponse(description="角色不能执行此操作（已记入审计日志）")
NOT_FOUND = OpenApiResponse(description="记录不存在或不在您的管辖范围内")


def case_schema(output, *, create_request=None, create_summary: str = "登记"):
    """The OpenAPI description of a kind's CaseViewSet: every action with the kind's own output serializer."""
    errors = {400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND}
    views = {
        "act": extend_schema(summary="办理：执行一个流程操作（可执行的操作见 log）",
                             request={"application/json": ActSerializer, "multipart/form-data": ActSerializer},
                             responses={200: output, **errors}),
        "log": extend_schema(summary="流转记录与可执行操作", responses={200: CaseLogSerializer, 404: NOT_FOUND}),
        "attachments": extend_schema(summary="附件（照片）", responses={200: CaseAttachmentsSerializer, 404: NOT_FOUND}),
        "supervise": extend_schema(summary="督办", request=SuperviseSerializer,
                                   responses={201: SupervisionSerializer, **errors}),
        "supervision_reply": extend_schema(summary="督办反馈", request=SupervisionReplySerializer,
                                           responses={200: SupervisionSerializer, **errors}),
        "extension": extend_schema(summary="申请延期", request=ExtensionRequestSerializer,
                                   responses={201: ExtensionSerializer, **errors}),
        "extension_decide": extend_schema(summary="审批延期（不批准时须填写审批意见）", request=ExtensionDecideSerializer,
                                          responses={200: ExtensionSerializer, **errors}),
    }
    if create_request is not None:
        views["create"] = extend_schema(summary=create_summary, request=create_request,
                                        responses={201: output, 400: BAD_INPUT, 403: REFUSED})
    return extend_schema_view(**views)


def bad_input(errors: dict[str, list[str]]) -> Response:
    summary = "；".join(m for messages in errors.values() for m in messages)
    return Response({"detail": summary or "输入有误。", "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def _form_data(data) -> QueryDict | dict:
    """Request data as form data: a JSON object's values become strings the form fields parse."""
    if isinstance(data, QueryDict):
        return data
    if not isinstance(data, dict):
        return {}
    result = {}
    for key, value in data.items():
        if isinstance(value, bool):
            result[key] = "true" if value else "false"
        elif value is None:
            result[key] = ""
        elif isinstance(value, (list, dict)):
            continue  # no field of a step takes a list or an object: dropped, then "required" if needed
        else:
            result[key] = str(value)
    return result


class CaseViewSet(ScopedReadOnlyViewSet):
    """Subclass per kind: `queryset`, `serializer_class` (output), `input_serializer_class` (registration),
    `filterset_class`, and `register_case(request, validated_data)` when registration needs the kind's
    own service."""

    input_serializer_class = None
    write_capability = "data.write"

    def get_queryset(self):
        return super().get_queryset().with_overdue()

    # --- helpers ---------------------------------------------------------------------------------------
    @property
    def kind_label(self) -> str:
        return self.queryset.model._meta.label_lower

    def _require_write(self, request) -> None:
        if not request.user.can(self.write_capability):
            audit.denied(user=request.user, path=request.path)
            raise PermissionDenied("您的角色只能查看，不能办理。")

    def _fresh(self, case):
        return self.serializer_class(self.get_queryset().get(pk=case.pk), context=self.get_serializer_context()).data

    # --- register ---------------------------------------------------------------------------------------
    def register_case(self, request, data: dict):
        """Default registration: the input serializer's fields set on a new case, registered by the engine."""
        model = self.queryset.model
        photos = request.FILES.getlist("photos") if hasattr(request.FILES, "getlist") else []
        return engine.case_register(actor=request.user, case=model(**data), photos=photos)

    def create(self, request, *args, **kwargs):
        self._require_write(request)
        if self.input_serializer_class is None:
            raise PermissionDenied("此类案件不能通过接口登记。")
        serializer = self.input_serializer_class(data=request.data, context=self.get_serializer_context())
        if not serializer.is_valid():
            return bad_input({k: [str(m) for m in (v if isinstance(v, list) else [v])]
                              for k, v in serializer.errors.items()})
        case = self.register_case(request, dict(serializer.validated_data))
        return Response(self._fresh(case), status=status.HTTP_201_CREATED)

    # --- a step -----------------------------------------------------------------------------------------
    @action(detail=True, methods=["post"])
    def act(self, request, pk=None):
        self._require_write(request)
        case = self.get_object()
        kind = get_kind(self.kind_label)
        surface = surface_for(self.kind_label)
        body = request.data
        name = str(body.get("action") or "") if hasattr(body, "get") else ""
        try:
            t = kind.transition(name)
        except KeyError:
            return bad_input({"action": ["请选择要执行的操作。" if not name else f"没有“{name[:40]}”这个操作。"]})
        allowed = ordered_actions(request.user, case, surface)
        if t not in allowed:
            if not may_take_anywhere(request.user, case, t):
                engine.deny(self.request.user, case, t.name, f"您不能对此{kind.verbose_name}执行“{t.label}”。")
            return bad_input({"action": [f"此{kind.verbose_name}当前状态为“{kind.state_label(case.state)}”，"
                                         f"不能“{t.label}”。"]})
        nested = body.get("data") if hasattr(body, "get") else None
        data = _form_data(nested if isinstance(nested, dict) else body)
        if isinstance(nested, dict) and hasattr(body, "get"):
            data = dict(data)
            data.setdefault("note", str(body.get("note") or ""))
        files = request.FILES if hasattr(request.FILES, "getlist") else None
        form = action_form(surface, case, t, request.user, data, files)
        if form.is_valid():
            try:
                engine.transition(actor=request.user, case=case, action=t.name, data=form.case_data(),
                                  note=form.cleaned_data.get("note", ""), photos=form.photos)
            except ValidationError as exc:
                add_engine_errors(form, exc)
            else:
                return Response(self._fresh(case))
        return bad_input(error_dict(form))

    # --- reading the story ------------------------------------------------------------------------------
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def log(self, request, pk=None):
        case = self.get_object()
        kind = get_kind(self.kind_label)
        actions = ordered_actions(request.user, case, surface_for(self.kind_label))
        return Response({
            "number": case.number, "state": case.state, "state_display": kind.state_label(case.state),
            "allowed_actions": [{"action": t.name, "label": t.label, "required": list(t.required),
                                 "optional": list(t.optional), "note_required": t.note_required} for t in actions],
            "log": TransitionLogSerializer(engine.case_log(case), many=True).data,
        })

    @action(detail=True, methods=["get"], url_path="attachments", url_name="attachment", pagination_class=None,
            filter_backends=[])
    def attachments(self, request, pk=None):
        case = self.get_object()
        # The case is in the caller's scope: so are its photos (a report photo taken before dispatch included).
        items = WorkflowAttachment.objects.filter(case_type=self.kind_label, case_id=case.pk).order_by("id")
        return Response({"number": case.number, "attachments": AttachmentSerializer(items, many=True).data})

    # --- 督办 --------------------------------------------------------------------------------------------
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        self._require_write(request)
        case = self.get_object()
        kind = get_kind(self.kind_label)
        if not (kind.supervise_capability and request.user.can(kind.supervise_capability)):
            engine.deny(self.request.user, case, "supervise", "您的角色不能督办。")
        form = SuperviseForm(_form_data(request.data), days=kind.supervision_days)
        if form.is_valid():
            try:
                supervision = engine.supervise(actor=request.user, case=case, note=form.cleaned_data["note"],
                                               due_on=form.cleaned_data["due_on"])
            except ValidationError as exc:
                add_engine_errors(form, exc)
            else:
                return Response({"id": supervision.pk, "status": supervision.status, "due_on": supervision.due_on},
                                status=status.HTTP_201_CREATED)
        return bad_input(error_dict(form))

    @action(detail=True, methods=["post"], url_path="supervision-reply", url_name="supervision-reply")
    def supervision_reply(self, request, pk=None):
        self._require_write(request)
        case = self.get_object()
        if not engine.may_handle(request.user, case):
            engine.deny(self.request.user, case, "supervision_reply", "您不能代表承办单位反馈此督办。")
        form = SupervisionReplyForm(_form_data(request.data))
        if form.is_valid():
            supervision = engine.case_supervisions(case).filter(pk=form.cleaned_data["supervision"],
                                                                status=Supervision.Status.OPEN).first()
            if supervision is None:
                form.add_error("supervision", "找不到这条待反馈的督办，可能已经反馈过了。")
            else:
                try:
                    engine.supervision_reply(actor=request.user, supervision=supervision, case=case,
                                             reply=form.cleaned_data["reply"])
                except ValidationError as exc:
                    add_engine_errors(form, exc)
                else:
                    return Response({"id": supervision.pk, "status": supervision.status,
                                     "due_on": supervision.due_on})
        return bad_input(error_dict(form))

    # --- 延期 --------------------------------------------------------------------------------------------
    @action(detail=True, methods=["post"], url_path="extension", url_name="extension")
    def extension(self, request, pk=None):
        self._require_write(request)
        case = self.get_object()
        kind = get_kind(self.kind_label)
        if case.state in kind.closed_states:
            return bad_input({"__all__": [f"此{kind.verbose_name}已办结，不能申请延期。"]})
        if not engine.may_handle(request.user, case):
            engine.deny(self.request.user, case, "extension_request", f"您不能为此{kind.verbose_name}申请延期。")
        form = ExtensionRequestForm(_form_data(request.data))
        if form.is_valid():
            try:
                extension = engine.extension_request(actor=request.user, case=case,
                                                     new_deadline=form.cleaned_data["new_deadline"],
                                                     reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_engine_errors(form, exc)
            else:
                return Response({"id": extension.pk, "status": extension.status,
                                 "new_deadline": extension.new_deadline}, status=status.HTTP_201_CREATED)
        return bad_input(error_dict(form))

    @action(detail=True, methods=["post"], url_path="extension/decide", url_name="extension-decide")
    def extension_decide(self, request, pk=None):
        self._require_write(request)
        case = self.get_object()
        kind = get_kind(self.kind_label)
        if not (kind.extension_approve_capability and request.user.can(kind.extension_approve_capability)):
            engine.deny(self.request.user, case, "extension_decide", "您的角色不能审批延期申请。")
        form = ExtensionDecideForm(_form_data(request.data))
        if form.is_valid():
            extension = engine.case_extensions(case).filter(pk=form.cleaned_data["extension"],
                                                            status=Extension.Status.PENDING).first()
            if extension is None:
                form.add_error("extension", "找不到这份待审批的延期申请，可能已经审批过了。")
            else:
                try:
                    engine.extension_decide(actor=request.user, extension=extension, case=case,
                                            approve=form.cleaned_data["decision"] == "approve",
                                            note=form.cleaned_data["decision_note"])
                except ValidationError as exc:
                    add_engine_errors(form, exc, rename={"note": "decision_note"})
                else:
                    return Response({"id": extension.pk, "status": extension.status,
                                     "new_deadline": extension.new_deadline})
        return bad_input(error_dict(form))
