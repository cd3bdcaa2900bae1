from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("rules/", views.rule_settings, name="rules"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/handle/", views.alert_handle, name="handle"),
]
