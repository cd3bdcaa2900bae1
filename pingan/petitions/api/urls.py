from rest_framework.routers import DefaultRouter

from .views import PetitionerViewSet, PetitionViewSet
from .views_b import AssignedListViewSet, ReceptionViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
# Before "petitions": its {id} would otherwise take "lists" and "receptions".
router.register("petitions/lists", AssignedListViewSet, basename="petition-assigned-list")
router.register("petitions/receptions", ReceptionViewSet, basename="petition-reception")
router.register("petitions", PetitionViewSet, basename="petition")
router.register("petitioners", PetitionerViewSet, basename="petitioner")
urlpatterns = router.urls
