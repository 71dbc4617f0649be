from django.urls import path

from dobry.communications.mailings import views

app_name = "mailings"

urlpatterns = [
    path("", views.mailing_list, name="list"),
    path("new/", views.mailing_edit, name="new"),
    path("<id:pk>/", views.mailing_detail, name="detail"),
    path("<id:pk>/edit/", views.mailing_edit, name="edit"),
    path("<id:pk>/progress/", views.mailing_progress, name="progress"),
    path("<id:pk>/test/", views.mailing_test, name="test"),
    path("<id:pk>/schedule/", views.mailing_schedule, name="schedule"),
    path("<id:pk>/unschedule/", views.mailing_unschedule, name="unschedule"),
    path("<id:pk>/cancel/", views.mailing_cancel, name="cancel"),
    path("segments/", views.segment_list, name="segments"),
    path("segments/new/", views.segment_edit, name="segment_new"),
    path("segments/<id:pk>/", views.segment_edit, name="segment"),
    path("contacts/", views.contact_list, name="contacts"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
