from rest_framework import serializers

from ..models import LiaisonPoint, Node


class NodeSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None, allow_null=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Node
        fields = ["code", "name", "level", "level_display", "parent_code", "path", "depth", "is_pilot",
                  "latitude", "longitude"]


class LiaisonPointSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)

    class Meta:
        model = LiaisonPoint
        fields = ["id", "name", "jurisdiction", "address", "contact_name", "contact_phone", "latitude", "longitude"]
