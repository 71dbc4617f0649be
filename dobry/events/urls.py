from django.urls import path

from dobry.events import attendance_views, export_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("my/", views.my_registrations, name="my"),
    path("for-me/", views.for_me, name="for_me"),
    path("<id:pk>/", views.event_detail, name="detail"),
    path("<id:pk>/edit/", views.event_edit, name="edit"),
    path("<id:pk>/manage/", views.event_manage, name="manage"),
    path("<id:pk>/manage/needs/", views.event_accessibility_needs, name="accessibility_needs"),
    path("<id:pk>/publish/", views.event_publish, name="publish"),
    path("<id:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<id:pk>/repeat/", views.event_repeat, name="repeat"),
    path("<id:pk>/shifts/new/", views.shift_add, name="shift_add"),
    path("<id:pk>/checkin/", attendance_views.checkin, name="checkin"),
    path("<id:pk>/event.ics", export_views.event_ics, name="ics"),
    path("<id:pk>/places/", views.event_places, name="places"),
    path("<id:pk>/materials/", views.material_add, name="material_add"),
    path("registrations/<id:pk>/certificate/", views.participation_certificate, name="certificate"),
    path("<id:pk>/attendance.xlsx", export_views.attendance_xlsx, name="attendance_xlsx"),
    path("<id:pk>/message/", export_views.message_participants, name="message"),
    path("feed/<str:token>.ics", export_views.personal_feed, name="feed"),
    path("calendar.ics", export_views.city_calendar, name="calendar"),
    path(
        "organizations/<id:pk>/calendar.ics",
        export_views.organization_calendar,
        name="organization_calendar",
    ),
    path("areas/<slug:area>/calendar.ics", export_views.area_calendar, name="area_calendar"),
    path("shifts/<id:pk>/edit/", views.shift_edit, name="shift_edit"),
    path("shifts/<id:pk>/delete/", views.shift_delete, name="shift_delete"),
    path("shifts/<id:pk>/signup/", views.shift_signup, name="signup"),
    path("shifts/<id:pk>/bulk/", attendance_views.bulk_mark, name="bulk_mark"),
    path("registrations/<id:pk>/marks/", attendance_views.correct_marks, name="correct_marks"),
    path("registrations/<id:pk>/cancel/", views.registration_cancel, name="cancel_registration"),
    path("registrations/<id:pk>/accept/", views.offer_accept, name="accept_offer"),
    path("registrations/<id:pk>/approve/", views.registration_approve, name="approve"),
    path("registrations/<id:pk>/decline/", views.registration_decline, name="decline"),
    path("registrations/<id:pk>/qr.svg", views.registration_qr, name="qr"),
]
