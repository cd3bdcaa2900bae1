"""Forms parse input only; the services decide."""
from __future__ import annotations

from django import forms

from pingan.accounts.models import Department
from pingan.cases.deadlines import describe
from pingan.cases.forms import ActionForm
from pingan.geo.choices import Level
from pingan.geo.models import Node

from . import deadlines, services
from .choices import Channel, DeadlineUnit, FieldType, PhotoRule, Satisfaction, Urgency
from .models import Category, CategoryField, DispatchRule, Event


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


# --- the forms of two steps that the generic step form cannot guess (pingan/cases/forms.py) ----------------
class DispatchForm(ActionForm):
    """派遣: a department or a township of the user's scope, proposed by the dispatch rule."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("assigned_department", "assigned_township"):
            if name not in self.fields:
                continue
            field = self.fields[name]
            if name == "assigned_department":
                field.queryset = Department.objects.visible_to(self.user).filter(is_active=True).order_by("name")
                field.label = "承办部门"
            else:
                field.queryset = Node.objects.visible_to(self.user).filter(level=Level.TOWNSHIP).order_by("code")
                field.label = "或派给乡镇"
        rule = deadlines.rule_for(self.case.category, self.case.jurisdiction)
        unit = (rule.department or rule.township) if rule is not None else None
        if not self.is_bound and rule is not None:
            for name, value in (("assigned_department", rule.department), ("assigned_township", rule.township)):
                if name in self.fields and value is not None:
                    self.initial[name] = value.pk
        amount, unit_name = deadlines.handling_rule(self.case, rule)
        hints = [f"按派遣规则建议：{unit.name}"] if unit is not None else []
        hints.append(f"处置时限 {describe(amount, unit_name)}（派给规则以外的单位时按类别时限）")
        if "assigned_department" in self.fields:
            self.fields["assigned_department"].help_text = "；".join(hints) + "。"

    def clean(self):
        data = super().clean()
        if data.get("assigned_department") and data.get("assigned_township"):
            raise forms.ValidationError("承办部门和乡镇只能选一个。")
        if not self.errors and not data.get("assigned_department") and not data.get("assigned_township"):
            raise forms.ValidationError("请选择承办部门或乡镇。")
        return data


class DuplicateForm(ActionForm):
    """重复件: the original's number (typed, or one of the similar events proposed)."""

    def build_field(self, model, name, *, required):
        if name != "duplicate_of":
            return super().build_field(model, name, required=required)
        return forms.CharField(label="原件编号", max_length=40, required=required,
                               error_messages={"required": "请填写或选择原件的事件编号。",
                                               "max_length": "事件编号太长了。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = services.duplicate_candidates(self.case, self.user)
        if self.suggestions and "duplicate_of" in self.fields:
            self.fields["duplicate_of"].help_text = "可能重复的事件：" + "；".join(
                f"{s.number}（{s.category.name} · {s.jurisdiction.name} · {s.reported_at:%m-%d %H:%M}）"
                for s in self.suggestions)
        self.initial.pop("duplicate_of", None)

    def clean_duplicate_of(self):
        number = (self.cleaned_data.get("duplicate_of") or "").strip()
        if not number:
            return None
        original = Event.objects.visible_to(self.user).exclude(pk=self.case.pk).filter(number=number).first()
        if original is None:
            raise forms.ValidationError(f"找不到编号为“{number[:40]}”的事件。")
        return original
