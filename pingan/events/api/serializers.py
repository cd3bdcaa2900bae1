import copy

from rest_framework import serializers

from ..choices import Urgency
from ..models import Event


class EventSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    assigned_department = serializers.CharField(source="assigned_department.name", read_only=True, default=None,
                                                allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Event
        fields = ["id", "number", "category", "category_name", "jurisdiction", "jurisdiction_name", "description",
                  "address", "latitude", "longitude", "urgency", "source", "state", "state_display", "reported_at",
                  "assigned_department", "due_at", "is_overdue", "closed_at", "sent_back_count"]

    def get_fields(self):
        """ModelSerializer introspects the model for every instance (over half of serialising one event);
        the fields never change, so they are built once per process and each instance gets its own copy."""
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)


class EventReportSerializer(serializers.Serializer):
    """What a report posts (documentation of the request body: the view checks it through the service)."""

    category = serializers.IntegerField(help_text="事件小类的编号")
    jurisdiction = serializers.IntegerField(required=False, help_text="网格或村(社区)的编号；默认上报人自己的网格")
    description = serializers.CharField(max_length=4000)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    photos = serializers.ListField(child=serializers.ImageField(), required=False, max_length=6)
    idempotency_key = serializers.CharField(required=False, min_length=8, max_length=64,
                                            help_text="离线重发时不变；也可放在 Idempotency-Key 请求头")
