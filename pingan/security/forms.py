"""Forms parse input only (pingan.registers.RegisterForm): related records limited to what the user may see;
the services validate and write."""
from __future__ import annotations

from django import forms

from pingan.events.choices import Urgency
from pingan.events.models import Category
from pingan.geo.choices import Level
from pingan.geo.models import Node
from pingan.geo.widgets import MapPointWidget
from pingan.people.models import Person
from pingan.registers import RegisterForm

from .models import Attendance, Camera, Patrol, SecurityOfficer, Team, TeamMember, TrainingSession

VILLAGE_LEVELS = (Level.VILLAGE, Level.COMMUNITY)


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parent = obj.parent.name if obj.parent_id and obj.level != Level.TOWNSHIP else ""
        return f"{parent} {obj.name}".strip()


def _places(form: RegisterForm, levels, field: str = "jurisdiction", label: str = "所在地") -> None:
    qs = Node.objects.visible_to(form.actor).filter(level__in=levels).select_related("parent").order_by("path")
    form.fields[field] = PlaceChoiceField(queryset=qs, label=label, required=True,
                                          error_messages={"required": f"请选择{label}。",
                                                          "invalid_choice": "所选地点不存在或不在您的管辖范围内。"})
    if form.instance.pk:
        form.initial[field] = getattr(form.instance, f"{field}_id")


def _person_field(form: RegisterForm) -> None:
    """A person of the people register by number (the register holds hundreds of thousands: no select)."""
    form.fields["person"] = forms.ModelChoiceField(
        queryset=Person.objects.visible_to(form.actor), required=False, widget=forms.NumberInput,
        label="实有人口编号", help_text="本辖区实有人口的记录编号；不是登记在册的居民可留空，直接填写姓名",
        error_messages={"invalid_choice": "人员不存在或不在您的管辖范围内。"})


class TeamForm(RegisterForm):
    class Meta:
        model = Team
        fields = ["name", "kind", "jurisdiction", "leader_name", "phone", "area", "founded_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _places(self, (Level.COUNTY, Level.TOWNSHIP, *VILLAGE_LEVELS), label="队伍所在地")


class TeamMemberForm(RegisterForm):
    class Meta:
        model = TeamMember
        fields = ["team", "person", "name", "role", "jurisdiction", "phone", "joined_on", "left_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.visible_to(self.actor).order_by("jurisdiction__path", "name")
        _person_field(self)
        _places(self, (*VILLAGE_LEVELS, Level.GRID), label="所在村(社区)或网格")
        self.fields["jurisdiction"].required = False
        self.fields["jurisdiction"].help_text = "填写实有人口编号时按其所在网格，可留空"
        self.fields["name"].required = False
        self.fields["name"].help_text = "填写实有人口编号时可留空"


class OfficerForm(RegisterForm):
    class Meta:
        model = SecurityOfficer
        fields = ["name", "person", "jurisdiction", "phone", "since", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _person_field(self)
        _places(self, VILLAGE_LEVELS, label="所在村(社区)")
        self.fields["name"].required = False
        self.fields["name"].help_text = "填写实有人口编号时可留空"


class PatrolForm(RegisterForm):
    class Meta:
        model = Patrol
        fields = ["team", "patrolled_on", "area", "findings"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.visible_to(self.actor).order_by("jurisdiction__path", "name")


class CameraForm(RegisterForm):
    class Meta:
        model = Camera
        fields = ["code", "name", "jurisdiction", "camera_type", "hd", "owner", "networked", "watched_24h", "status",
                  "stream_id", "latitude", "longitude", "installed_on"]
        widgets = {"longitude": MapPointWidget()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _places(self, VILLAGE_LEVELS, label="所属村(社区)")
        self.fields["latitude"].help_text = "可留空；填写时须在本区范围内"


class SessionForm(RegisterForm):
    class Meta:
        model = TrainingSession
        fields = ["held_on", "topic", "trainer", "audience", "jurisdiction", "hours"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _places(self, (Level.COUNTY, Level.TOWNSHIP, *VILLAGE_LEVELS), label="举办单位")


class AttendanceForm(RegisterForm):
    class Meta:
        model = Attendance
        fields = ["session", "user", "person", "name", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = TrainingSession.objects.visible_to(self.actor).order_by("-held_on")
        self.fields["user"].queryset = self.fields["user"].queryset.filter(is_active=True).order_by("username")
        self.fields["user"].label = "账号（平台用户）"
        self.fields["user"].required = False
        _person_field(self)
        self.fields["name"].required = False
        self.fields["name"].help_text = "选了账号或填写实有人口编号时可留空"


class PatrolEventForm(forms.Form):
    """The event registration prefilled from a patrol's finding (转为网格事件)."""

    category = forms.ModelChoiceField(label="事件类别", queryset=Category.objects.none(),
                                      error_messages={"required": "请选择事件类别。", "invalid_choice": "所选事件类别无效。"})
    jurisdiction = PlaceChoiceField(label="事件所在网格或村(社区)", queryset=Node.objects.none(),
                                    error_messages={"required": "请选择事件所在地。",
                                                    "invalid_choice": "所选地点不存在或不在巡防队伍的辖区内。"})
    description = forms.CharField(label="事件描述", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                                  error_messages={"required": "请填写事件描述。"})
    address = forms.CharField(label="具体位置", required=False, max_length=200)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL,
                                error_messages={"invalid_choice": "紧急程度无效。"})

    def __init__(self, *args, user=None, patrol=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.visible_to(user).active().leaves() \
            .select_related("parent").order_by("parent__order", "parent__code", "order", "code")
        self.fields["jurisdiction"].queryset = Node.objects.visible_to(user).filter(
            path__startswith=patrol.jurisdiction.path, level__in=(Level.GRID, *VILLAGE_LEVELS)) \
            .select_related("parent").order_by("path")
