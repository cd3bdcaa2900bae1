from django import forms

from .models import LiaisonPoint
from .selectors import village_choices


class LiaisonPointForm(forms.ModelForm):
    class Meta:
        model = LiaisonPoint
        fields = ["jurisdiction", "name", "address", "contact_name", "contact_phone", "latitude", "longitude"]
        labels = {"jurisdiction": "所属村(社区)"}

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = village_choices(actor)

    def clean(self):
        data = super().clean()
        lat, lng = data.get("latitude"), data.get("longitude")
        if (lat is None) != (lng is None):
            raise forms.ValidationError("经度和纬度须同时填写或同时留空。")
        if lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise forms.ValidationError("经纬度超出有效范围。")
        return data


class PilotForm(forms.Form):
    is_pilot = forms.BooleanField(label="试点", required=False)
