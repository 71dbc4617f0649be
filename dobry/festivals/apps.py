from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FestivalsConfig(AppConfig):
    name = "dobry.festivals"
    label = "festivals"
    verbose_name = _("Форумы и фестивали")
