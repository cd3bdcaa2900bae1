from django.urls import path

from pingan.registers import register_urlpatterns

from . import registers as r
from . import views

app_name = "hall"
urlpatterns = [
    path("", views.window, name="window"),
    path("matters/<int:pk>/", views.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/route/", views.matter_route, name="route"),
    path("matters/<int:pk>/followup/", views.matter_followup, name="followup"),
    path("matters/<int:pk>/slip/", views.slip, name="slip"),
    path("track/", views.track, name="track"),
    path("log/", views.log, name="log"),
    path("summary/", views.summary, name="summary"),
    path("duty/", views.duty, name="duty"),
    path("duty/slots/<int:pk>/delete/", views.duty_slot_delete, name="duty_slot_delete"),
    path("psych/", views.appointments, name="appointments"),
    path("psych/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("counsellors/<int:pk>/deactivate/", views.counsellor_deactivate, name="counsellors_deactivate"),
    *register_urlpatterns(r.COUNSELLORS, detail_context=views.counsellor_context),
]
