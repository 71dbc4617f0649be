from django.urls import path

from dobry.communications import views

app_name = "communications"

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("<id:pk>/", views.notification_open, name="open"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
]
