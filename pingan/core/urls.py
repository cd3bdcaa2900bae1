from django.urls import path

from . import health, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("audit/", views.audit_log, name="audit_log"),
    path("history/<str:label>/<str:pk>/", views.object_history, name="history"),
]
