from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import BoundariesView, LayerListView, LayerView, LiaisonPointViewSet, NodeViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("jurisdictions", NodeViewSet, basename="jurisdiction")
router.register("liaison-points", LiaisonPointViewSet, basename="liaison-point")
urlpatterns = router.urls + [
    path("geo/boundaries/", BoundariesView.as_view(), name="geo-boundaries"),
    path("geo/layers/", LayerListView.as_view(), name="geo-layers"),
    path("geo/layers/<slug:key>/", LayerView.as_view(), name="geo-layer"),
]
