"""Core routes of the workflow engine and the calendar (included by pingan/core/urls.py)."""
from django.urls import path

from pingan.core.calendar import views as calendar_views

from . import rules, views

urlpatterns = [
    path("workflow/attachments/<int:pk>/", views.attachment, name="workflow_attachment"),
    path("workflow/rules/", rules.rules_page, name="workflow_rules"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/delete/", calendar_views.calendar_delete, name="calendar_delete"),
]
