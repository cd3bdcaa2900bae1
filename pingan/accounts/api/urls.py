from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import DepartmentViewSet, MeView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("departments", DepartmentViewSet, basename="department")
urlpatterns = [path("me/", MeView.as_view(), name="me"), *router.urls]
