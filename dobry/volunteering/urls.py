from django.urls import path

from dobry.volunteering import document_views, views

app_name = "volunteering"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("book/", views.record_book, name="book"),
    path("claim/", views.claim, name="claim"),
    path("parental-consent/", views.parental_consent, name="parental_consent"),
    path("people/<id:pk>/", views.public_profile, name="public_profile"),
    path("book/<id:year>/", document_views.year_summary, name="year_summary"),
    path("book/export.<str:fmt>", document_views.export_hours, name="export"),
    path("certificates/<id:pk>/", document_views.certificate, name="certificate"),
    path("organizations/<id:pk>/hours/", views.organization_hours, name="organization_hours"),
    path("hours/<id:pk>/decide/", views.decide, name="decide"),
]
