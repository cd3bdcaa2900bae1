"""Routes of the case layer (under /cases/): attachments served through scope, the district's per-step rules,
the working-day calendar."""
from django.urls import path

from . import calendar_views, rules, views

app_name = "cases"

urlpatterns = [
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("rules/", rules.rules_page, name="rules"),
    path("calendar/", calendar_views.calendar_page, name="calendar"),
    path("calendar/delete/", calendar_views.calendar_delete, name="calendar_delete"),
]
