"""Ledger pages under /ledgers/ (the root URLconf mounts each app under its label)."""
from django.urls import path

from . import views

app_name = "ledgers"

urlpatterns = [
    path("", views.index, name="index"),
    path("template/", views.template, name="template"),
    path("export/", views.export, name="export"),
    path("import/", views.upload, name="upload"),
    path("import/confirm/", views.confirm, name="confirm"),
    path("list-export/", views.list_export, name="list_export"),
]
