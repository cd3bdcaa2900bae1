from django.urls import path

from .views import ReportCreate, ReportFile, ReportStatus

urlpatterns = [
    path("reports/", ReportCreate.as_view(), name="report-create"),
    path("reports/<int:pk>/", ReportStatus.as_view(), name="report-status"),
    path("reports/<int:pk>/file/", ReportFile.as_view(), name="report-file"),
]
