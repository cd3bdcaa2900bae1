from django.urls import path

from . import views

app_name = "hazards"

urlpatterns = [
    path("", views.hazard_list, name="list"),
    path("new/", views.hazard_create, name="create"),
    path("queue/", views.hazard_queue, name="queue"),
    path("<int:pk>/", views.hazard_detail, name="detail"),
    path("<int:pk>/transition/", views.hazard_transition, name="transition"),
    path("<int:pk>/supervise/", views.hazard_supervise, name="supervise"),
    path("<int:pk>/supervision-reply/", views.hazard_supervision_reply, name="supervision_reply"),
    path("<int:pk>/extension/", views.hazard_extension_request, name="extension_request"),
    path("<int:pk>/extension/decide/", views.hazard_extension_decide, name="extension_decide"),
]
