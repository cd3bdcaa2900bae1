from django.urls import path

from . import views

app_name = "geo"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("map/", views.map_view, name="map"),
    path("pilots/", views.pilot_list, name="pilot_list"),
    path("nodes/<str:code>/", views.node_detail, name="node"),
    path("nodes/<str:code>/pilot/", views.node_pilot, name="node_pilot"),
    path("nodes/<str:code>/grids/new/", views.grid_add, name="grid_add"),
    path("nodes/<str:code>/staff/", views.grid_staff, name="grid_staff"),
    path("liaison/", views.liaison_list, name="liaison_list"),
    path("liaison/new/", views.liaison_edit, name="liaison_create"),
    path("liaison/<int:pk>/", views.liaison_detail, name="liaison_detail"),
    path("liaison/<int:pk>/edit/", views.liaison_edit, name="liaison_edit"),
]
