from rest_framework.routers import DefaultRouter

from .views import CampaignViewSet, ClueViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("campaigns/clues", ClueViewSet, basename="clue")
router.register("campaigns", CampaignViewSet, basename="campaign")
urlpatterns = router.urls
