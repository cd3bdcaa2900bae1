from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import CrimeCountViewSet, CrimeSummaryView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("crimes/counts", CrimeCountViewSet, basename="crimecount")
urlpatterns = [
    path("crimes/summary/", CrimeSummaryView.as_view(), name="crime-summary"),
    *router.urls,
]
