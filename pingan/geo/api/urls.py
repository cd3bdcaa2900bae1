from rest_framework.routers import DefaultRouter

from .views import LiaisonPointViewSet, NodeViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("jurisdictions", NodeViewSet, basename="jurisdiction")
router.register("liaison-points", LiaisonPointViewSet, basename="liaison-point")
urlpatterns = router.urls
