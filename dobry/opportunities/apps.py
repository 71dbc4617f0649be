from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpportunitiesConfig(AppConfig):
    """External grant programmes the resource centre keeps, and the applicant's cabinet.

    Its own app above `grants` (not a part of it): the cabinet reads the grants app's
    applications, agreements and report deadlines, and the catalogue keeps its own
    migrations apart from the grants app's, which other work changes at the same time."""

    name = "dobry.opportunities"
    label = "opportunities"
    verbose_name = _("Каталог грантовых программ")

    def ready(self) -> None:
        from dobry.opportunities import audit_actions, notifications  # noqa: F401
