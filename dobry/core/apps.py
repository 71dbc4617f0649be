from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dobry.core"
    label = "core"
    verbose_name = _("Основа платформы")

    def ready(self) -> None:
        from django.urls import register_converter
        from django.utils.module_loading import autodiscover_modules

        from dobry.core import file_lifecycle
        from dobry.core.request_values import IdConverter

        register_converter(IdConverter, "id")
        # Each app names its audit actions in its own `audit_actions.py` (core/audit.py).
        autodiscover_modules("audit_actions")
        # Every file field's stored files follow their rows (deleted, replaced).
        file_lifecycle.connect()
