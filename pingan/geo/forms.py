from django import forms

from .models import LiaisonPoint
from .selectors import village_choices
from .widgets import MapPointWidget


class LiaisonPointForm(forms.ModelForm):
    class Meta:
        model = LiaisonPoint
        fields = ["jurisdiction", "name", "address", "contact_name", "contact_phone", "latitude", "longitude"]
        labels = {"jurisdiction": "所属村(社区)"}
        widgets = {"longitude": MapPointWidget()}

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


class GridForm(forms.Form):
    name = forms.CharField(label="网格名称", max_length=100)


class GridStaffForm(forms.Form):
    """网格长 and 网格员 are chosen from the accounts of the village and its grids."""

    grid_leader = forms.ModelChoiceField(label="网格长", queryset=None)
    grid_worker = forms.ModelChoiceField(label="网格员", queryset=None, required=False,
                                         help_text="一人网格可留空，网格员即网格长。")

    def __init__(self, *args, grid=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        staff = get_user_model().objects.filter(scope__path__startswith=grid.parent.path, is_active=True) \
            .select_related("scope").order_by("scope__path", "username")
        self.fields["grid_leader"].queryset = staff
        self.fields["grid_worker"].queryset = staff
