import copy

from rest_framework import serializers

from ..models import Event


class EventSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    assigned_department = serializers.CharField(source="assigned_department.name", read_only=True, default=None)
    is_overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Event
        fields = ["id", "number", "category", "category_name", "jurisdiction", "jurisdiction_name", "description",
                  "address", "latitude", "longitude", "urgency", "source", "state", "state_display", "reported_at",
                  "assigned_department", "deadline", "due_at", "is_overdue", "closed_at", "sent_back_count"]

    def get_fields(self):
        """ModelSerializer introspects the model for every instance (over half of serialising one event);
        the fields never change, so they are built once per process and each instance gets its own copy."""
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)
