from django.urls import path

from pingan.cases.views import case_urlpatterns

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.petition_create, name="create"),
    path("topics/", views.topic_list, name="topics"),
    path("<int:pk>/petitioners/new/", views.petitioner_add, name="petitioner_add"),
    path("petitioners/<int:pk>/remove/", views.petitioner_remove, name="petitioner_remove"),
    # The generic case pages: queue/, <pk>/ (detail), <pk>/act/, supervise/, supervision-reply/, extension/…
    *case_urlpatterns("petitions.petition"),
]
