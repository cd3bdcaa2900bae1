from django.urls import path

from ..registry import record_types
from .views import DocumentTypeList, file_view

urlpatterns = [
    path("documents/types/", DocumentTypeList.as_view(), name="document-types"),
    *[path(f"documents/{t.key}/<int:pk>/", file_view(t).as_view(), name=f"document-{t.key}-download")
      for t in record_types()],
]
