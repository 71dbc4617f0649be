from django.urls import path

from dobry.festivals import build_views, views

app_name = "festivals"

urlpatterns = [
    path("<id:pk>/", views.programme, name="programme"),
    path("<id:pk>/mine/", views.my_schedule, name="mine"),
    path("<id:pk>/programme.ics", views.programme_ics, name="ics"),
    path("<id:pk>/stands/apply/", views.stand_apply, name="stand_apply"),
    path("<id:pk>/manage/", views.manage, name="manage"),
    path("<id:pk>/manage/publish/", views.publish, name="publish"),
    path("sessions/<id:pk>/choose/", views.choose, name="choose"),
    path("stands/<id:pk>/decide/", views.stand_decide, name="stand_decide"),
    path("stands/<id:pk>/withdraw/", views.stand_withdraw, name="stand_withdraw"),
    path("tracks/<id:pk>/resolution/", views.resolution, name="resolution"),
    path("sessions/<id:pk>/attendance/", views.attendance, name="attendance"),
    path("registrations/<id:pk>/attendance/", views.attendance_mark, name="attendance_mark"),
    # the organisers' pages that build the programme
    path("<id:pk>/manage/tracks/new/", build_views.track_new, name="track_new"),
    path("tracks/<id:pk>/edit/", build_views.track_edit, name="track_edit"),
    path("tracks/<id:pk>/delete/", build_views.track_delete, name="track_delete"),
    path("<id:pk>/manage/venues/new/", build_views.venue_new, name="venue_new"),
    path("venues/<id:pk>/edit/", build_views.venue_edit, name="venue_edit"),
    path("venues/<id:pk>/delete/", build_views.venue_delete, name="venue_delete"),
    path("venues/<id:pk>/places/", build_views.places_add, name="places_add"),
    path("places/<id:pk>/delete/", build_views.place_delete, name="place_delete"),
    path("<id:pk>/manage/sessions/new/", build_views.session_new, name="session_new"),
    path("sessions/<id:pk>/edit/", build_views.session_edit, name="session_edit"),
    path("sessions/<id:pk>/delete/", build_views.session_delete, name="session_delete"),
    path("sessions/<id:pk>/status/", build_views.session_status, name="session_status"),
    path("sessions/<id:pk>/speakers/", build_views.speaker_add, name="speaker_add"),
    path("speakers/<id:pk>/delete/", build_views.speaker_remove, name="speaker_remove"),
]
