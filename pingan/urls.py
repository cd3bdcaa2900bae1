"""Root URLs. Each Pingan app is found by itself: its `urls` under /<label>/, its `api.urls` under /api/v1/,
and its `root_urls` (public pages, Open311) at the top level, so a new module edits no shared list.
"""
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from pingan.core import views as core_views


def _module(name: str):
    try:
        return import_module(name) if find_spec(name) else None
    except ModuleNotFoundError:
        return None


app_patterns = []
api_patterns = []
root_patterns = []
for config in apps.get_app_configs():
    if not config.name.startswith("pingan.") or config.label == "core":
        continue
    if _module(f"{config.name}.urls"):
        app_patterns.append(path(f"{config.label}/", include(f"{config.name}.urls")))
    if _module(f"{config.name}.api.urls"):
        api_patterns.append(path("", include(f"{config.name}.api.urls")))
    if _module(f"{config.name}.root_urls"):
        root_patterns.append(path("", include(f"{config.name}.root_urls")))

urlpatterns = [
    path("", include("pingan.core.urls")),
    path("django-admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/v1/", include((api_patterns, "api"), namespace="api")),
    *app_patterns,
    *root_patterns,
]

handler400 = core_views.error_400
handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500
