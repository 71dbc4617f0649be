from django.urls import path

from dobry.communications import views
from dobry.communications.telegram import views as telegram_views

app_name = "communications"

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("<id:pk>/", views.notification_open, name="open"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("telegram/", telegram_views.telegram_page, name="telegram"),
    path("telegram/link/", telegram_views.telegram_link, name="telegram_link"),
    path("telegram/unlink/", telegram_views.telegram_unlink, name="telegram_unlink"),
    path("telegram/webhook/", telegram_views.telegram_webhook, name="telegram_webhook"),
]
