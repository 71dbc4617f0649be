from django.urls import path

from dobry.resources import group_views, library_views, room_views, views

app_name = "resources"

urlpatterns = [
    path("consultations/", views.my_consultations, name="my_consultations"),
    path("consultations/new/", views.ask, name="ask"),
    path("consultations/queue/", views.queue, name="queue"),
    path("consultations/record/", views.consultation_record, name="record"),
    path("consultations/<id:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<id:pk>/take/", views.consultation_take, name="take"),
    path("consultations/<id:pk>/close/", views.consultation_close, name="close"),
    path("consultations/<id:pk>/rate/", views.consultation_rate, name="rate"),
    path("support/", views.support_registry, name="support"),
    path("support/registry.xlsx", views.support_export, {"fmt": "xlsx"}, name="support_xlsx"),
    path("support/registry.csv", views.support_export, {"fmt": "csv"}, name="support_csv"),
    path("library/", library_views.library_list, name="library"),
    path("library/new/", library_views.library_new, name="library_new"),
    path("library/<id:pk>/", library_views.library_item, name="library_item"),
    path("library/<id:pk>/download/", library_views.library_download, name="library_download"),
    path("consultations/<id:pk>/faq/", library_views.faq_from_consultation, name="faq"),
    path("groups/", group_views.group_list, name="groups"),
    path("groups/<id:pk>/", group_views.group_detail, name="group"),
    path("groups/meetings/<id:pk>/", group_views.meeting_detail, name="meeting"),
    path("groups/tasks/<id:pk>/done/", group_views.task_done, name="task_done"),
    path("rooms/", room_views.room_list, name="rooms"),
    path("rooms/<id:pk>/", room_views.room_detail, name="room"),
    path("rooms/bookings/", room_views.booking_queue, name="bookings"),
    path("rooms/my/", room_views.my_bookings, name="my_bookings"),
    path("rooms/bookings/<id:pk>/decide/", room_views.booking_decide, name="booking_decide"),
    path("rooms/bookings/<id:pk>/cancel/", room_views.booking_cancel, name="booking_cancel"),
]
