"""Forms of the documents pages: parse input only."""
from django import forms


class ReasonForm(forms.Form):
    reason = forms.CharField(label="事由（必填，至少 4 个字）", max_length=200, required=False,
                             widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}))


class UploadForm(forms.Form):
    key = forms.CharField(max_length=100, widget=forms.HiddenInput)
    upload = forms.FileField(label="Word 模板（.docx，不超过 5 MB）", required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": ".docx"}))
    note = forms.CharField(label="说明（可空）", max_length=200, required=False)
