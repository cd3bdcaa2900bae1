"""The events' layer of the map (pingan/geo/layers.py): each event with a point, linking to its page."""
from django.urls import reverse

from pingan.geo.layers import point_layer, query_string

from .models import Category, Event


def _categories(user):
    return list(Category.objects.visible_to(user).filter(parent__isnull=True).order_by("code")
                .values_list("code", "name"))


def _list_url(place, start, end, category):
    return reverse("events:list") + "?" + query_string(township=place, **{"from": start, "to": end}, category=category)


point_layer("events", "网格事件", model=Event, date_field="reported_at", category_field="category__code",
            category_prefix=True, categories=_categories, detail="events:detail",
            title=lambda e: f"{e.number} {e.category.name}",
            subtitle=lambda e: f"{e.get_state_display()} · 上报于 {e.reported_at:%Y-%m-%d}",
            list_url=_list_url, select_related=("category",), order=10)
