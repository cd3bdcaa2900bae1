"""The handling form of an alert's page."""
from __future__ import annotations

from django import forms

from .models import Status
from .services import HANDLE_STATUSES, NOTE_MAX


class HandleForm(forms.Form):
    status = forms.ChoiceField(choices=[(s.value, label) for s, label in HANDLE_STATUSES.items()],
                               error_messages={"required": "请选择处置方式。", "invalid_choice": "处置方式无效。"})
    note = forms.CharField(required=False, max_length=NOTE_MAX, label="处置说明",
                           error_messages={"max_length": f"处置说明最多 {NOTE_MAX} 字。"})

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.DISMISSED and not (data.get("note") or "").strip():
            self.add_error("note", "排除预警须填写理由。")
        return data
