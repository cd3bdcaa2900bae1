from django.urls import include, path

from pingan.cases.views import case_urlpatterns
from pingan.registers import register_urlpatterns

from . import views
from .registers import CAMPAIGNS

app_name = "campaigns"

urlpatterns = [
    # The campaign register: campaign/, campaign/new/, campaign/<pk>/ (with the progress report), …/edit/
    *register_urlpatterns(CAMPAIGNS, detail_context=views.campaign_context),
    path("campaign/<int:pk>/tag/", views.campaign_tag, name="campaign_tag"),
    path("campaign/<int:pk>/download/", views.report_download, name="report_download"),
    # Clues: the list and registration, then the generic case pages (queue/, <pk>/, <pk>/act/, 督办, 延期 …).
    path("clues/", views.clue_list, name="list"),
    path("clues/new/", views.clue_create, name="create"),
    path("clues/", include(case_urlpatterns("campaigns.clue"))),
]
