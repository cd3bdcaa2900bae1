from django.urls import path

from . import health, ledger_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("audit/", views.audit_log, name="audit_log"),
    path("history/<str:label>/<str:pk>/", views.object_history, name="history"),
    path("ledgers/", ledger_views.index, name="ledgers"),
    path("ledgers/template/", ledger_views.template, name="ledger_template"),
    path("ledgers/export/", ledger_views.export, name="ledger_export"),
    path("ledgers/import/", ledger_views.upload, name="ledger_upload"),
    path("ledgers/import/confirm/", ledger_views.confirm, name="ledger_confirm"),
]
