from django.urls import path

from dobry.resources import views

app_name = "resources"

urlpatterns = [
    path("consultations/", views.my_consultations, name="my_consultations"),
    path("consultations/new/", views.ask, name="ask"),
    path("consultations/queue/", views.queue, name="queue"),
    path("consultations/record/", views.consultation_record, name="record"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/take/", views.consultation_take, name="take"),
    path("consultations/<int:pk>/close/", views.consultation_close, name="close"),
    path("consultations/<int:pk>/rate/", views.consultation_rate, name="rate"),
    path("support/", views.support_registry, name="support"),
]
