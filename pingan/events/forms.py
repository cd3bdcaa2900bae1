"""Forms parse input only; the services decide."""
from __future__ import annotations

from django import forms

from pingan.accounts.models import Department
from pingan.geo.choices import Level
from pingan.geo.models import Node

from .choices import Channel, DeadlineUnit, FieldType, PhotoRule, Satisfaction, Urgency
from .models import Category, CategoryField, DispatchRule


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["code", "name", "parent", "description", "keywords", "is_sensitive", "is_public", "public_display",
                  "deadline_amount", "deadline_unit", "urgent_deadline_amount", "photo_rule", "is_active", "order"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Category.objects.visible_to(user).filter(parent__isnull=True)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = qs
        self.fields["parent"].required = False
        self.fields["parent"].empty_label = "（无，这是一个大类）"


class CategoryFieldForm(forms.ModelForm):
    value_lines = forms.CharField(label="可选值", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="单选/多选时每行一个：代码=名称，如 1=轻微")

    class Meta:
        model = CategoryField
        fields = ["code", "label", "datatype", "required", "order"]


class DispatchRuleForm(forms.ModelForm):
    class Meta:
        model = DispatchRule
        fields = ["category", "jurisdiction", "department", "township", "deadline_amount", "deadline_unit", "note"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.visible_to(user).active().order_by("code")
        self.fields["jurisdiction"].queryset = Node.objects.visible_to(user).exclude(level=Level.GRID).order_by("path")
        self.fields["jurisdiction"].label = "适用范围"
        self.fields["department"].queryset = Department.objects.visible_to(user).filter(is_active=True)
        self.fields["township"].queryset = Node.objects.visible_to(user).filter(level=Level.TOWNSHIP)
        self.fields["deadline_unit"].required = False


class KeyForm(forms.Form):
    name = forms.CharField(label="名称", max_length=60)
    channel = forms.ChoiceField(label="渠道", choices=Channel.choices)


class ReportForm(forms.Form):
    """The phone page: the grid is pre-filled, coordinates come from the phone when allowed."""
    category = forms.ModelChoiceField(label="事件类别", queryset=Category.objects.none(),
                                      error_messages={"required": "请选择事件类别。",
                                                      "invalid_choice": "所选事件类别无效。"})
    description = forms.CharField(label="事件描述", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                  strip=False)
    jurisdiction = forms.ModelChoiceField(label="所在网格", queryset=Node.objects.none(), required=False,
                                          error_messages={"invalid_choice": "所选网格不在您的管辖范围内。"})
    latitude = forms.CharField(label="纬度", required=False, max_length=30)
    longitude = forms.CharField(label="经度", required=False, max_length=30)
    address = forms.CharField(label="具体位置", required=False, max_length=400)
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL, required=False,
                                error_messages={"invalid_choice": "紧急程度无效。"})
    idempotency_key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, public=False, **kwargs):
        super().__init__(*args, **kwargs)
        if public:
            self.fields["category"].queryset = Category.objects.public()
            del self.fields["jurisdiction"]
        else:
            self.fields["category"].queryset = Category.objects.visible_to(user).active().leaves()
            self.fields["jurisdiction"].queryset = Node.objects.visible_to(user).filter(
                level__in=(Level.GRID, Level.VILLAGE, Level.COMMUNITY)).order_by("path")


class PublicReportForm(ReportForm):
    reporter_name = forms.CharField(label="您的称呼", required=False, max_length=50)
    reporter_phone = forms.CharField(label="联系电话", required=False, max_length=30,
                                     help_text="仅供工作人员回访，不会公开")


class LookupForm(forms.Form):
    number = forms.CharField(label="事件编号", max_length=40)
    code = forms.CharField(label="查询码", max_length=20)


class EvaluateForm(forms.Form):
    satisfaction = forms.ChoiceField(label="评价", choices=Satisfaction.choices)
    evaluation_note = forms.CharField(label="评价意见", required=False, max_length=600)


def labelled_errors(form) -> dict[str, list[str]]:
    """Form errors with the field's label in front, so a message never leaves the reader guessing."""
    result = {}
    for name, messages in form.errors.items():
        field = form.fields.get(name)
        result[name] = [f"{field.label}：{m}" if field is not None and field.label and not m.startswith("请") else m
                        for m in messages]
    return result


def attributes_from(data, category: Category | None) -> dict:
    """attribute[code] values of a form post (lists for multi-value fields)."""
    if category is None:
        return {}
    result = {}
    for field in category.fields.all():
        key = f"attribute[{field.code}]"
        values = data.getlist(key) if hasattr(data, "getlist") else data.get(key)
        if field.datatype == FieldType.MULTI:
            result[field.code] = values if isinstance(values, list) else [values]
        else:
            result[field.code] = values[0] if isinstance(values, list) and values else (values or "")
    return result


def category_fields_data(categories) -> dict:
    """Extra fields per category for the report pages' script (which shows the fields of the chosen one)."""
    data = {}
    for category in categories:
        data[str(category.pk)] = {
            "photo": category.photo_rule in (PhotoRule.REPORT, PhotoRule.BOTH),
            "fields": [{"code": f.code, "label": f.label, "type": f.datatype, "required": f.required,
                        "values": f.values} for f in category.fields.all()],
        }
    return data


DEADLINE_UNITS = DeadlineUnit.choices
