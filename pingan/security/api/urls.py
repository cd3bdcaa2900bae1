from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("security/teams", views.TeamViewSet, basename="security-team")
router.register("security/members", views.TeamMemberViewSet, basename="security-member")
router.register("security/officers", views.OfficerViewSet, basename="security-officer")
router.register("security/patrols", views.PatrolViewSet, basename="security-patrol")
router.register("security/cameras", views.CameraViewSet, basename="security-camera")
router.register("security/training-sessions", views.SessionViewSet, basename="security-session")
router.register("security/attendances", views.AttendanceViewSet, basename="security-attendance")
urlpatterns = router.urls
