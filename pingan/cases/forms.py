"""Forms of the generic case surface: one form per transition, generated from its declaration, and the forms of
督办, 督办反馈, 延期申请 and 延期审批. Forms parse input only; the engine validates the business rules and its
errors come back onto these forms (`add_engine_errors`), so every error is shown beside its field.

A transition's form holds the fields it accepts (`required`, `optional` and those its `assign` effects set:
model fields → form fields with the model's Chinese label; a foreign key's choices come through the scoping
door `visible_to(user)`), the note (required when the step needs a reason), and photos where the step takes
them. A kind may replace the generated form of
one step (`Surface.action_forms`), e.g. events' 重复件 asks for the original's number, not a list of events.
"""
from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

MAX_PHOTOS = 9
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def half_width(value: Any) -> Any:
    """Full-width digits and punctuation typed on a Chinese keyboard read as half-width (２０２６－０３－０５)."""
    return unicodedata.normalize("NFKC", value) if isinstance(value, str) else value


def normalise_bound_data(form: forms.Form) -> None:
    """Normalise the date, time and number fields of a bound form before Django parses them; dates also
    accept 2026/3/5 and 2026.3.5."""
    if not form.is_bound:
        return
    data = form.data.copy()
    for name, field in form.fields.items():
        if not isinstance(field, (forms.DateField, forms.DateTimeField, forms.DecimalField, forms.IntegerField,
                                  forms.FloatField)):
            continue
        value = data.get(name)
        if isinstance(value, str):
            value = half_width(value).strip()
            if isinstance(field, forms.DateField):
                value = value.replace("/", "-").replace(".", "-")
            data[name] = value
    form.data = data


class HalfWidthMixin:
    """Full-width digits in a bound form's dates and numbers read as half-width (see normalise_bound_data)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        normalise_bound_data(self)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", **(attrs or {})})


class PhotosField(forms.FileField):
    """Several photos; the engine checks them (one validator, one set of limits)."""

    widget = MultipleImageInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "现场照片")
        kwargs.setdefault("help_text", f"可选，最多 {MAX_PHOTOS} 张图片，每张不超过 10 MB。")
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [f for f in files if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files

    def bound_data(self, data, initial):
        return initial


def _messages(label: str, choice: bool = False) -> dict[str, str]:
    return {
        "required": f"请{'选择' if choice else '填写'}{label}。",
        "invalid": f"{label}格式不正确。",
        "invalid_choice": f"所选{label}不存在或不在您的管辖范围内。" if choice else f"{label}的取值无效。",
        "max_length": f"{label}太长了。",
        "invalid_date": f"{label}格式不正确，应为 YYYY-MM-DD。",
        "max_value": f"{label}超出范围。", "min_value": f"{label}超出范围。",
        "max_digits": f"{label}超出范围。", "max_decimal_places": f"{label}的小数位太多。",
        "max_whole_digits": f"{label}超出范围。",
    }


def model_formfield(model: type[models.Model], name: str, user: Any, *, required: bool):
    """The form field of one model field, labelled in Chinese; a foreign key lists only what `user` may see."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return forms.CharField(label=name, required=required, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}), error_messages=_messages(name))
    label = str(field.verbose_name)
    if field.is_relation and field.many_to_one:
        related = field.related_model
        qs = related._default_manager.all()
        qs = qs.visible_to(user) if hasattr(qs, "visible_to") else qs.none()
        limit = field.get_limit_choices_to()
        if limit:
            qs = qs.complex_filter(limit)
        if any(f.name == "is_active" for f in related._meta.concrete_fields):
            qs = qs.filter(is_active=True)
        return forms.ModelChoiceField(queryset=qs, label=label, required=required, empty_label="—",
                                      error_messages=_messages(label, choice=True))
    if field.choices:
        choices = ([("", "—")] if not required else [("", "请选择")]) + [(k, v) for k, v in field.flatchoices]
        return forms.TypedChoiceField(choices=choices, label=label, required=required, coerce=str, empty_value="",
                                      error_messages=_messages(label, choice=False))
    if isinstance(field, models.DateTimeField):
        return forms.DateTimeField(label=label, required=required, widget=DATETIME_WIDGET,
                                   error_messages=_messages(label))
    if isinstance(field, models.DateField):
        return forms.DateField(label=label, required=required, widget=DATE_WIDGET,
                               error_messages={**_messages(label), "invalid": f"{label}格式不正确，应为 YYYY-MM-DD。"})
    if isinstance(field, models.TextField):
        return forms.CharField(label=label, required=required, max_length=field.max_length or 4000,
                               widget=forms.Textarea(attrs={"rows": 3}), error_messages=_messages(label))
    formfield = field.formfield(required=required, label=label)
    if formfield is None:
        raise ValueError(f"{model._meta.label}.{name} 不能作为表单字段")
    formfield.error_messages.update(_messages(label))
    return formfield


def note_label(transition) -> str:
    if transition.send_back or transition.name == "return":
        return "退回理由"
    if transition.note_required:
        return "理由"
    return "说明"


class ActionForm(forms.Form):
    """The form of one transition, built from its declaration (see the module docstring)."""

    def __init__(self, *args, case, transition, user, photos: bool = False, photo_required: bool = False, **kwargs):
        self.case, self.transition, self.user = case, transition, user
        model = type(case)
        self.field_names: list[str] = []
        initial = kwargs.pop("initial", None) or {}
        fields: dict[str, forms.Field] = {}
        for name in getattr(transition, "accepted", (*transition.required, *transition.optional)):
            if name in fields:
                continue
            fields[name] = self.build_field(model, name, required=name in transition.required)
            self.field_names.append(name)
            current = getattr(case, name, None) if _is_plain_field(model, name) else None
            if current not in (None, "") and name not in initial:
                initial[name] = current
        label = note_label(transition)
        fields["note"] = forms.CharField(
            label=label, required=transition.note_required, max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="" if transition.note_required else "选填。",
            error_messages={"required": f"请填写{label}。", "max_length": f"{label}不能超过 2000 字。"})
        if photos or photo_required:
            fields["photos"] = PhotosField(
                required=photo_required, label="现场照片",
                help_text=(f"按本区规定须上传，最多 {MAX_PHOTOS} 张图片，每张不超过 10 MB。" if photo_required
                           else f"可选，最多 {MAX_PHOTOS} 张图片，每张不超过 10 MB。"),
                error_messages={"required": f"按本区规定，“{transition.label}”须上传现场照片。"})
        super().__init__(*args, initial=initial, **kwargs)
        self.fields.update(fields)
        normalise_bound_data(self)

    def build_field(self, model, name: str, *, required: bool) -> forms.Field:
        return model_formfield(model, name, self.user, required=required)

    def case_data(self) -> dict[str, Any]:
        """The values the engine sets on the case: the step's fields that were filled in."""
        return {name: self.cleaned_data[name] for name in self.field_names
                if self.cleaned_data.get(name) not in (None, "")}

    @property
    def photos(self) -> list:
        return self.cleaned_data.get("photos") or []


def _is_plain_field(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return not field.is_relation and field.concrete


class SuperviseForm(HalfWidthMixin, forms.Form):
    note = forms.CharField(label="督办意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请填写督办意见。", "max_length": "督办意见不能超过 2000 字。"})
    due_on = forms.DateField(label="反馈期限", required=False, widget=DATE_WIDGET,
                             error_messages={"invalid": "反馈期限格式不正确，应为 YYYY-MM-DD。"})

    def __init__(self, *args, days: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_on"].help_text = f"留空则为 {days} 个工作日后。"


class SupervisionReplyForm(forms.Form):
    supervision = forms.IntegerField(min_value=1, max_value=2 ** 62, widget=forms.HiddenInput,
                                     error_messages={"required": "缺少督办编号。", "invalid": "督办编号不正确。",
                                                     "min_value": "督办编号不正确。", "max_value": "督办编号不正确。"})
    reply = forms.CharField(label="反馈内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": "请填写反馈内容。", "max_length": "反馈内容不能超过 2000 字。"})


class ExtensionRequestForm(HalfWidthMixin, forms.Form):
    new_deadline = forms.DateField(label="申请延至", widget=DATE_WIDGET,
                                   error_messages={"required": "请填写延期日期。",
                                                   "invalid": "延期日期格式不正确，应为 YYYY-MM-DD。"})
    reason = forms.CharField(label="延期理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写延期理由。", "max_length": "延期理由不能超过 2000 字。"})


class ExtensionDecideForm(forms.Form):
    extension = forms.IntegerField(min_value=1, max_value=2 ** 62, widget=forms.HiddenInput,
                                   error_messages={"required": "缺少延期申请编号。", "invalid": "延期申请编号不正确。",
                                                   "min_value": "延期申请编号不正确。",
                                                   "max_value": "延期申请编号不正确。"})
    decision = forms.ChoiceField(label="审批结果", choices=[("approve", "批准"), ("refuse", "不批准")],
                                 error_messages={"required": "请选择批准或不批准。", "invalid_choice": "审批结果不正确。"})
    decision_note = forms.CharField(label="审批意见", required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}), help_text="不批准时必填。",
                                    error_messages={"max_length": "审批意见不能超过 2000 字。"})


def add_engine_errors(form: forms.Form, exc: ValidationError, rename: dict[str, str] | None = None) -> None:
    """Put the engine's errors on the form: a field's beside the field, the rest at the top of the form."""
    rename = rename or {}
    items = exc.message_dict.items() if hasattr(exc, "message_dict") else [(None, exc.messages)]
    for name, messages in items:
        name = rename.get(name, name)
        target = name if name in form.fields else None
        for message in messages:
            if target is not None and form.errors.get(target) and message in form.errors[target]:
                continue
            form.add_error(target, message)


def error_dict(form: forms.Form) -> dict[str, list[str]]:
    """The one error shape of the surface: field → [messages] ("__all__" for the form as a whole)."""
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}
