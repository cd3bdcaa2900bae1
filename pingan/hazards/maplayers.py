"""The hazards' layer of the map (pingan/geo/layers.py): each hazard with a point, linking to its page."""
from django.urls import reverse

from pingan.geo.layers import point_layer, query_string

from .choices import HazardType
from .models import Hazard


def _list_url(place, start, end, category):
    return reverse("hazards:list") + "?" + query_string(place=place, screened_from=start, screened_to=end,
                                                        hazard_type=category)


point_layer("hazards", "风险隐患", model=Hazard, date_field="screened_on", category_field="hazard_type",
            categories=HazardType.choices, detail="hazards:detail",
            title=lambda h: f"{h.number} {h.get_hazard_type_display()}",
            subtitle=lambda h: f"{h.get_risk_level_display()} · {h.get_state_display()} · 排查于 {h.screened_on:%Y-%m-%d}",
            list_url=_list_url, order=30)
