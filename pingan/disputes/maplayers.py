"""The disputes' layer of the map (pingan/geo/layers.py): each dispute with a point, linking to its page."""
from django.urls import reverse

from pingan.geo.layers import point_layer, query_string

from . import choices as c
from .models import Dispute


def _list_url(place, start, end, category):
    return reverse("disputes:list") + "?" + query_string(place=place, registered_from=start, registered_to=end,
                                                         category=category)


point_layer("disputes", "矛盾纠纷", model=Dispute, date_field="registered_on", category_field="category",
            category_prefix=True, categories=[(code, label) for code, (label, _subs) in c.CATEGORY_GROUPS.items()],
            detail="disputes:detail", title=lambda d: f"{d.number} {d.title}",
            subtitle=lambda d: f"{d.get_category_display()} · {d.get_state_display()} · 登记于 {d.registered_on:%Y-%m-%d}",
            list_url=_list_url, order=20)
