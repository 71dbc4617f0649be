from django.apps import AppConfig


class SiteConfig(AppConfig):
    """No models: the app exists for its management commands and to connect the hooks."""

    name = "dobry.site"
    label = "site"

    def ready(self) -> None:
        from dobry.site.hooks import connect_hooks

        connect_hooks()
