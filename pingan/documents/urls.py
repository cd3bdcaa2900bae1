from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("templates/", views.templates, name="templates"),
    path("templates/download/", views.template_download, name="template_download"),
    path("templates/upload/", views.template_upload, name="template_upload"),
    path("templates/reset/", views.template_reset, name="template_reset"),
    *views.type_patterns(),
]
