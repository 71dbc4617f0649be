"""Addresses that belong to core itself (included from the site's URL conf)."""

from django.urls import path

from dobry.core import file_views, health_views

app_name = "core"

urlpatterns = [
    path("health/", health_views.status, name="health"),
    path("health/live", health_views.live, name="health_live"),
    path("files/<str:key>/<id:pk>/", file_views.private_file, name="private_file"),
]
