from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "dobry.communications"
    label = "communications"
    verbose_name = _("Уведомления и рассылки")

    def ready(self) -> None:
        # Each app declares its notification kinds in its own `notifications.py`.
        autodiscover_modules("notifications")
