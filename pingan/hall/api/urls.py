from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import CounsellorViewSet, MatterLookupView, MatterViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("hall/matters", MatterViewSet, basename="hall-matter")
router.register("hall/counsellors", CounsellorViewSet, basename="hall-counsellor")
urlpatterns = [
    path("hall/lookup/", MatterLookupView.as_view(), name="hall-lookup"),
    *router.urls,
]
