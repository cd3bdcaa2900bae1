from django.urls import include, path

from pingan.cases.views import case_urlpatterns

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.petition_create, name="create"),
    path("topics/", views.topic_list, name="topics"),
    path("<int:pk>/petitioners/new/", views.petitioner_add, name="petitioner_add"),
    path("petitioners/<int:pk>/remove/", views.petitioner_remove, name="petitioner_remove"),
    path("", include("pingan.petitions.urls_b")),  # part 2: 交办清单, 积案, 领导接访, 重复信访
    # The generic case pages: queue/, <pk>/ (detail), <pk>/act/, supervise/, supervision-reply/, extension/…
    *case_urlpatterns("petitions.petition"),
]
