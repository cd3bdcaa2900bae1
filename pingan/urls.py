"""Root URLs. Each Pingan app is found by itself: its `urls` under /<label>/, its `api.urls` under /api/v1/,
and its `root_urls` (public pages, Open311) at the top level, so a new module edits no shared list.
"""
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.urls import include, path
from csp.decorators import csp_update
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

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
api_patterns.append(path("", include("pingan.disputes.api_b.urls")))  # disputes part B: /api/v1/disputes-admin/

urlpatterns = [
    path("", include("pingan.core.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # API docs under the Content Security Policy: Swagger UI's init script is a separate ?script request (split
    # view); ReDoc styles itself with injected <style> elements and searches in a blob: worker, so its page
    # alone allows inline styles and blob: workers (scripts stay 'self' only). docs/security-csp.md.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs/swagger_ui.html"),
         name="api-docs"),
    path("api/redoc/", csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(
        SpectacularRedocView.as_view(url_name="schema", template_name="api_docs/redoc.html")), name="api-redoc"),
    path("api/v1/", include((api_patterns, "api"), namespace="api")),
    *app_patterns,
    *root_patterns,
]

handler400 = core_views.error_400
handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500
