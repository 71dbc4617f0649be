from django.urls import path

from dobry.events import attendance_views, export_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("my/", views.my_registrations, name="my"),
    path("for-me/", views.for_me, name="for_me"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/manage/", views.event_manage, name="manage"),
    path("<int:pk>/publish/", views.event_publish, name="publish"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/repeat/", views.event_repeat, name="repeat"),
    path("<int:pk>/shifts/new/", views.shift_add, name="shift_add"),
    path("<int:pk>/checkin/", attendance_views.checkin, name="checkin"),
    path("<int:pk>/event.ics", export_views.event_ics, name="ics"),
    path("<int:pk>/places/", views.event_places, name="places"),
    path("<int:pk>/materials/", views.material_add, name="material_add"),
    path(
        "registrations/<int:pk>/certificate/", views.participation_certificate, name="certificate"
    ),
    path("<int:pk>/attendance.xlsx", export_views.attendance_xlsx, name="attendance_xlsx"),
    path("<int:pk>/message/", export_views.message_participants, name="message"),
    path("feed/<str:token>.ics", export_views.personal_feed, name="feed"),
    path("shifts/<int:pk>/edit/", views.shift_edit, name="shift_edit"),
    path("shifts/<int:pk>/delete/", views.shift_delete, name="shift_delete"),
    path("shifts/<int:pk>/signup/", views.shift_signup, name="signup"),
    path("shifts/<int:pk>/bulk/", attendance_views.bulk_mark, name="bulk_mark"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="cancel_registration"),
    path("registrations/<int:pk>/accept/", views.offer_accept, name="accept_offer"),
    path("registrations/<int:pk>/approve/", views.registration_approve, name="approve"),
    path("registrations/<int:pk>/decline/", views.registration_decline, name="decline"),
    path("registrations/<int:pk>/qr.svg", views.registration_qr, name="qr"),
]
