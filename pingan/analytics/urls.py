from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.stats, name="stats"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("screen/", views.screen, name="screen"),
]
