"""API shapes of the window. Numbers only masked; the PIN never leaves the slip page; session notes never
appear here (an appointment's notes are the counsellor's alone)."""
from __future__ import annotations

from rest_framework import serializers

from pingan.registers import RegisterSerializer

from .. import choices as c
from ..models import Counsellor, Matter


class MatterSerializer(serializers.ModelSerializer):
    visitor_name = serializers.CharField(source="visitor.name", read_only=True)
    visitor_phone = serializers.CharField(source="visitor.phone_masked", read_only=True, help_text="脱敏后的联系电话")
    hall = serializers.CharField(source="jurisdiction.code", read_only=True)
    channel_display = serializers.CharField(source="get_channel_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    route_display = serializers.CharField(source="get_route_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    case_type = serializers.SerializerMethodField(help_text="转成的案件类型，如 disputes.dispute")
    is_overdue = serializers.BooleanField(read_only=True, help_text="超过 1 个工作日仍未分流")

    class Meta:
        model = Matter
        fields = ["id", "code", "hall", "channel", "channel_display", "window", "visitor_name", "visitor_phone",
                  "head_count", "topic", "category", "category_display", "summary", "mediation_applicable", "route",
                  "route_display", "route_unit", "route_note", "non_mediation_reason", "case_type", "case_number",
                  "status", "status_display", "registered_at", "route_due_at", "routed_at", "is_overdue",
                  "followup_on", "satisfaction"]

    def get_case_type(self, obj) -> str:
        return f"{obj.case_type.app_label}.{obj.case_type.model}" if obj.case_type_id else ""


class MatterCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    visitor = serializers.IntegerField(required=False, min_value=1, max_value=2**62,
                                       help_text="再次来访：已登记来访人的 id")
    channel = serializers.ChoiceField(choices=c.Channel.choices, default=c.Channel.VISIT)
    window = serializers.CharField(max_length=30, required=False, allow_blank=True)
    head_count = serializers.IntegerField(min_value=1, max_value=9999, default=1)
    category = serializers.ChoiceField(choices=c.Category.choices)
    topic = serializers.CharField(max_length=100)
    summary = serializers.CharField(max_length=2000)


class MatterRouteSerializer(serializers.Serializer):
    route = serializers.ChoiceField(choices=c.Route.choices)
    place = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                  help_text="村(社区)或网格代码（调解、信访、部门办理）")
    other_party = serializers.CharField(max_length=100, required=False, allow_blank=True)
    event_category = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    counsellor = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    starts_at = serializers.DateTimeField(required=False)
    minutes = serializers.IntegerField(required=False, min_value=15, max_value=240)
    unit = serializers.CharField(max_length=100, required=False, allow_blank=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    non_mediation_reason = serializers.CharField(max_length=400, required=False, allow_blank=True)
    reroute_reason = serializers.CharField(max_length=400, required=False, allow_blank=True)


class LookupSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    secret = serializers.CharField(max_length=40, help_text="回执上的查询码，或预留手机号后四位")


class ProgressSerializer(serializers.Serializer):
    code = serializers.CharField()
    route = serializers.CharField()
    stage = serializers.CharField()
    number = serializers.CharField()
    done = serializers.BooleanField()
    result = serializers.CharField()


class CounsellorSerializer(RegisterSerializer):
    """心理咨询师名录: the counsellor's own fields only (nothing of their appointments). `jurisdiction` is the hall
    (the district centre or a township's centre; default the caller's); `user` the linked login account."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    hall_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True, default="")

    class Meta:
        model = Counsellor
        fields = ["id", "name", "organisation", "kind", "kind_display", "jurisdiction", "hall_name", "user",
                  "username", "is_active"]
        extra_kwargs = {"jurisdiction": {"required": False, "allow_null": False, "label": "所属中心"},
                        "user": {"validators": [], "required": False, "allow_null": True, "label": "登录账号"},
                        "name": {"label": "姓名", "error_messages": {"max_length": "姓名最多 {max_length} 字。",
                                                                       "null": "请填写姓名。"}},
                        "organisation": {"label": "所属机构", "error_messages": {
                            "max_length": "所属机构最多 {max_length} 字。", "null": "所属机构不能为 null，不填请留空。"}},
                        "kind": {"label": "入驻方式"}, "is_active": {"label": "在岗"}}
