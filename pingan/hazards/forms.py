"""Forms of the hazard pages: parse input only (the services validate the business rules)."""
from __future__ import annotations

from django import forms

from pingan.cases.forms import HalfWidthMixin, PhotosField
from pingan.geo.widgets import MapPointWidget

from .choices import HazardType, RiskLevel


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
                                   max_value=180, error_messages={"invalid": "经度应为数字。"},
                                   widget=MapPointWidget(), help_text="在地图上点选位置，或直接填写经纬度（选填）。")
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
