from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpRequestsConfig(AppConfig):
    name = "dobry.helprequests"
    label = "helprequests"
    verbose_name = _("Просьбы о помощи")
