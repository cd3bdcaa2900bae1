from rest_framework import serializers

from ..models import Alert
from ..services import HANDLE_STATUSES, NOTE_MAX


class AlertSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    rule_label = serializers.CharField(read_only=True)
    source_type = serializers.SerializerMethodField()
    handled_by = serializers.CharField(source="handled_by.username", read_only=True, default=None, allow_null=True)
    acknowledged_by = serializers.CharField(source="acknowledged_by.username", read_only=True, default=None,
                                            allow_null=True)

    class Meta:
        model = Alert
        fields = ["id", "rule", "rule_label", "module", "level", "level_display", "title", "reason", "jurisdiction",
                  "jurisdiction_name", "source_type", "source_id", "source_label", "status", "status_display",
                  "raised_at", "acknowledged_by", "acknowledged_at", "handled_by", "handled_at", "handled_note", "agenda_item"]
        read_only_fields = fields

    def get_source_type(self, alert) -> str:
        return f"{alert.source_type.app_label}.{alert.source_type.model}" if alert.source_type_id else ""


class AlertHandleSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, label) for s, label in HANDLE_STATUSES.items()],
                                     help_text="acknowledged 签收 / agenda 列入研判 / handled 已处置 / dismissed 排除（须填 note，"
                                               "写明排除理由）",
                                     error_messages={"invalid_choice": "处置方式无效：{input}。",
                                                     "required": "请选择处置方式。"})
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="",
                                 error_messages={"max_length": f"处置说明最多 {NOTE_MAX} 字。"})

    def validate(self, data):
        if data.get("status") == "dismissed" and not " ".join(str(data.get("note") or "").split()):
            raise serializers.ValidationError({"note": ["排除预警须填写理由。"]})
        return data
