"""API shapes of the security registers: parsing only (the services validate and write); phones masked."""
from rest_framework import serializers

from pingan.registers import RegisterSerializer

from ..models import Attendance, Camera, Patrol, SecurityOfficer, Team, TeamMember, TrainingSession


class TeamSerializer(RegisterSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    place = serializers.CharField(source="jurisdiction.code", read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "kind_display", "jurisdiction", "place", "leader_name", "phone", "area",
                  "founded_on"]


class TeamMemberSerializer(RegisterSerializer):
    class Meta:
        model = TeamMember
        fields = ["id", "team", "person", "name", "role", "jurisdiction", "phone", "joined_on", "left_on"]
        # The service asks for the date (the model's default of today is for the form's initial value only).
        extra_kwargs = {"name": {"required": False, "allow_blank": True}, "jurisdiction": {"required": False},
                        "joined_on": {"required": True}}


class OfficerSerializer(RegisterSerializer):
    class Meta:
        model = SecurityOfficer
        fields = ["id", "name", "person", "jurisdiction", "phone", "since", "until"]
        extra_kwargs = {"name": {"required": False, "allow_blank": True}, "since": {"required": True}}


class PatrolSerializer(RegisterSerializer):
    event = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Patrol
        fields = ["id", "team", "patrolled_on", "area", "findings", "event"]


class CameraSerializer(RegisterSerializer):
    class Meta:
        model = Camera
        fields = ["id", "code", "name", "jurisdiction", "camera_type", "hd", "owner", "networked", "watched_24h",
                  "status", "stream_id", "latitude", "longitude", "installed_on"]
        extra_kwargs = {"code": {"validators": []}}  # uniqueness is the service's, with its Chinese message


class SessionSerializer(RegisterSerializer):
    class Meta:
        model = TrainingSession
        fields = ["id", "held_on", "topic", "trainer", "audience", "jurisdiction", "hours"]


class AttendanceSerializer(RegisterSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "session", "user", "person", "name", "unit"]
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}
        validators = []  # once per session: the service's rule, with its Chinese message
