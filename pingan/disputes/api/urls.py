from rest_framework.routers import DefaultRouter

from .views import DisputePartyViewSet, DisputeViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("disputes", DisputeViewSet, basename="dispute")
router.register("dispute-parties", DisputePartyViewSet, basename="dispute-party")
urlpatterns = router.urls
