"""Forms of the campaign pages: parse input only (the services validate the rules)."""
from __future__ import annotations

from django import forms

from pingan.cases.forms import HalfWidthMixin
from pingan.registers import RegisterForm

from .choices import ClueSource
from .models import Campaign

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class CampaignForm(RegisterForm):
    class Meta:
        model = Campaign
        fields = ["name", "kind", "jurisdiction", "start_on", "end_on", "lead_department", "goals", "status"]
        labels = {"jurisdiction": "行动范围"}
        widgets = {"goals": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        place = self.fields["jurisdiction"]
        place.queryset = place.queryset.filter(level__in=("county", "township")).order_by("path")
        place.label_from_instance = lambda n: "全区" if n.level == "county" else n.name
        self.fields["lead_department"].queryset = self.fields["lead_department"].queryset.filter(is_active=True)


class ClueForm(HalfWidthMixin, forms.Form):
    dates = ("received_on",)

    campaign = forms.ModelChoiceField(queryset=None, label="专项行动",
                                      error_messages={"required": "请选择专项行动。",
                                                      "invalid_choice": "所选专项行动不存在或不在您的管辖范围内。"})
    received_on = forms.DateField(label="受理日期", widget=DATE_WIDGET,
                                  error_messages={"required": "请填写受理日期。",
                                                  "invalid": "受理日期格式不正确，应为 YYYY-MM-DD。"})
    source = forms.ChoiceField(label="线索来源", choices=[("", "请选择")] + ClueSource.choices,
                               error_messages={"required": "请选择线索来源。", "invalid_choice": "线索来源不正确。"})
    jurisdiction = forms.ModelChoiceField(queryset=None, label="涉及村(社区)",
                                          error_messages={"required": "请选择线索涉及的村(社区)。",
                                                          "invalid_choice": "所选村(社区)不存在或不在您的管辖范围内。"})
    summary = forms.CharField(label="线索内容", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                              error_messages={"required": "请填写线索内容。"})
    involved = forms.CharField(label="涉及人员", max_length=1000, required=False,
                               help_text="姓名、绰号或单位，多人用、分隔")
    anonymous = forms.BooleanField(label="匿名举报", required=False)
    reporter_name = forms.CharField(label="举报人姓名", max_length=50, required=False)
    reporter_phone = forms.CharField(label="举报人电话", max_length=20, required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def __init__(self, *args, campaigns, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["jurisdiction"].queryset = places
        self.fields["jurisdiction"].label_from_instance = (
            lambda n: f"{n.parent.name if n.parent_id else ''} / {n.name}")


class TagForm(forms.Form):
    number = forms.CharField(label="事项编号", max_length=40,
                             error_messages={"required": "请填写要加入的事项编号（如 SJ…、YH…）。",
                                             "max_length": "事项编号太长了。"})
