from django.urls import path

from pingan.cases.views import case_urlpatterns

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("report/", views.report, name="report"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("bulk-dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    # The generic case pages: queue/, <pk>/ (detail), <pk>/act/, supervise/, supervision-reply/, extension/…
    *case_urlpatterns("events.event"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("config/", views.category_list, name="category_list"),
    path("config/categories/new/", views.category_edit, name="category_create"),
    path("config/categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("config/categories/<int:pk>/fields/", views.category_field_add, name="category_field_add"),
    path("config/fields/<int:pk>/delete/", views.category_field_delete, name="category_field_delete"),
    path("config/rules/new/", views.rule_edit, name="rule_create"),
    path("config/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("config/rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("config/keys/", views.key_list, name="key_list"),
    path("config/keys/<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
]
