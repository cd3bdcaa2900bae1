from rest_framework import serializers

from .. import choices as c
from .. import services
from ..models import AssignedList, Petition, Petitioner


class PetitionerSerializer(serializers.ModelSerializer):
    """A petitioner as the API shows it: masked numbers only (never the cipher or the hash)."""

    class Meta:
        model = Petitioner
        fields = ["id", "name", "id_masked", "phone_masked", "address", "is_representative", "person"]
        read_only_fields = fields


class PetitionerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    is_representative = serializers.BooleanField(required=False, default=False)
    person = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                      max_value=2 ** 31 - 1, help_text="实有人口记录的编号（可选）")


class PetitionSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    form_display = serializers.CharField(source="get_form_display", read_only=True)
    petition_type_display = serializers.CharField(source="get_petition_type_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    opinion_display = serializers.CharField(source="get_opinion_display", read_only=True)
    topic_name = serializers.CharField(source="topic_display", read_only=True)
    assigned_department_name = serializers.CharField(source="assigned_department.name", read_only=True,
                                                     default=None, allow_null=True)
    assigned_township_name = serializers.CharField(source="assigned_township.name", read_only=True, default=None,
                                                   allow_null=True)
    sanwei = serializers.ListField(source="sanwei_labels", child=serializers.CharField(), read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Petition
        fields = ["id", "number", "hall_code", "jurisdiction", "jurisdiction_name", "form", "form_display",
                  "registered_on", "petitioner_name", "petition_type", "petition_type_display", "topic", "topic_name",
                  "content", "head_count", "is_group", "source", "source_display", "assigning_body", "assigned_list",
                  "forward_due_on", "acknowledge_due_on", "acknowledged_on", "accepted_on", "assigned_department",
                  "assigned_department_name", "assigned_township", "assigned_township_name", "assigned_on",
                  "forwarded_to", "forwarded_on", "rejection_reason", "rejected_on", "handling_due_on",
                  "hearing_on", "opinion", "opinion_display", "opinion_reasons", "reply_on", "sanwei", "closed_on",
                  "review_requested_on", "review_due_on", "review_decision", "review_reply_on",
                  "recheck_requested_on", "recheck_due_on", "recheck_decision", "recheck_reply_on", "is_backlog",
                  "lead_leader", "backlog_outcome", "repeat_of", "heading_up", "state", "state_display", "due_at",
                  "is_overdue", "closed_at", "created_at", "updated_at"]
        read_only_fields = fields


class PetitionCreateSerializer(serializers.Serializer):
    """登记 input; the place, topic and assigned list are looked up inside the caller's scope only."""

    jurisdiction = serializers.CharField(max_length=15, help_text="问题属地：乡镇或村(社区)的统计用区划代码")
    form = serializers.ChoiceField(choices=c.Form.choices)
    registered_on = serializers.DateField(required=False)
    petition_type = serializers.ChoiceField(choices=c.PetitionType.choices, required=False, allow_blank=True,
                                            default="")
    topic = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                     max_value=2 ** 31 - 1)
    topic_text = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=8000)
    head_count = serializers.IntegerField(min_value=1, max_value=100000, required=False, default=1)
    source = serializers.ChoiceField(choices=c.Source.choices, required=False, default=c.Source.LOCAL)
    assigning_body = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    assigned_list = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                             max_value=2 ** 31 - 1)
    hall_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                      help_text="综治中心（一站式窗口）的一案一码")
    petitioners = PetitionerInputSerializer(many=True, help_text="信访人；集体访的代表不超过 5 人（条例第二十条）")

    def validate_jurisdiction(self, value):
        node = services.petition_places(self.context["request"].user).filter(code=value.strip()).first()
        if node is None:
            raise serializers.ValidationError("问题属地不存在或不在您的管辖范围内。")
        return node

    def validate_topic(self, value):
        if value is None:
            return None
        topic = services.topic_choices(self.context["request"].user).filter(pk=value).first()
        if topic is None:
            raise serializers.ValidationError("问题类别不存在。")
        return topic

    def validate_assigned_list(self, value):
        if value is None:
            return None
        found = AssignedList.objects.visible_to(self.context["request"].user).filter(pk=value).first()
        if found is None:
            raise serializers.ValidationError("交办清单不存在或不在您的管辖范围内。")
        return found


__all__ = ["PetitionSerializer", "PetitionCreateSerializer", "PetitionerSerializer", "PetitionerInputSerializer"]
