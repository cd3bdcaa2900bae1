"""API shapes: ID numbers and phones only masked; health details only for roles allowed health data."""
from rest_framework import serializers

from pingan.core import personal

from .. import choices as c
from ..models import Household, Person, RentalHouse, SpecialEnrollment, Visit


class PersonSerializer(serializers.ModelSerializer):
    grid = serializers.CharField(source="jurisdiction.code", read_only=True)
    id_number = serializers.CharField(source="id_masked", read_only=True, help_text="脱敏后的证件号码")
    phone = serializers.CharField(source="phone_masked", read_only=True, help_text="脱敏后的联系电话")
    person_type_display = serializers.CharField(source="get_person_type_display", read_only=True)
    sex_display = serializers.CharField(source="get_sex_display", read_only=True)
    # The year only: the birth date beside the masked number would give the number back.
    birth_year = serializers.IntegerField(read_only=True, allow_null=True, help_text="出生年份")

    class Meta:
        model = Person
        fields = ["id", "name", "sex", "sex_display", "birth_year", "ethnicity", "doc_type", "id_number", "phone",
                  "person_type", "person_type_display", "inflow_reason", "left_behind_type", "grid", "current_address",
                  "household", "relation", "rental_house", "registered_on", "deregistered_on"]


class HouseholdSerializer(serializers.ModelSerializer):
    grid = serializers.CharField(source="jurisdiction.code", read_only=True)

    class Meta:
        model = Household
        fields = ["id", "number", "household_type", "address", "head", "grid"]


class RentalHouseSerializer(serializers.ModelSerializer):
    grid = serializers.CharField(source="jurisdiction.code", read_only=True)
    owner_phone = serializers.CharField(source="owner_phone_masked", read_only=True)

    class Meta:
        model = RentalHouse
        fields = ["id", "address", "owner", "owner_name", "owner_phone", "use", "area", "rooms", "registered_on", "grid"]


class EnrollmentSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    id_number = serializers.CharField(source="person.id_masked", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    grid = serializers.CharField(source="jurisdiction.code", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = SpecialEnrollment
        fields = ["id", "person", "person_name", "id_number", "kind", "kind_display", "enrolled_on", "released_on",
                  "risk_level", "responsible_name", "last_visit_on", "next_visit_on", "overdue", "grid"]


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = ["id", "enrollment", "visited_on", "visitor_name", "form", "risk_before", "risk_after", "due_on",
                  "on_time"]
        read_only_fields = fields


class VisitCreateSerializer(serializers.Serializer):
    """Parsing only: the service validates dates, levels and the enrolment."""

    enrollment = serializers.IntegerField(error_messages={"invalid": "列管记录编号应为整数。", "required": "请提供列管记录编号。"})
    visited_on = serializers.DateField(error_messages={"invalid": "走访日期格式不正确，应为 YYYY-MM-DD。", "required": "请填写走访日期。"})
    form = serializers.ChoiceField(choices=c.VisitForm.choices,
                                   error_messages={"invalid_choice": "走访形式只能是 home（上门）、phone（电话）或 appointment（约见）。",
                                                   "required": "请选择走访形式。"})
    findings = serializers.CharField(max_length=2000, error_messages={"required": "请填写走访情况。", "blank": "请填写走访情况。"})
    risk_after = serializers.CharField(required=False, allow_blank=True, max_length=8)

    def validate_findings(self, value):
        return personal.clean_text(value)
