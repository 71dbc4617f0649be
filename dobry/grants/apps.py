from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "dobry.grants"
    label = "grants"
    verbose_name = _("Грантовые конкурсы")

    def ready(self) -> None:
        # the apps above grants add the figures of their records to a report
        # (`reporting.figures.register`): e.g. charity's donations to the project's campaigns
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("grant_figures")
