"""Forms of the hazard pages: parse input only (the services validate the business rules)."""
from __future__ import annotations

import unicodedata

from django import forms

from pingan.cases.files import MAX_FILES

from .choices import HazardType, RiskLevel


def _half_width(value):
    """Full-width digits, letters and punctuation typed on a Chinese keyboard read as half-width."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


class HalfWidthMixin:
    """Normalise date and number fields (２０２４－０３－０５ → 2024-03-05) before Django parses them."""

    normalised = ()  # number fields
    dates = ()  # date fields: also 2024/3/5 and 2024.3.5

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            data = self.data.copy()
            for name in (*self.normalised, *self.dates):
                if name in data and isinstance(data[name], str):
                    value = _half_width(data[name]).strip()
                    if name in self.dates:
                        value = value.replace("/", "-").replace(".", "-")
                    data[name] = value
            self.data = data


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", **(attrs or {})})


class PhotosField(forms.FileField):
    widget = MultipleImageInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "现场照片")
        kwargs.setdefault("help_text", f"可选，最多 {MAX_FILES} 张，JPEG/PNG/GIF/WebP，每张不超过 10 MB。")
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [f for f in files if f]

    def bound_data(self, data, initial):
        return initial


DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class HazardForm(HalfWidthMixin, forms.Form):
    normalised = ("latitude", "longitude")
    dates = ("screened_on", "rectify_deadline")

    jurisdiction = forms.ModelChoiceField(queryset=None, label="所在村(社区)/网格",
                                          error_messages={"invalid_choice": "所选地点不存在或不在您的管辖范围内。",
                                                          "required": "请选择隐患所在的村(社区)或网格。"})
    screened_on = forms.DateField(label="排查日期", widget=DATE_WIDGET,
                                  error_messages={"invalid": "排查日期格式不正确，应为 YYYY-MM-DD。",
                                                  "required": "请填写排查日期。"})
    hazard_type = forms.ChoiceField(label="隐患类型", choices=[("", "请选择")] + HazardType.choices,
                                    error_messages={"invalid_choice": "隐患类型不正确。", "required": "请选择隐患类型。"})
    risk_level = forms.ChoiceField(label="风险等级", choices=[("", "请选择")] + RiskLevel.choices,
                                   error_messages={"invalid_choice": "风险等级不正确。", "required": "请选择风险等级。"})
    description = forms.CharField(label="隐患描述", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                                  error_messages={"required": "请填写隐患描述。"})
    location = forms.CharField(label="具体位置", max_length=200, required=False)
    latitude = forms.DecimalField(label="纬度", required=False, max_digits=9, decimal_places=6, min_value=-90,
                                  max_value=90, error_messages={"invalid": "纬度应为数字。"})
    longitude = forms.DecimalField(label="经度", required=False, max_digits=9, decimal_places=6, min_value=-180,
                                   max_value=180, error_messages={"invalid": "经度应为数字。"})
    responsible_department = forms.ModelChoiceField(queryset=None, label="整治责任单位", required=False,
                                                    error_messages={"invalid_choice": "所选整治责任单位不存在或不在您的管辖范围内。"})
    responsible_unit_name = forms.CharField(label="责任单位名称（未在单位名录中时填写）", max_length=100, required=False)
    responsible_person = forms.CharField(label="整治责任人", max_length=50, required=False)
    responsible_phone = forms.CharField(label="责任人电话", max_length=20, required=False)
    rectify_deadline = forms.DateField(label="整治期限", required=False, widget=DATE_WIDGET,
                                       help_text="留空则按风险等级自动计算（高 10、中 20、低 30 个工作日）。",
                                       error_messages={"invalid": "整治期限格式不正确，应为 YYYY-MM-DD。"})
    measures = forms.CharField(label="整治措施", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)
    photos = PhotosField()

    def __init__(self, *args, places, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = places
        self.fields["jurisdiction"].label_from_instance = (
            lambda n: f"{n.parent.name if n.parent_id else ''} / {n.name}")
        self.fields["responsible_department"].queryset = departments


class TransitionForm(HalfWidthMixin, forms.Form):
    """The fields of any hazard action; the engine says which are required for the chosen one."""

    dates = ("rectified_on",)

    action = forms.CharField(max_length=40, error_messages={"required": "请选择要执行的操作。"})
    rectified_on = forms.DateField(label="整治完成日期", required=False, widget=DATE_WIDGET,
                                   error_messages={"invalid": "整治完成日期格式不正确，应为 YYYY-MM-DD。"})
    measures = forms.CharField(label="整治措施", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    acceptance_note = forms.CharField(label="验收意见", required=False, max_length=2000,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    photos = PhotosField()


class SuperviseForm(HalfWidthMixin, forms.Form):
    dates = ("due_on",)

    note = forms.CharField(label="督办意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "请填写督办意见。"})
    due_on = forms.DateField(label="反馈期限", required=False, widget=DATE_WIDGET,
                             help_text="留空则为 3 个工作日后。",
                             error_messages={"invalid": "反馈期限格式不正确，应为 YYYY-MM-DD。"})


class SupervisionReplyForm(forms.Form):
    supervision = forms.IntegerField(min_value=1, error_messages={"required": "缺少督办编号。",
                                                                   "invalid": "督办编号不正确。"})
    reply = forms.CharField(label="反馈内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                            error_messages={"required": "请填写反馈内容。"})


class ExtensionRequestForm(HalfWidthMixin, forms.Form):
    dates = ("new_deadline",)

    new_deadline = forms.DateField(label="申请延至", widget=DATE_WIDGET,
                                   error_messages={"required": "请填写延期日期。",
                                                   "invalid": "延期日期格式不正确，应为 YYYY-MM-DD。"})
    reason = forms.CharField(label="延期理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写延期理由。"})


class ExtensionDecideForm(forms.Form):
    extension = forms.IntegerField(min_value=1, error_messages={"required": "缺少延期申请编号。",
                                                                 "invalid": "延期申请编号不正确。"})
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("refuse", "不批准")],
                                 error_messages={"required": "请选择批准或不批准。", "invalid_choice": "审批结果不正确。"})
    decision_note = forms.CharField(label="审批意见", required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
