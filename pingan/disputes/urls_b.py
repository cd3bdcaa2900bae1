"""Routes of the mediator and organisation registers, screening campaigns, subsidies and 例会 (part B),
included by urls.py."""
from django.urls import path

from pingan.registers import register_urlpatterns

from . import views_b as v

urlpatterns = [
    *register_urlpatterns(v.ORGS, detail_context=v.org_context),
    *register_urlpatterns(v.MEDIATORS, detail_context=v.mediator_context),
    *register_urlpatterns(v.SCREENINGS, detail_context=v.screening_context),
    *register_urlpatterns(v.RATES),
    path("meetings/new/", v.meeting_create, name="meeting_create"),
    path("meetings/follow-ups/<int:pk>/done/", v.followup_done, name="followup_done"),
    *register_urlpatterns(v.MEETINGS, detail_context=v.meeting_context),
    path("subsidy/", v.subsidy_list, name="subsidy_list"),
    path("subsidy/build/", v.subsidy_build, name="subsidy_build"),
    path("subsidy/<int:pk>/", v.subsidy_detail, name="subsidy_detail"),
    path("subsidy/<int:pk>/approve/", v.subsidy_approve, name="subsidy_approve"),
    path("subsidy/<int:pk>/rebuild/", v.subsidy_rebuild, name="subsidy_rebuild"),
    path("subsidy/<int:pk>/delete/", v.subsidy_delete, name="subsidy_delete"),
    path("subsidy/<int:pk>/download/", v.subsidy_download, name="subsidy_download"),
]
