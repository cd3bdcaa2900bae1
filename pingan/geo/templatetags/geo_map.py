"""{% map_picker "id_latitude" "id_longitude" %}: the map picker for hand-written forms (pingan/geo/widgets.py).
With public=True (the citizens' report page, no login) the county's boundaries are embedded in the page
instead of fetched from the API."""
from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import mark_safe

from ..widgets import picker_context

register = template.Library()


@register.simple_tag
def map_picker(lat_id: str, lng_id: str, public: bool = False) -> str:
    if not public:
        return render_to_string("geo/_map_picker.html", {
            "picker": picker_context(lat_id, lng_id, boundaries_url=reverse("api:geo-boundaries"))})
    from ..mapdata import public_boundaries

    data = public_boundaries()
    html = json_script(data, "map-picker-boundaries")
    html += render_to_string("geo/_map_picker.html", {
        "picker": picker_context(lat_id, lng_id, boundaries_json_id="map-picker-boundaries")})
    return mark_safe(html)
