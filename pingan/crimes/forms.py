"""Forms of the crime pages: parse input only (the services validate and write)."""
from __future__ import annotations

from django import forms

from .months import parse_month, this_month

MONTH_WIDGET = forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM", "inputmode": "numeric"})
MAX_SPAN = 120  # months: ten years at most on one page


class MonthField(forms.CharField):
    widget = MONTH_WIDGET

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_month(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class PeriodForm(forms.Form):
    """月份起止 and the place (a township chosen by name; empty = the user's whole scope)."""

    date_from = MonthField(label="起始月份", required=False)
    date_to = MonthField(label="截止月份", required=False)
    township = forms.ModelChoiceField(queryset=None, label="乡镇（街道）", required=False, to_field_name="code",
                                      empty_label="全部",
                                      error_messages={"invalid_choice": "所选乡镇不存在或不在您的管辖范围内。"})

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["township"].label_from_instance = lambda n: n.name

    def clean(self):
        data = super().clean()
        today = this_month()
        first = data.get("date_from") or (today.replace(month=1) if "date_from" not in self.errors else None)
        last = data.get("date_to") or (today if "date_to" not in self.errors else None)
        if first and last:
            if first > last:
                raise forms.ValidationError("起始月份不能晚于截止月份。")
            if (last.year - first.year) * 12 + last.month - first.month + 1 > MAX_SPAN:
                raise forms.ValidationError(f"统计期最长 {MAX_SPAN} 个月。")
        data["date_from"], data["date_to"] = first, last
        return data


class EntryForm(forms.Form):
    """One township's month: one field per category (phone-friendly: numeric keypad)."""

    month = forms.CharField(label="月份", widget=MONTH_WIDGET, error_messages={"required": "请填写月份。"})
    township = forms.ModelChoiceField(queryset=None, label="乡镇（街道）", to_field_name="code",
                                      error_messages={"required": "请选择乡镇（街道）。",
                                                      "invalid_choice": "所选乡镇不存在或不在您的管辖范围内。"})
    source = forms.CharField(label="数据来源", max_length=200, required=False,
                             help_text="如：郊区公安分局 月度刑事案件统计表")

    def __init__(self, *args, townships, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["township"].label_from_instance = lambda n: n.name
        self.categories = list(categories)
        for category in self.categories:
            # Text, not a number input: full-width digits are cleaned to half-width by the service.
            self.fields[f"count_{category.code}"] = forms.CharField(
                label=category.name, required=False, max_length=12,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}))

    def count_fields(self):
        return [(c, self[f"count_{c.code}"]) for c in self.categories]

    def clean_month(self):
        try:
            return parse_month(self.cleaned_data["month"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
