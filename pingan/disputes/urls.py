from django.urls import include, path

from pingan.cases.views import case_urlpatterns

from . import views

app_name = "disputes"

urlpatterns = [
    path("", views.dispute_list, name="list"),
    path("new/", views.dispute_create, name="create"),
    path("phone/", views.dispute_phone, name="phone"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("<int:pk>/parties/new/", views.party_add, name="party_add"),
    path("parties/<int:pk>/edit/", views.party_edit, name="party_edit"),
    path("parties/<int:pk>/remove/", views.party_remove, name="party_remove"),
    path("<int:pk>/sessions/new/", views.session_add, name="session_add"),
    path("<int:pk>/co-mediators/", views.co_mediators, name="co_mediators"),
    # The generic case pages: queue/, <pk>/ (detail), <pk>/act/, supervise/, supervision-reply/, extension/…
    *case_urlpatterns("disputes.dispute"),
    # Registers, screening campaigns, subsidies and 例会 (urls_b.py).
    path("", include("pingan.disputes.urls_b")),
]
