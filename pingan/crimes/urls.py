from django.urls import path

from . import views

app_name = "crimes"

urlpatterns = [
    path("", views.summary, name="summary"),
    path("download/", views.summary_download, name="summary_download"),
    path("entry/", views.entry, name="entry"),
    path("categories/", views.categories, name="categories"),
]
