"""The staff's suppression list and the provider's webhook, under /communications/."""

from django.urls import path

from dobry.communications import suppression_views

app_name = "suppression"

urlpatterns = [
    path("suppressions/", suppression_views.suppression_list, name="list"),
    path(
        "suppressions/<id:pk>/remove/",
        suppression_views.suppression_remove_view,
        name="remove",
    ),
    path("bounces/", suppression_views.bounce_webhook, name="bounce_webhook"),
]
