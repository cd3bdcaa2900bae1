"""API shapes of part B: registers (parsing only; the services validate and write; phones masked), subsidy
sheets with their lines and totals, meetings with their follow-ups."""
from __future__ import annotations

from rest_framework import serializers

from pingan.geo.models import Node
from pingan.registers import RegisterSerializer

from ..models import (MediationOrg, Mediator, Meeting, MeetingFollowUp, ScreeningCampaign, SubsidyLine, SubsidyRate,
                      SubsidySheet)


class OrgSerializer(RegisterSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    place = serializers.CharField(source="jurisdiction.code", read_only=True)

    class Meta:
        model = MediationOrg
        fields = ["id", "name", "kind", "kind_display", "jurisdiction", "place", "department", "phone", "address",
                  "active"]


class MediatorSerializer(RegisterSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Mediator
        fields = ["id", "name", "sex", "org", "org_name", "jurisdiction", "user", "kind", "phone", "specialty",
                  "training", "certified_on", "active"]
        extra_kwargs = {"jurisdiction": {"required": False, "allow_null": True}}


class CampaignSerializer(RegisterSerializer):
    class Meta:
        model = ScreeningCampaign
        fields = ["id", "name", "jurisdiction", "start_on", "end_on", "description"]


class RateSerializer(RegisterSerializer):
    grade_display = serializers.CharField(source="get_grade_display", read_only=True)

    class Meta:
        model = SubsidyRate
        fields = ["id", "jurisdiction", "grade", "grade_display", "amount"]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingFollowUp
        fields = ["id", "task", "responsible", "due_on", "done_on", "result"]
        read_only_fields = ["id"]


class MeetingSerializer(RegisterSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    dispute_numbers = serializers.SlugRelatedField(source="disputes", slug_field="number", many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "jurisdiction", "kind", "kind_display", "held_on", "place", "chair", "attendees",
                  "decisions", "dispute_numbers", "follow_ups"]


class MeetingCreateSerializer(MeetingSerializer):
    disputes = serializers.ListField(child=serializers.CharField(max_length=40), required=False, max_length=200,
                                     help_text="研判的纠纷编号")
    alerts = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=200,
                                   help_text="列入研判的预警编号（矛盾纠纷模块、待处置）")
    follow_up_items = FollowUpSerializer(many=True, required=False, source="follow_ups_input")

    class Meta(MeetingSerializer.Meta):
        fields = MeetingSerializer.Meta.fields + ["disputes", "alerts", "follow_up_items"]


class LineSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="dispute.number", read_only=True)
    mediator_name = serializers.CharField(source="mediator.name", read_only=True, default="")
    org_name = serializers.CharField(source="org.name", read_only=True, default="")
    closed_on = serializers.DateField(source="dispute.closed_on", read_only=True)

    class Meta:
        model = SubsidyLine
        fields = ["id", "number", "dispute", "mediator", "mediator_name", "org", "org_name", "closed_on", "grade",
                  "amount"]


class SheetSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="jurisdiction.code", read_only=True)
    place_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    case_numbers = serializers.SerializerMethodField(help_text="发放表上各案件的编号")

    class Meta:
        model = SubsidySheet
        fields = ["id", "month", "jurisdiction", "place", "place_name", "status", "status_display", "total",
                  "case_numbers", "created_by", "approved_by", "approved_at"]
        read_only_fields = fields


    def get_case_numbers(self, sheet) -> list[str]:
        return [line.dispute.number for line in sheet.lines.all()]


class SheetDetailSerializer(SheetSerializer):
    lines = serializers.SerializerMethodField()

    class Meta(SheetSerializer.Meta):
        fields = SheetSerializer.Meta.fields + ["lines"]
        read_only_fields = fields

    def get_lines(self, sheet) -> list[dict]:
        from ..subsidy import sheet_lines

        return LineSerializer(sheet_lines(sheet), many=True).data


class SheetBuildSerializer(serializers.Serializer):
    node = serializers.PrimaryKeyRelatedField(queryset=Node.objects.all(), help_text="乡镇或区县的编号",
                                              error_messages={"does_not_exist": "所选项不存在或不在您的管辖范围内。",
                                                              "incorrect_type": "编号应为整数。",
                                                              "required": "请选择乡镇或区县。"})
    month = serializers.CharField(max_length=10, help_text="月份，YYYY-MM", error_messages={"required": "请填写月份。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["node"].queryset = Node.objects.visible_to(request.user)
