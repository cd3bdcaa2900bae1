from django.urls import path

from pingan.cases.views import case_urlpatterns

from . import views

app_name = "hazards"

urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("new/", views.hazard_create, name="create"),
    # The generic case pages: queue/, <pk>/ (detail), <pk>/act/, supervise/, supervision-reply/, extension/…
    *case_urlpatterns("hazards.hazard"),
]
