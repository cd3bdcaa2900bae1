from django.urls import NoReverseMatch, reverse

from . import registry


def navigation(request):
    """The navigation entries the user may use (modules not built or not allowed are absent)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for item in registry.nav_items(user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return {"nav_items": items}
