from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "dobry.api"
    label = "api"
    verbose_name = "API"
