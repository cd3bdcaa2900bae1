"""The base of a register's form: it parses input only. Choices of related records are limited to what the
user may see (a foreign id answers "不存在或不在您的管辖范围内"); the model is validated by the service, which
compares with the stored row (core.services.model_update), so the form never touches the instance."""
from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from pingan.core import personal
from pingan.core.services import validation_message

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OUT_OF_SCOPE = "所选项不存在或不在您的管辖范围内。"


class RegisterForm(forms.ModelForm):
    """`RegisterForm(data, instance=..., actor=user)`; `register_data()` is what the service receives."""

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.actor = actor
        for name, fld in self.fields.items():
            if isinstance(fld, forms.ModelChoiceField):
                qs = fld.queryset
                if hasattr(qs, "visible_to"):
                    fld.queryset = qs.visible_to(actor)
                fld.error_messages["invalid_choice"] = OUT_OF_SCOPE
            if isinstance(fld, forms.DateField):
                fld.widget = DATE
                fld.error_messages["invalid"] = f"{fld.label}格式不正确，应为 YYYY-MM-DD。"
            if isinstance(fld, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
                fld.error_messages["invalid"] = f"{fld.label}应为数字。"
            fld.error_messages.setdefault("required", f"请填写{fld.label}。")
            fld.error_messages["required"] = f"请填写{fld.label}。"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = personal.clean_text(value)
        return data

    def _post_clean(self) -> None:
        # The service validates the model (and the instance stays as stored until it writes).
        pass

    def register_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: keyed messages on their fields, the rest on top."""
    if hasattr(exc, "message_dict"):
        for name, messages in exc.message_dict.items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        form.add_error(None, validation_message(exc))
