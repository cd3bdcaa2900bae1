"""Part B's API (/api/v1/disputes-admin/…): the registers over their services (pingan.registers'
RegisterViewSet), meetings (created with their agenda and follow-ups), subsidy sheets (list, detail with
lines, build, approve). Errors: 400 {"detail", "errors"} in Chinese; outside scope 404; a role without the
capability 403 (audited)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pingan.core import audit
from pingan.registers import RegisterViewSet

from .. import meetings, subsidy
from .. import views_b as v
from ..filters_b import SheetFilter
from ..models import Dispute, SubsidySheet
from . import serializers as s


def _docs(title: str):
    return extend_schema_view(list=extend_schema(summary=f"{title}列表"), retrieve=extend_schema(summary=title),
                              create=extend_schema(summary=f"登记{title}"), update=extend_schema(summary=f"修改{title}"),
                              partial_update=extend_schema(summary=f"修改{title}（部分字段）"),
                              destroy=extend_schema(summary=f"删除{title}"))


@_docs("调解组织")
class OrgViewSet(RegisterViewSet):
    register = v.ORGS
    serializer_class = s.OrgSerializer


@_docs("人民调解员")
class MediatorViewSet(RegisterViewSet):
    register = v.MEDIATORS
    serializer_class = s.MediatorSerializer


@_docs("排查活动")
class CampaignViewSet(RegisterViewSet):
    register = v.SCREENINGS
    serializer_class = s.CampaignSerializer


@_docs("误工补贴标准")
class RateViewSet(RegisterViewSet):
    register = v.RATES
    serializer_class = s.RateSerializer


@_docs("研判例会")
class MeetingViewSet(RegisterViewSet):
    """Meetings: created with the disputes discussed (numbers), the warnings put on the agenda (ids) and the
    follow-ups; read with them."""

    register = v.MEETINGS
    serializer_class = s.MeetingSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("follow_ups", "disputes")

    def get_serializer_class(self):
        return s.MeetingCreateSerializer if self.action == "create" else s.MeetingSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        numbers = data.pop("disputes", [])
        alert_ids = data.pop("alerts", [])
        follow_ups = data.pop("follow_ups_input", [])
        found = {d.number: d for d in Dispute.objects.visible_to(request.user).filter(number__in=numbers).distinct()}
        unknown = [n for n in numbers if n not in found]
        if unknown:
            return Response({"detail": f"找不到纠纷 {'、'.join(unknown[:5])}，或不在您的管辖范围内。",
                             "errors": {"disputes": ["找不到纠纷或不在您的管辖范围内。"]}}, status=400)
        from pingan.alerts.models import Alert

        alerts = list(Alert.objects.visible_to(request.user).filter(pk__in=alert_ids))
        if len(alerts) != len(set(alert_ids)):
            return Response({"detail": "所选预警不存在或不在您的管辖范围内。",
                             "errors": {"alerts": ["所选预警不存在或不在您的管辖范围内。"]}}, status=400)
        meeting = meetings.meeting_create(actor=request.user, data=data,
                                          disputes=list(dict.fromkeys(found[n] for n in numbers)),
                                          alerts=alerts, follow_ups=follow_ups)
        return Response(s.MeetingSerializer(meeting, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)


# The register has no create service (a meeting is created with its agenda): POST is this view's own.
MeetingViewSet.http_method_names = [*MeetingViewSet.http_method_names, "post"]


def _sheet_reader(request):
    user = request.user
    if not user.may_see_data_kind("case") or user.role == "dept_handler":
        audit.denied(user=user, path=request.path)
        raise PermissionDenied("您的角色不能查看误工补贴发放表。")


@extend_schema_view(list=extend_schema(summary="误工补贴发放表列表"), retrieve=extend_schema(summary="误工补贴发放表（含明细）"))
class SheetViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = SubsidySheet.objects.select_related("jurisdiction")
    filterset_class = SheetFilter

    def get_queryset(self):
        return (super().get_queryset().visible_to(self.request.user).prefetch_related("lines__dispute")
                .order_by("-month", "jurisdiction__path"))

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.SheetDetailSerializer
        if self.action == "build":
            return s.SheetBuildSerializer
        return s.SheetSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _sheet_reader(request)

    @extend_schema(summary="制作或重新生成某月发放表", request=s.SheetBuildSerializer, responses=s.SheetDetailSerializer)
    @action(detail=False, methods=["post"])
    def build(self, request):
        serializer = s.SheetBuildSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        sheet = subsidy.sheet_build(actor=request.user, node=serializer.validated_data["node"],
                                    month=serializer.validated_data["month"])
        return Response(s.SheetDetailSerializer(sheet).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="审批（冻结）发放表", request=None, responses=s.SheetDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        sheet = self.get_object()
        sheet = subsidy.sheet_approve(actor=request.user, sheet=sheet)
        return Response(s.SheetDetailSerializer(sheet).data)
