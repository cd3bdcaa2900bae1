"""Forms of part B's pages (registers, subsidy sheets, 例会): they parse input only; the services validate
and write. Related records are limited to what the user may see (another township's id: “不存在或不在您的
管辖范围内”)."""
from __future__ import annotations

from django import forms

from pingan.accounts.choices import Role
from pingan.accounts.models import User
from pingan.geo.choices import Level
from pingan.geo.models import Node
from pingan.registers import RegisterForm

from . import choices as c
from .models import MediationOrg, Mediator, Meeting, ScreeningCampaign, SubsidyRate

OUT_OF_SCOPE = "所选项不存在或不在您的管辖范围内。"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parent = obj.parent.name if obj.parent_id and obj.level not in (Level.TOWNSHIP, Level.COUNTY) else ""
        return f"{parent} {obj.name}".strip()


def places(actor, levels) -> "forms.ModelChoiceField":
    qs = Node.objects.visible_to(actor).filter(level__in=levels).select_related("parent").order_by("path")
    return PlaceChoiceField(queryset=qs, label="所在地区", error_messages={
        "required": "请选择所在地区。", "invalid_choice": OUT_OF_SCOPE})


def _place_field(form: RegisterForm, levels, label: str = "所在地区", required: bool = True) -> None:
    form.fields["jurisdiction"] = places(form.actor, levels)
    form.fields["jurisdiction"].label = label
    form.fields["jurisdiction"].required = required
    if form.instance.pk:
        form.initial["jurisdiction"] = form.instance.jurisdiction_id


ORG_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.COMMUNITY)


class OrgForm(RegisterForm):
    class Meta:
        model = MediationOrg
        fields = ["name", "kind", "jurisdiction", "department", "phone", "address", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _place_field(self, ORG_LEVELS)
        self.fields["department"].queryset = self.fields["department"].queryset.order_by("name")


class MediatorForm(RegisterForm):
    class Meta:
        model = Mediator
        fields = ["name", "sex", "org", "jurisdiction", "user", "kind", "phone", "specialty", "training",
                  "certified_on", "active"]
        widgets = {"training": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = MediationOrg.objects.visible_to(self.actor).filter(active=True) \
            .order_by("jurisdiction__path", "name")
        _place_field(self, ORG_LEVELS, label="所在地区（空白取调解组织所在地）", required=False)
        users = User.objects.filter(role=Role.MEDIATOR, is_active=True)
        scope = getattr(self.actor, "scope_path", "")
        self.fields["user"].queryset = users.filter(scope__path__startswith=scope).order_by("username") if scope \
            else users.none()
        self.fields["user"].error_messages["invalid_choice"] = OUT_OF_SCOPE
        self.fields["user"].label = "系统账号（调解员角色）"


class CampaignForm(RegisterForm):
    class Meta:
        model = ScreeningCampaign
        fields = ["name", "jurisdiction", "start_on", "end_on", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _place_field(self, ORG_LEVELS, label="排查范围")


class RateForm(RegisterForm):
    class Meta:
        model = SubsidyRate
        fields = ["jurisdiction", "grade", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _place_field(self, (Level.COUNTY, Level.TOWNSHIP), label="适用地区（区县或乡镇）")
        self.fields["amount"].error_messages.update({"max_digits": "补贴金额太大。", "max_decimal_places": "金额最多两位小数。",
                                                     "max_whole_digits": "补贴金额太大。"})


class MeetingEditForm(RegisterForm):
    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "place", "chair", "attendees", "decisions"]
        widgets = {"attendees": forms.Textarea(attrs={"rows": 2}), "decisions": forms.Textarea(attrs={"rows": 5})}


class MeetingForm(MeetingEditForm):
    """The new-meeting form: the place, the meeting, the agenda chosen (warnings and disputes) and up to five
    follow-ups (task, responsible, due)."""

    class Meta(MeetingEditForm.Meta):
        fields = ["jurisdiction", "kind", "held_on", "place", "chair", "attendees", "decisions"]

    FOLLOW_UPS = 5

    def __init__(self, *args, agenda=None, **kwargs):
        super().__init__(*args, **kwargs)
        _place_field(self, ORG_LEVELS, label="召开会议的地区")
        agenda = agenda or {"alerts": [], "overdue": []}
        self.fields["alerts"] = forms.MultipleChoiceField(
            required=False, label="列入研判的预警", widget=forms.CheckboxSelectMultiple,
            choices=[(str(a.pk), f"{a.get_level_display()}｜{a.title}") for a in agenda["alerts"]],
            error_messages={"invalid_choice": OUT_OF_SCOPE})
        self.fields["disputes"] = forms.CharField(
            required=False, label="研判的纠纷（编号，以逗号或空格分隔）", max_length=2000,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="议程中的超期纠纷和预警所指纠纷已预填；也可填写其他纠纷编号。")
        for i in range(self.FOLLOW_UPS):
            self.fields[f"task_{i}"] = forms.CharField(required=False, max_length=400, label=f"督办事项 {i + 1}")
            self.fields[f"responsible_{i}"] = forms.CharField(required=False, max_length=100, label="责任单位或责任人")
            self.fields[f"due_{i}"] = forms.DateField(required=False, label="完成期限", widget=DATE,
                                                      error_messages={"invalid": "完成期限格式不正确，应为 YYYY-MM-DD。"})

    def follow_ups(self) -> list[dict]:
        return [{"task": self.cleaned_data.get(f"task_{i}") or "",
                 "responsible": self.cleaned_data.get(f"responsible_{i}") or "",
                 "due_on": self.cleaned_data.get(f"due_{i}")} for i in range(self.FOLLOW_UPS)]

    def dispute_numbers(self) -> list[str]:
        import re

        text = self.cleaned_data.get("disputes") or ""
        return [n for n in re.split(r"[\s,，、;；]+", text) if n]


class FollowUpDoneForm(forms.Form):
    done_on = forms.DateField(label="完成日期", widget=DATE,
                              error_messages={"required": "请填写完成日期。", "invalid": "完成日期格式不正确，应为 YYYY-MM-DD。"})
    result = forms.CharField(label="落实情况", max_length=400, required=False)


class SheetBuildForm(forms.Form):
    node = forms.ModelChoiceField(queryset=Node.objects.none(), label="乡镇或区县",
                                  error_messages={"required": "请选择乡镇或区县。", "invalid_choice": OUT_OF_SCOPE})
    month = forms.CharField(label="月份（YYYY-MM）", max_length=10,
                            error_messages={"required": "请填写月份。"},
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "2017-03"}))

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = Node.objects.visible_to(actor).filter(
            level__in=(Level.COUNTY, Level.TOWNSHIP)).order_by("path")


GRADE_CHOICES = c.Grade.choices
