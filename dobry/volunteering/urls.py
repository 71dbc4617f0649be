from django.urls import path

from dobry.volunteering import views

app_name = "volunteering"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("book/", views.record_book, name="book"),
    path("claim/", views.claim, name="claim"),
    path("organizations/<int:pk>/hours/", views.organization_hours, name="organization_hours"),
    path("hours/<int:pk>/decide/", views.decide, name="decide"),
]
