"""Part-2 routes, included into the petitions namespace by urls.py."""
from django.urls import path

from . import views_b

urlpatterns = [
    path("lists/", views_b.list_index, name="lists"),
    path("lists/<int:pk>/", views_b.list_detail, name="list_detail"),
    path("backlog/", views_b.backlog_index, name="backlog"),
    path("receptions/", views_b.reception_index, name="receptions"),
    path("<int:pk>/repeats/", views_b.repeat_panel, name="repeats"),
]
