"""The map picker: a form's latitude/longitude chosen by tapping the jurisdiction's map.

`MapPointWidget` goes on the longitude field (the second of the pair); it renders the longitude input as
before and, under it, a map of the user's jurisdiction (boundaries only, tiles when an intranet tile server is
configured). Tapping the map fills both inputs; the inputs stay visible and editable (keyboard users, a point
read off a GPS device), and the server validates what is posted exactly as before. The point stays optional:
the picker records only what the user taps (no position tracking, docs security.md).

    longitude = forms.DecimalField(..., widget=MapPointWidget())               # lat field "latitude"
    class Meta: widgets = {"longitude": MapPointWidget(lat_field="lat")}

Hand-written templates use the tag instead: `{% load geo_map %}{% map_picker "id_latitude" "id_longitude" %}`.
"""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.urls import reverse


def picker_context(lat_id: str, lng_id: str, *, boundaries_url: str = "", boundaries_json_id: str = "",
                   prompt: bool = True) -> dict:
    """`prompt`: say under the map how to use it (off when the field's own help text already says so)."""
    return {"lat_id": lat_id, "lng_id": lng_id, "boundaries_url": boundaries_url,
            "boundaries_json_id": boundaries_json_id, "tiles": getattr(settings, "PINGAN_TILE_URL", "") or "",
            "prompt": prompt}


class MapPointWidget(forms.TextInput):
    template_name = "geo/widgets/map_point.html"

    def __init__(self, lat_field: str = "latitude", attrs: dict | None = None):
        super().__init__(attrs={"inputmode": "decimal", **(attrs or {})})
        self.lat_field = lat_field

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        lng_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        # `name` is the HTML name, with the form's prefix ("h-longitude", "form-0-longitude"): the latitude input
        # carries the same prefix, and its id the same auto_id format around it.
        id_format = lng_id[: -len(name)] if lng_id.endswith(name) else "id_"
        form_prefix = name.rsplit("-", 1)[0] + "-" if "-" in name else ""
        # A field with help text has it linked by aria-describedby (Django 5): the picker does not repeat it.
        described = bool(context["widget"]["attrs"].get("aria-describedby"))
        context["picker"] = picker_context(f"{id_format}{form_prefix}{self.lat_field}", lng_id,
                                           boundaries_url=reverse("api:geo-boundaries"), prompt=not described)
        return context
