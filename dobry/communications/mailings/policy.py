"""The two seams every mailing passes through: who may be mailed (`mailable_addresses`)
and what headers a message carries (`message_headers`). The city-wide suppression list
and the unsubscriptions from mailings (`communications.unsubscribe`) are applied in the
first, the one-click unsubscribe headers (RFC 2369, RFC 8058) in the second; the visible
link is `unsubscribe.footer_text`, the DKIM signature `mailings.message.Stamp`."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef

from dobry.accounts.models import ConsentDocument, ConsentRecord, User
from dobry.communications.models import (
    Delivery,
    Mailing,
    MailingContact,
    Suppression,
    Unsubscription,
)
from dobry.communications.unsubscribe import MAILING_KIND, erased_key, token_headers
from dobry.core.site import site_origin

NEWSLETTER = ConsentDocument.Kind.NEWSLETTER


def newsletter_consent() -> Exists:
    """An active (not withdrawn) consent to mailings of the user in the outer query."""
    return Exists(
        ConsentRecord.objects.active().filter(user=OuterRef("pk"), document__kind=NEWSLETTER)
    )


def mailable_addresses(emails: Iterable[str]) -> set[str]:
    """Which of these addresses may get a mailing now, decided at the moment of sending:
    an active account with the consent to mailings given and not withdrawn, or an
    imported contact that confirmed its address — unless an account with that address
    has withdrawn the consent or was erased (the person's own choice wins). Three
    queries for any number of addresses."""
    wanted = {email.lower() for email in emails}
    if not wanted:
        return set()
    accounts: dict[str, int] = {}
    usable: set[int] = set()
    for email, pk, active, erased_at in User.objects.filter(email__in=wanted).values_list(
        "email", "pk", "is_active", "erased_at"
    ):
        accounts[email] = pk
        if active and erased_at is None:
            usable.add(pk)
    # Two plain index lookups: a correlated EXISTS over all the consents was planned as a
    # scan of the whole table (0.4 s a batch of 100 with 100,000 accounts).
    consenting = set(
        ConsentRecord.objects.active()
        .filter(user_id__in=usable, document__kind=NEWSLETTER)
        .values_list("user_id", flat=True)
    )
    allowed = {email for email, pk in accounts.items() if pk in consenting}
    confirmed = set(
        MailingContact.objects.filter(email__in=wanted, confirmed_at__isnull=False).values_list(
            "email", flat=True
        )
    )
    return (allowed | (confirmed - set(accounts))) - _suppressed(wanted)


def _suppressed(wanted: set[str]) -> set[str]:
    """Of these addresses, those on the city-wide suppression list (as they are, or as the
    keyed hash an erased account leaves) or unsubscribed from mailings: two queries."""
    keys = {erased_key(email): email for email in wanted}
    listed = Suppression.objects.filter(email__in=[*wanted, *keys]).values_list("email", flat=True)
    dropped = Unsubscription.objects.filter(email__in=wanted, kind=MAILING_KIND)
    return {keys.get(email, email) for email in listed} | set(
        dropped.values_list("email", flat=True)
    )


def may_mail(email: str) -> bool:
    """Whether one address may get a mailing now (`mailable_addresses`)."""
    return email.lower() in mailable_addresses([email])


def message_headers(mailing: Mailing, delivery: Delivery, token: str) -> dict[str, str]:
    """The headers of one message of a mailing besides From, To and Subject, with the
    recipient's unsubscribe `token` (`unsubscribe.unsubscribe_token(…, delivery=key)`).
    The key lets a bounce or a complaint be matched to its delivery
    (`mailings.feedback`)."""
    host = site_origin().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    return {
        "X-Dobry-Key": f"mailing:{delivery.key}",
        "List-Id": f"<mailing.{host}>",
        "Precedence": "bulk",
        "X-Dobry-Mailing": str(mailing.pk),
        **token_headers(token),
    }
