from rest_framework import serializers

from ..models import Department, User


class DepartmentSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)

    class Meta:
        model = Department
        fields = ["id", "name", "category", "jurisdiction", "phone", "is_active"]


class MeSerializer(serializers.ModelSerializer):
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    scope = serializers.CharField(source="scope.code", read_only=True, default=None, allow_null=True)
    scope_name = serializers.CharField(source="scope.name", read_only=True, default=None, allow_null=True)
    department = DepartmentSerializer(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "role_display", "scope", "scope_name", "department", "post"]
