from rest_framework import serializers

from pingan.accounts.models import Department
from pingan.geo.models import Node

from ..choices import HazardType, RiskLevel
from ..models import Hazard


class HazardSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    hazard_type_display = serializers.CharField(source="get_hazard_type_display", read_only=True)
    risk_level_display = serializers.CharField(source="get_risk_level_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    responsible_department_name = serializers.CharField(source="responsible_department.name", read_only=True,
                                                        default=None, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Hazard
        fields = ["id", "number", "jurisdiction", "jurisdiction_name", "screened_on", "hazard_type",
                  "hazard_type_display", "risk_level", "risk_level_display", "description", "location", "latitude",
                  "longitude", "responsible_department", "responsible_department_name", "responsible_unit_name",
                  "responsible_person", "rectify_deadline", "measures", "rectified_on", "accepted_on",
                  "acceptance_note", "state", "state_display", "due_at", "is_overdue", "sent_back_count",
                  "closed_at", "created_at", "updated_at"]
        read_only_fields = fields


class HazardCreateSerializer(serializers.Serializer):
    """Registration input; places and departments are looked up inside the caller's scope only."""

    jurisdiction = serializers.CharField(max_length=15, help_text="村(社区)或网格的统计用区划代码")
    screened_on = serializers.DateField()
    hazard_type = serializers.ChoiceField(choices=HazardType.choices)
    risk_level = serializers.ChoiceField(choices=RiskLevel.choices)
    description = serializers.CharField(max_length=2000)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90, default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180, default=None)
    responsible_department = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    responsible_unit_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    responsible_person = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    responsible_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    rectify_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    measures = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate_jurisdiction(self, value):
        node = Node.objects.visible_to(self.context["request"].user).filter(code=value.strip()).first()
        if node is None:
            raise serializers.ValidationError("地点不存在或不在您的管辖范围内。")
        return node

    def validate_responsible_department(self, value):
        if value is None:
            return None
        dept = Department.objects.visible_to(self.context["request"].user).filter(pk=value).first()
        if dept is None:
            raise serializers.ValidationError("整治责任单位不存在或不在您的管辖范围内。")
        return dept
