from rest_framework import serializers

from pingan.accounts.models import Department
from pingan.core.scoping import place_q

from .. import choices as c
from ..models import Dispute, DisputeParty, MediationSession, ScreeningCampaign
from ..services import dispute_places


class PartySerializer(serializers.ModelSerializer):
    """A party as the API shows it: numbers masked (the one mask of pingan.core.personal)."""

    side_display = serializers.CharField(source="get_side_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    id_number = serializers.CharField(source="id_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)

    class Meta:
        model = DisputeParty
        fields = ["id", "side", "side_display", "kind", "kind_display", "person", "name", "sex", "category",
                  "category_display", "id_number", "phone", "address", "representative"]
        read_only_fields = fields


class PartyInputSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=c.PartySide.choices, default=c.PartySide.APPLICANT)
    kind = serializers.ChoiceField(choices=c.PartyKind.choices, default=c.PartyKind.PERSON)
    person = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2 ** 62,
                                      help_text="实有人口中的人员编号（在管辖范围内）")
    name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    sex = serializers.ChoiceField(choices=[("", ""), ("1", "男"), ("2", "女")], required=False, default="")
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=30, default="",
                                      help_text="公民身份号码（加密保存，只显示遮蔽后的号码）")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    category = serializers.ChoiceField(choices=[("", "")] + c.PartyCategory.choices, required=False, default="")
    address = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    representative = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")


class SessionSerializer(serializers.ModelSerializer):
    mediator_name = serializers.CharField(source="mediator.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = MediationSession
        fields = ["id", "held_on", "place", "mediator", "mediator_name", "attendees", "record", "created_at"]
        read_only_fields = fields


class SessionInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    mediator = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2 ** 62,
                                        help_text="主持调解员（本纠纷的主办或协办调解员），默认主办调解员")
    attendees = serializers.CharField(max_length=400)
    record = serializers.CharField(max_length=20000)


class DisputeSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.CharField(source="jurisdiction.code", read_only=True)
    jurisdiction_name = serializers.CharField(source="jurisdiction.name", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    scale_display = serializers.CharField(source="get_scale_display", read_only=True)
    source_display = serializers.CharField(source="get_source_display", read_only=True)
    mediation_org_name = serializers.CharField(source="mediation_org.name", read_only=True, default=None,
                                               allow_null=True)
    mediator_name = serializers.CharField(source="mediator.name", read_only=True, default=None, allow_null=True)
    referrer = serializers.CharField(source="referrer_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Dispute
        fields = ["id", "number", "title", "jurisdiction", "jurisdiction_name", "occurred_on", "registered_on",
                  "location", "latitude", "longitude", "scale", "scale_display", "category", "category_display",
                  "people_count", "summary", "units_involved", "source", "source_display", "screening",
                  "referrer_department", "referrer", "referrer_number", "referred_on", "reported_back_on",
                  "violence_risk", "mediation_org", "mediation_org_name", "mediator", "mediator_name",
                  "assigned_department", "resolution_method", "agreement_form", "agreement_terms", "agreement_on",
                  "failure_reason", "other_routes", "closed_on", "followup_due_on", "followup_on",
                  "followup_result", "judicial_applied_on", "judicial_result", "grade", "state", "state_display",
                  "due_at", "is_overdue", "closed_at", "created_at", "updated_at"]
        read_only_fields = fields


class DisputeCreateSerializer(serializers.Serializer):
    """Registration. The place is a village, community or grid of the caller's scope (statistical code or
    id); `category` a GB/T 31000 5.56 code or a name of the local 人民调解 list. Parties: `parties` (JSON) or,
    from the phone page's form, party1_name/party1_phone (甲方) and party2_name/party2_phone (乙方)."""

    jurisdiction = serializers.CharField(max_length=20, help_text="村(社区)或网格的区划代码")
    title = serializers.CharField(max_length=100)
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="默认今天")
    registered_on = serializers.DateField(required=False, allow_null=True, default=None, help_text="默认今天")
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                        min_value=-90, max_value=90, default=None)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True,
                                         min_value=-180, max_value=180, default=None)
    scale = serializers.ChoiceField(choices=c.Scale.choices, default=c.Scale.INDIVIDUAL)
    category = serializers.CharField(max_length=20)
    people_count = serializers.IntegerField(min_value=1, max_value=100000, default=2)
    summary = serializers.CharField(max_length=4000)
    units_involved = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    source = serializers.ChoiceField(choices=c.Source.choices, default=c.Source.GRID)
    screening = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2 ** 62,
                                        default=None)
    referrer_department = serializers.IntegerField(required=False, allow_null=True, min_value=1,
                                                   max_value=2 ** 62, default=None)
    referrer_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    referrer_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    referred_on = serializers.DateField(required=False, allow_null=True, default=None)
    violence_risk = serializers.BooleanField(required=False, default=False)
    parties = PartyInputSerializer(many=True, required=False)
    party1_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    party1_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    party2_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    party2_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    idempotency_key = serializers.CharField(required=False, allow_blank=True, min_length=8, max_length=64,
                                            help_text="离线重发时不变；也可放在 Idempotency-Key 请求头")

    def _user(self):
        return self.context["request"].user

    def validate_jurisdiction(self, value):
        value = value.strip()
        qs = dispute_places(self._user())
        node = qs.filter(code=value).first() or (qs.filter(pk=int(value)).first()
                                                 if value.isdigit() and len(value) < 12 else None)
        if node is None:
            raise serializers.ValidationError("所选地点不存在或不在您的管辖范围内。")
        return node

    def validate_screening(self, value):
        if value is None:
            return None
        found = ScreeningCampaign.objects.filter(place_q(ScreeningCampaign, self._user())).filter(pk=value).first()
        if found is None:
            raise serializers.ValidationError("所选排查活动不存在或不在您的管辖范围内。")
        return found

    def validate_referrer_department(self, value):
        if value is None:
            return None
        dept = Department.objects.filter(place_q(Department, self._user())).filter(pk=value, is_active=True).first()
        if dept is None:
            raise serializers.ValidationError("所选移送单位不存在或不在您的管辖范围内。")
        return dept
