from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit_log"),
    path("history/<str:label>/<str:pk>/", views.object_history, name="history"),
]

# Workflow engine and calendar routes (pingan/core/workflow/urls.py).
from .workflow.urls import urlpatterns as _workflow_urlpatterns  # noqa: E402

urlpatterns += _workflow_urlpatterns
