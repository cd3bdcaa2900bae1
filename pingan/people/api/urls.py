from rest_framework.routers import DefaultRouter

from .views import EnrollmentViewSet, HouseholdViewSet, PersonViewSet, RentalHouseViewSet, VisitViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("people", PersonViewSet, basename="person")
router.register("households", HouseholdViewSet, basename="household")
router.register("rental-houses", RentalHouseViewSet, basename="rental-house")
router.register("special-people", EnrollmentViewSet, basename="special-person")
router.register("visits", VisitViewSet, basename="visit")
urlpatterns = router.urls
