"""Serializers of the generic case API: what the steps take (documentation of the request bodies; the same
forms as the pages check them) and what the log and attachments answer."""
from __future__ import annotations

from rest_framework import serializers

from ..models import TransitionLog, WorkflowAttachment


class ActSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=40, help_text="操作名，见 log 的 allowed_actions")
    data = serializers.DictField(required=False, help_text="该操作的字段（如 {\"assigned_department\": 3}）；"
                                                           "也可直接放在请求体顶层")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="说明或理由")
    photos = serializers.ListField(child=serializers.ImageField(), required=False, help_text="照片（multipart）")


class SuperviseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="督办意见")
    due_on = serializers.DateField(required=False, allow_null=True, help_text="反馈期限，默认若干个工作日后")


class SupervisionReplySerializer(serializers.Serializer):
    supervision = serializers.IntegerField(help_text="督办编号")
    reply = serializers.CharField(max_length=2000, help_text="反馈内容")


class ExtensionRequestSerializer(serializers.Serializer):
    new_deadline = serializers.DateField(help_text="申请延至（日期，当天结束时到期）")
    reason = serializers.CharField(max_length=2000, help_text="延期理由")


class ExtensionDecideSerializer(serializers.Serializer):
    extension = serializers.IntegerField(help_text="延期申请编号")
    decision = serializers.ChoiceField(choices=[("approve", "批准"), ("refuse", "不批准")])
    decision_note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                          help_text="审批意见，不批准时必填")


class SupervisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    due_on = serializers.DateField()


class ExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    new_deadline = serializers.DateField()


class TransitionLogSerializer(serializers.ModelSerializer):
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = TransitionLog
        fields = ["id", "kind", "action", "action_label", "from_state", "to_state", "actor_name", "note", "at",
                  "attachments"]

    def get_attachments(self, row) -> list[int]:
        return [a.pk for a in row.attachments.all()]


class AllowedActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    required = serializers.ListField(child=serializers.CharField())
    optional = serializers.ListField(child=serializers.CharField())
    note_required = serializers.BooleanField()


class CaseLogSerializer(serializers.Serializer):
    """What `{id}/log/` answers: one object (not a page): the case's number and state, the steps the caller
    may take now, and the whole log."""

    number = serializers.CharField()
    state = serializers.CharField()
    state_display = serializers.CharField()
    allowed_actions = AllowedActionSerializer(many=True)
    log = TransitionLogSerializer(many=True)


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = WorkflowAttachment
        fields = ["id", "log", "name", "content_type", "size", "uploaded_at", "url"]

    def get_url(self, item) -> str:
        from django.urls import reverse

        return reverse("cases:attachment", args=[item.pk])


class CaseAttachmentsSerializer(serializers.Serializer):
    number = serializers.CharField()
    attachments = AttachmentSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    """Every refusal of bad input: a summary and field → [messages], in Chinese."""

    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
