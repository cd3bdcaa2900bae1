from django.urls import path

from pingan.registers import register_urlpatterns

from . import registers as r
from . import views

app_name = "security"

urlpatterns = [
    path("cameras/stats/", views.camera_stats, name="camera_stats"),
    path("cameras/map/", views.camera_map, name="camera_map"),
    path("cameras/map.geojson", views.camera_map_data, name="camera_map_data"),
    path("training/", views.training_totals, name="training_totals"),
    path("patrols/<int:pk>/event/", views.patrol_to_event, name="patrol_to_event"),
    *register_urlpatterns(r.TEAMS, detail_context=views.team_context),
    *register_urlpatterns(r.MEMBERS),
    *register_urlpatterns(r.OFFICERS),
    *register_urlpatterns(r.PATROLS, detail_context=views.patrol_context),
    *register_urlpatterns(r.CAMERAS),
    *register_urlpatterns(r.SESSIONS, detail_context=views.session_context),
    *register_urlpatterns(r.ATTENDANCES),
]
