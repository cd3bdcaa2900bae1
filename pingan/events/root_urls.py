"""Public pages and Open311 GeoReport v2 at the top level."""
from django.urls import path, re_path

from . import open311, public_views

app_name = "events_public"

FMT = r"\.(?P<fmt>json|xml)"

urlpatterns = [
    path("report/", public_views.report, name="report"),
    path("report/lookup/", public_views.lookup, name="lookup"),
    re_path(rf"^open311/v2/discovery{FMT}$", open311.discovery, name="discovery"),
    re_path(rf"^open311/v2/services{FMT}$", open311.services_list, name="services"),
    re_path(rf"^open311/v2/services/(?P<code>[^/.]+){FMT}$", open311.service_definition, name="service"),
    re_path(rf"^open311/v2/requests{FMT}$", open311.requests_view, name="requests"),
    re_path(rf"^open311/v2/requests/(?P<number>[^/.]+){FMT}$", open311.request_detail, name="request"),
    re_path(rf"^open311/v2/tokens/(?P<token>[^/.]+){FMT}$", open311.token_view, name="token"),
]
