"""Part B's API routes, under /api/v1/disputes-admin/ (included from pingan/urls.py)."""
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("disputes-admin/orgs", views.OrgViewSet, basename="disputes-org")
router.register("disputes-admin/mediators", views.MediatorViewSet, basename="disputes-mediator")
router.register("disputes-admin/screenings", views.CampaignViewSet, basename="disputes-screening")
router.register("disputes-admin/rates", views.RateViewSet, basename="disputes-rate")
router.register("disputes-admin/meetings", views.MeetingViewSet, basename="disputes-meeting")
router.register("disputes-admin/subsidy-sheets", views.SheetViewSet, basename="disputes-subsidy-sheet")
urlpatterns = router.urls
