from django.urls import path

from .views import DashboardView, StatsView

urlpatterns = [
    path("stats/", StatsView.as_view(), name="stats"),
    path("analytics/dashboard/", DashboardView.as_view(), name="analytics-dashboard"),
]
