from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _publish_default_consents(**kwargs: Any) -> None:
    # imported here: models and services load only once the app registry is ready
    from dobry.accounts.services import consent_documents_publish_defaults

    consent_documents_publish_defaults()


class AccountsConfig(AppConfig):
    name = "dobry.accounts"
    label = "accounts"
    verbose_name = _("Пользователи и согласия")

    def ready(self) -> None:
        # After `migrate`, and after the flush between transactional tests: the built-in
        # consent texts exist before anyone reads them (ConsentDocument.current is a read).
        post_migrate.connect(
            _publish_default_consents, sender=self, dispatch_uid="dobry.accounts.consents"
        )
