from rest_framework import serializers

from pingan.geo.models import Node

from ..choices import ClueSource
from ..models import Campaign, Clue
from ..selectors import reporter_shown


class CampaignSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    lead_department_name = serializers.CharField(source="lead_department.name", read_only=True, default=None,
                                                 allow_null=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "kind", "kind_display", "jurisdiction", "jurisdiction_name", "start_on", "end_on",
                  "lead_department", "lead_department_name", "goals", "status", "status_display"]
        read_only_fields = fields


class ClueSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    campaign_name = serializers.CharField(source="campaign.name", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    handed_to_department_name = serializers.CharField(source="handed_to_department.name", read_only=True,
                                                      default=None, allow_null=True)
    reporter_name = serializers.SerializerMethodField(help_text="举报人姓名（无权查看个人信息的角色看到脱敏值）")
    reporter_phone = serializers.SerializerMethodField(help_text="举报人电话（同上）")
    is_overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Clue
        fields = ["id", "number", "campaign", "campaign_name", "received_on", "source", "source_display", "anonymous",
                  "reporter_name", "reporter_phone", "jurisdiction", "jurisdiction_name", "summary", "involved",
                  "verification_note", "handed_to_department", "handed_to_department_name", "handed_on", "result",
                  "unfounded_reason", "closed_on", "state", "state_display", "due_at", "is_overdue", "closed_at",
                  "created_at", "updated_at"]
        read_only_fields = fields

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_reporter_name(self, clue) -> str:
        return reporter_shown(clue, self._user())[0]

    def get_reporter_phone(self, clue) -> str:
        return reporter_shown(clue, self._user())[1]


class ClueCreateSerializer(serializers.Serializer):
    """受理 input; the campaign and the village are looked up inside the caller's scope only."""

    campaign = serializers.IntegerField(min_value=1)
    received_on = serializers.DateField()
    source = serializers.ChoiceField(choices=ClueSource.choices)
    jurisdiction = serializers.CharField(max_length=15, help_text="村(社区)的 12 位区划代码")
    summary = serializers.CharField(max_length=4000)
    involved = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    anonymous = serializers.BooleanField(required=False, default=False)
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")

    def validate_campaign(self, value):
        found = Campaign.objects.visible_to(self.context["request"].user).filter(pk=value).first()
        if found is None:
            raise serializers.ValidationError("专项行动不存在或不在您的管辖范围内。")
        return found

    def validate_jurisdiction(self, value):
        node = Node.objects.visible_to(self.context["request"].user).filter(code=value.strip()).first()
        if node is None:
            raise serializers.ValidationError("村(社区)不存在或不在您的管辖范围内。")
        return node
