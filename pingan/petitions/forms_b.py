"""Forms of the part-2 pages: a 交办清单, its report back, a reception, petitions received by number."""
from __future__ import annotations

from django import forms

from . import choices as c

DATE = forms.DateInput(attrs={"type": "date"})


class AssignedListForm(forms.Form):
    title = forms.CharField(label="清单名称", max_length=100)
    assigning_body = forms.CharField(label="交办单位", max_length=100)
    level = forms.ChoiceField(label="交办层级", choices=c.ListLevel.choices)
    received_on = forms.DateField(label="接收日期", widget=DATE)
    deadline = forms.DateField(label="办理期限", widget=DATE)
    report_requirement = forms.CharField(label="报告要求", required=False, max_length=2000, widget=forms.Textarea)


class AttachForm(forms.Form):
    numbers = forms.CharField(label="信访事项编号", max_length=4000, help_text="多个编号用空格、逗号或顿号分隔")


class ReportForm(forms.Form):
    report_text = forms.CharField(label="报告内容", max_length=7800, widget=forms.Textarea)
    reason = forms.CharField(label="未办结原因", required=False, max_length=2000, widget=forms.Textarea,
                             help_text="清单中还有未办结事项时必填")


class ReceptionForm(forms.Form):
    leader_name = forms.CharField(label="接访领导", max_length=50)
    held_on = forms.DateField(label="接访日期", widget=DATE)
    place = forms.CharField(label="接访地点", max_length=200)
    topic = forms.CharField(label="接访主题", max_length=200, required=False)
    kind = forms.ChoiceField(label="接访方式", choices=c.ReceptionKind.choices)
    outcome = forms.CharField(label="接访结果", max_length=4000, required=False, widget=forms.Textarea)


class RepeatForm(forms.Form):
    original = forms.CharField(label="关联的原件编号", max_length=40, required=False,
                               help_text="是重复信访时填写原件编号；不是重复则留空")
