from rest_framework import serializers

from pingan.geo.models import Node

from ..models import CrimeCategory, CrimeCount


class CrimeCountSerializer(serializers.ModelSerializer):
    month = serializers.DateField(format="%Y-%m", read_only=True)
    township = serializers.CharField(source="jurisdiction.code", read_only=True)
    township_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    category = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    serious = serializers.BooleanField(source="category.serious", read_only=True)

    class Meta:
        model = CrimeCount
        fields = ["id", "month", "township", "township_name", "category", "category_name", "serious", "count",
                  "source", "updated_at"]
        read_only_fields = fields


class CrimeCountInputSerializer(serializers.Serializer):
    """Set one count (created, or updated when month + township + category exist). The service validates the
    month (not in the future), the township (in the caller's scope) and the count (integer ≥ 0)."""

    month = serializers.CharField(max_length=20, help_text="YYYY-MM")
    township = serializers.CharField(max_length=15, help_text="乡镇（街道）的 9 位区划代码")
    category = serializers.CharField(max_length=40, help_text="案件类别代码或名称，如 theft 或 盗窃")
    count = serializers.JSONField(help_text="立案数，不小于 0 的整数")
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate_township(self, value):
        node = Node.objects.visible_to(self.context["request"].user).filter(code=value.strip(), level="township").first()
        if node is None:
            raise serializers.ValidationError("乡镇不存在或不在您的管辖范围内。")
        return node

    def validate_category(self, value):
        value = value.strip()
        found = CrimeCategory.objects.filter(is_active=True, code=value).first() or \
            CrimeCategory.objects.filter(is_active=True, name=value).first()
        if found is None:
            names = "、".join(CrimeCategory.objects.filter(is_active=True).values_list("name", flat=True))
            raise serializers.ValidationError(f"案件类别不在类别表中，应为：{names}")
        return found


class SummaryLineSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    serious = serializers.BooleanField()
    current = serializers.IntegerField()
    year_ago = serializers.IntegerField()
    yoy = serializers.FloatField(allow_null=True, help_text="同比：(本期-去年同期)/去年同期，4 位小数；去年同期为 0 时为 null")
    prior = serializers.IntegerField()
    mom = serializers.FloatField(allow_null=True, help_text="环比：与紧接本期之前、月数相同的上期相比")


class SummarySerializer(serializers.Serializer):
    period = serializers.DictField()
    jurisdiction = serializers.DictField()
    categories = SummaryLineSerializer(many=True)
    serious = SummaryLineSerializer()
    total = SummaryLineSerializer()
    townships = serializers.ListField(child=serializers.DictField())
