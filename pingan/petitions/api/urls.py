from rest_framework.routers import DefaultRouter

from .views import PetitionerViewSet, PetitionViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("petitions", PetitionViewSet, basename="petition")
router.register("petitioners", PetitionerViewSet, basename="petitioner")
urlpatterns = router.urls
