from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dobry.core"
    label = "core"
    verbose_name = _("Основа платформы")

    def ready(self) -> None:
        from django.urls import register_converter
        from django.utils.module_loading import autodiscover_modules

        from dobry.core import file_lifecycle, form_fields, one_line, page_cache
        from dobry.core.request_values import IdConverter

        register_converter(IdConverter, "id")
        # Each app names its audit actions in its own `audit_actions.py` (core/audit.py).
        autodiscover_modules("audit_actions")
        # Every file field's stored files follow their rows (deleted, replaced).
        file_lifecycle.connect()
        # Every form text field refuses control and bidi-override characters (issue 11).
        form_fields.refuse_forbidden_characters_in_every_text_field()
        # Every model text field of one line refuses a line break (issue 11).
        one_line.refuse_line_breaks_in_every_char_field()
        # Whole public pages kept for anonymous visitors are forgotten on every write.
        page_cache.connect()
