from django.apps import AppConfig


class SiteConfig(AppConfig):
    """No models: the app exists for its management commands, to connect the hooks and to
    fill the registry of references."""

    name = "dobry.site"
    label = "site"

    def ready(self) -> None:
        from dobry.site.hooks import connect_hooks
        from dobry.site.references import register_references

        connect_hooks()
        register_references()
