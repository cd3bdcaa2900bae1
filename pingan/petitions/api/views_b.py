"""Part-2 API of the petitions module: 交办清单 (list, detail with its items, create, 列入事项, 报告办理情况),
领导接访 (list, detail, create, update) and the repeat panel of a petition (candidates, 是/不是重复信访).

Every read goes through `visible_to(caller)` (a record outside scope is 404; an id or code of another township
in the input is a 400 naming the field); every write through the service the page uses (lists.py,
receptions.py, repeats.py), which audits it; a role the page refuses is refused here (403, audited).
Errors: 400 {"detail", "errors": {field: [中文说明]}}."""
from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from pingan.cases.api.views import BAD_INPUT, NOT_FOUND, REFUSED, bad_input
from pingan.core import audit, personal
from pingan.core.api import ScopedReadOnlyViewSet
from pingan.core.filters import FilterSet
from pingan.core.parsers import JSONParser  # the project's own: nesting and size limits, Chinese errors

from .. import choices as c
from .. import lists, receptions, repeats
from ..models import AssignedList, LeaderReception, Petition
from .serializers_b import (AssignedListDetailSerializer, AssignedListInputSerializer, AssignedListSerializer,
                            ListAttachSerializer, ListReportSerializer, ReceptionInputSerializer,
                            ReceptionSerializer, RepeatMarkSerializer, RepeatPanelSerializer, repeat_panel)

PARSERS = [JSONParser, FormParser, MultiPartParser]


def service_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "message_dict"):
        return {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def input_errors(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """A serializer's errors as {field: [messages]} ("petitions.3" for the fourth id of a list)."""
    out: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = "__all__" if key == "non_field_errors" else str(key)
            out.update(input_errors(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(errors, list) and any(isinstance(e, (dict, list)) for e in errors):
        for i, item in enumerate(errors):
            out.update(input_errors(item, f"{prefix}.{i}"))
    elif errors:
        out[prefix or "__all__"] = [str(e) for e in (errors if isinstance(errors, list) else [errors])]
    return out


def require_decide(request) -> None:
    """The pages' rule for 交办清单 and 领导接访 writes: a role that writes and decides petitions."""
    if not request.user.can("data.write") or not request.user.can("petitions.decide"):
        audit.denied(user=request.user, path=request.path)
        raise PermissionDenied("您的角色只能查看，不能办理。")


def create_through(request, input_class, context, write) -> tuple[Any, Response | None]:
    """The create of a 交办清单 or a 接访: parse with `input_class`, leave out an empty `jurisdiction` (the service
    then takes the caller's own unit), write through the page's service `write(actor=, data=)`. (the object,
    None) or (None, the 400 answer)."""
    require_decide(request)
    serializer = input_class(data=request.data, context=context)
    if not serializer.is_valid():
        return None, bad_input(input_errors(serializer.errors))
    data = dict(serializer.validated_data)
    if data.get("jurisdiction") is None:
        data.pop("jurisdiction", None)
    try:
        return write(actor=request.user, data=data), None
    except ValidationError as exc:
        return None, bad_input(service_errors(exc))


def require_repeat_tool(request) -> None:
    """The repeat panel's rule (views_b.repeat_panel): the officer who registers or decides, and writes."""
    user = request.user
    if not (user.can("petitions.register") or user.can("petitions.decide")) or not user.can("data.write"):
        audit.denied(user=user, path=request.path)
        raise PermissionDenied("您的角色不能查重和标记重复信访。")


# --- 交办清单 ----------------------------------------------------------------------------------------------------
class AssignedListFilter(FilterSet):
    level = django_filters.ChoiceFilter(choices=c.ListLevel.choices, label="交办层级")
    reported = django_filters.BooleanFilter(field_name="reported_on", lookup_expr="isnull", exclude=True,
                                            label="是否已报告办理情况")
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label="接收日期起")
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label="接收日期止")

    class Meta:
        model = AssignedList
        fields = ["level", "reported", "received_from", "received_to"]


ERRORS = {400: BAD_INPUT, 403: REFUSED, 404: NOT_FOUND}


@extend_schema_view(
    list=extend_schema(summary="交办清单列表（含办结进度）",
                       description="按调用者的管辖范围过滤；支持交办层级、是否已报告、接收日期筛选。"),
    retrieve=extend_schema(summary="交办清单详情（每件的办理状态、办理期限、逾期天数、办理结果）",
                           responses={200: AssignedListDetailSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary="登记交办清单", request=AssignedListInputSerializer,
                         responses={201: AssignedListDetailSerializer, 400: BAD_INPUT, 403: REFUSED}),
)
class AssignedListViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """交办清单 in the caller's scope: read, create, put petitions on it, report back once (lists.py)."""

    queryset = AssignedList.objects.select_related("jurisdiction").order_by("-received_on", "-pk")
    serializer_class = AssignedListSerializer
    filterset_class = AssignedListFilter
    parser_classes = PARSERS

    def get_queryset(self):
        items = Petition.objects.order_by("registered_on", "pk")
        return super().get_queryset().prefetch_related(Prefetch("petitions", queryset=items))

    def get_serializer_class(self):
        return AssignedListSerializer if self.action == "list" else AssignedListDetailSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=pk)
        return Response(AssignedListDetailSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        made, refused = create_through(request, AssignedListInputSerializer, self.get_serializer_context(),
                                       lists.list_create)
        return refused if refused is not None else self._detail(made.pk, status.HTTP_201_CREATED)

    @extend_schema(summary="列入信访事项（按 id 或编号；全部在您的管辖范围内才列入，否则一件也不列入）",
                   request=ListAttachSerializer, responses={200: AssignedListDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        listed = self.get_object()
        require_decide(request)
        serializer = ListAttachSerializer(data=request.data)
        if not serializer.is_valid():
            return bad_input(input_errors(serializer.errors))
        ids = list(dict.fromkeys(serializer.validated_data.get("petitions") or []))
        numbers = list(dict.fromkeys(personal.clean_text(n).upper() for n in serializer.validated_data.get("numbers")
                                     or [] if personal.clean_text(n)))
        visible = Petition.objects.visible_to(request.user)
        found = {p.pk: p for p in visible.filter(pk__in=ids)}
        by_number = {p.number: p for p in visible.filter(number__in=numbers)}
        missing = [str(i) for i in ids if i not in found] + [n for n in numbers if n not in by_number]
        if missing:
            return bad_input({"petitions": [f"信访事项 {'、'.join(missing[:5])} 不存在或不在您的管辖范围内，一件也没有列入。"]})
        found.update({p.pk: p for p in by_number.values()})
        try:
            lists.list_attach(actor=request.user, assigned_list=listed, petitions=list(found.values()))
        except ValidationError as exc:
            return bad_input(service_errors(exc))
        return self._detail(listed.pk)

    @extend_schema(summary="报告办理情况（每个清单一次；有未办结事项时须写明原因）", request=ListReportSerializer,
                   responses={200: AssignedListDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        listed = self.get_object()
        require_decide(request)
        serializer = ListReportSerializer(data=request.data)
        if not serializer.is_valid():
            return bad_input(input_errors(serializer.errors))
        data = serializer.validated_data
        try:
            lists.list_report(actor=request.user, assigned_list=listed, text=data["report_text"],
                              reason=data.get("reason") or "", reported_on=data.get("reported_on"))
        except ValidationError as exc:
            return bad_input(service_errors(exc))
        return self._detail(listed.pk)


# --- 领导接访 ----------------------------------------------------------------------------------------------------
class ReceptionFilter(FilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", label="只看本人账号的接访安排（领导）")
    kind = django_filters.ChoiceFilter(choices=c.ReceptionKind.choices, label="接访方式")
    held_from = django_filters.DateFilter(field_name="held_on", lookup_expr="gte", label="接访日期起")
    held_to = django_filters.DateFilter(field_name="held_on", lookup_expr="lte", label="接访日期止")

    class Meta:
        model = LeaderReception
        fields = ["mine", "kind", "held_from", "held_to"]

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = getattr(self.request, "user", None)
        return queryset.filter(leader_id=getattr(user, "pk", None))


@extend_schema_view(
    list=extend_schema(summary="领导接访列表（接访、约访、下访）",
                       description="按调用者的管辖范围过滤，接访日期由近及远；?mine=true 只列本人账号的安排（领导的日程）；"
                                   "支持接访方式、接访日期筛选。"),
    retrieve=extend_schema(summary="领导接访详情（含接待的信访事项）"),
    create=extend_schema(summary="安排接访", request=ReceptionInputSerializer,
                         responses={201: ReceptionSerializer, 400: BAD_INPUT, 403: REFUSED}),
    partial_update=extend_schema(summary="修改接访（填写接访结果等；所属单位不能修改）", request=ReceptionInputSerializer,
                                 responses={200: ReceptionSerializer, **ERRORS}),
)
class ReceptionViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ScopedReadOnlyViewSet):
    """领导接访 in the caller's scope, planned and edited through receptions.reception_save."""

    queryset = LeaderReception.objects.select_related("jurisdiction").order_by("-held_on", "-pk")
    serializer_class = ReceptionSerializer
    filterset_class = ReceptionFilter
    parser_classes = PARSERS
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        received = Petition.objects.visible_to(self.request.user).select_related("jurisdiction").order_by(
            "registered_on", "pk")
        return super().get_queryset().prefetch_related(Prefetch("petitions", queryset=received))

    def _fresh(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(ReceptionSerializer(self.get_queryset().get(pk=pk)).data, status=code)

    def create(self, request, *args, **kwargs):
        made, refused = create_through(request, ReceptionInputSerializer, self.get_serializer_context(),
                                       receptions.reception_save)
        return refused if refused is not None else self._fresh(made.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        reception = self.get_object()
        require_decide(request)
        serializer = ReceptionInputSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        if not serializer.is_valid():
            return bad_input(input_errors(serializer.errors))
        if hasattr(request.data, "get") and request.data.get("jurisdiction") not in (None, ""):
            return bad_input({"jurisdiction": ["接访安排的所属单位不能修改。"]})
        data = {name: getattr(reception, name) for name in receptions.FIELDS}
        data.update({k: v for k, v in serializer.validated_data.items() if k != "jurisdiction"})
        try:
            receptions.reception_save(actor=request.user, data=data, reception=reception)
        except ValidationError as exc:
            return bad_input(service_errors(exc))
        return self._fresh(reception.pk)

    def update(self, request, *args, **kwargs):  # PUT is not offered (http_method_names): PATCH edits
        return self.partial_update(request, *args, **kwargs)


# --- the repeat panel (an action of the petition API, views.PetitionViewSet.repeats) ---------------------------
def repeats_answer(request, petition: Petition) -> Response:
    """GET: the panel; POST {"repeat_of": id | null}: 是重复信访（关联原件） or 不是重复, then the panel."""
    require_repeat_tool(request)
    if request.method == "POST":
        serializer = RepeatMarkSerializer(data=request.data)
        if not serializer.is_valid():
            return bad_input(input_errors(serializer.errors))
        original_id = serializer.validated_data["repeat_of"]
        original = None
        if original_id is not None:
            original = Petition.objects.visible_to(request.user).filter(pk=original_id).first()
            if original is None:
                return bad_input({"repeat_of": ["所关联的信访事项不存在或不在您的管辖范围内。"]})
        try:
            petition = repeats.repeat_mark(actor=request.user, petition=petition, original=original)
        except ValidationError as exc:
            return bad_input(service_errors(exc))
    petition = Petition.objects.select_related("repeat_of").get(pk=petition.pk)
    found = repeats.candidates(request.user, petition)
    prefetch_related_objects([*found["same_person"], *(p for p, _ in found["similar"])], "jurisdiction")
    return Response(repeat_panel(petition, found))


REPEATS_SCHEMA = {
    "GET": extend_schema(methods=["GET"], summary="可能重复的信访：同一信访人的其他事项和内容相似的事项",
                         responses={200: RepeatPanelSerializer, 403: REFUSED, 404: NOT_FOUND}),
    "POST": extend_schema(methods=["POST"], summary="查重结论：是重复信访（repeat_of 为原件 id）或不是重复（repeat_of 为 null）",
                          request=RepeatMarkSerializer, responses={200: RepeatPanelSerializer, **ERRORS}),
}
