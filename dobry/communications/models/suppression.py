"""The city-wide suppression list and what feeds it: unsubscriptions by address and kind,
and the bounce score of each address (scored like Mailman's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def normalise_email(address: str) -> str:
    """One spelling per mailbox: surrounding spaces dropped, the whole address lower-cased
    (providers treat the local part case-insensitively; RFC 5321 allows either)."""
    return address.strip().lower()


class Suppression(models.Model):
    """An address nobody on the platform may mail, whoever sends: an organisation's message,
    a mailing, a notification. Only transactional messages the person needs pass
    (`communications.unsubscribe.TRANSACTIONAL_KINDS`)."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("отписался")
        HARD_BOUNCE = "hard_bounce", _("письма не доходят")
        COMPLAINT = "complaint", _("жалоба на спам")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("отозвано согласие на рассылку")
        STAFF = "staff", _("внесён сотрудником")

    email = models.CharField(_("адрес"), max_length=254, unique=True)
    reason = models.CharField(_("причина"), max_length=20, choices=Reason.choices)
    source = models.CharField(_("источник"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("внесён"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("адрес в стоп-листе")
        verbose_name_plural = _("стоп-лист рассылок")

    def __str__(self) -> str:
        return f"{self.email} ({self.reason})"


class Unsubscription(models.Model):
    """An address does not want one kind of message (a notification kind or a mailing list)
    but stays reachable for the others."""

    email = models.CharField(_("адрес"), max_length=254)
    kind = models.CharField(_("вид писем"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email", "kind"], name="unique_unsubscription")
        ]
        verbose_name = _("отписка от вида писем")
        verbose_name_plural = _("отписки от видов писем")

    def __str__(self) -> str:
        return f"{self.email}: {self.kind}"


class BounceScore(models.Model):
    """How often mail to an address bounced lately: a hard bounce adds 1.0, a soft one 0.5,
    at most once per city day; the score starts again after `DOBRY_BOUNCE_STALE_DAYS`
    without bounces, and at `DOBRY_BOUNCE_THRESHOLD` the address is suppressed."""

    email = models.CharField(_("адрес"), max_length=254, unique=True)
    score = models.DecimalField(_("счёт"), max_digits=6, decimal_places=1, default=0)
    last_bounce_on = models.DateField(_("последний возврат"))
    bounces = models.PositiveIntegerField(_("возвратов всего"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("счёт возвратов")
        verbose_name_plural = _("счёт возвратов")

    def __str__(self) -> str:
        return f"{self.email}: {self.score}"
