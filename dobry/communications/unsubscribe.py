"""Who may be mailed, and how a person stops it in one click.

Every sender on the platform asks `may_mail(address, kind=...)` before a message leaves
(the outbox does it in `deliver_email`; mailings call it per recipient) and puts
`list_headers(address, kind=...)` on every message that is not transactional
(RFC 2369 `List-Unsubscribe`, RFC 8058 `List-Unsubscribe-Post`).

Transactional kinds — the ones a person needs whatever they unsubscribed from — are
account security (sign-in, password, address confirmation: `account`), the codes that sign
a consent (`consent_code`), and replies to the person's own request: their help request's
status, an answer to their consultation, their room booking, their grant application, their
place on a shift. Everything else (digests, organisers' messages, reminders, invitations,
mailings) stops at a suppressed address.
"""

from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from dobry.communications.mailings import feedback
from dobry.communications.models import Suppression, Unsubscription, normalise_email
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.site import absolute_url

ACCOUNT = "account"  # allauth's emails: confirmation, password reset, sign-in codes
CONSENT_CODE = "consent_code"
TRANSACTIONAL_KINDS = frozenset(
    {
        "",  # a direct message without a kind: only the account's own, see email_queue
        ACCOUNT,
        CONSENT_CODE,
        "help_request_status",
        "consultation_reply",
        "consultation_closed",
        "room_decided",
        "grant_application_received",
        "grant_application_screened",
        "registration_confirmed",
        "registration_pending",
        "registration_waitlisted",
        "registration_declined",
        "waitlist_offer",
        "offer_expired",
        "event_cancelled",
    }
)
TOKEN_SALT = "dobry.communications.unsubscribe"
# The city's mailings (communications.mailings) are one list: a person keeps or drops them
# as a whole, beside the notification kinds.
MAILING_KIND = "mailing"


def is_transactional(kind: str) -> bool:
    """A message the person needs whatever they unsubscribed from (see the module's doc)."""
    return kind in TRANSACTIONAL_KINDS


def may_mail(address: str, *, kind: str) -> bool:
    """Whether a message of `kind` may go to `address` now: a transactional kind always;
    anything else not to an address on the city-wide suppression list, nor to one that
    unsubscribed from this kind (no query for a transactional kind, at most two else)."""
    if is_transactional(kind):
        return True
    email = normalise_email(address)
    if Suppression.objects.filter(email__in=suppression_keys(email)).exists():
        return False
    return not Unsubscription.objects.filter(email=email, kind=kind).exists()


def suppression_keys(email: str) -> list[str]:
    """The forms an address takes on the list: itself, and the keyed hash that replaces it
    when its owner erased their account (the address is never mailed again, yet not kept)."""
    return [email, erased_key(email)]


def erased_key(email: str) -> str:
    return "erased:" + signing.Signer(salt=TOKEN_SALT + ".erased").signature(email)


# --- tokens -------------------------------------------------------------------------


@dataclass(frozen=True)
class Unsubscribe:
    """What a signed link says: this address, reached by a message of this kind — and, for
    a mailing's message, the key of its delivery (so the mailing counts who left)."""

    email: str
    kind: str
    delivery: str = ""


def unsubscribe_token(address: str, *, kind: str, delivery: str = "") -> str:
    """A URL-safe token naming the address and kind (and the mailing's delivery, if any),
    signed with the site's secret (salted for this use only): nobody can make one for
    another address."""
    payload = {"e": normalise_email(address), "k": kind}
    if delivery:
        payload["d"] = delivery
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def read_token(token: str) -> Unsubscribe:
    """The address, kind and delivery of a token; a forged, altered or malformed one
    raises `DomainError` (pages answer 404)."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        raise DomainError(_("Ссылка для отписки неверна.")) from None
    if not (isinstance(payload, dict) and isinstance(payload.get("e"), str)):
        raise DomainError(_("Ссылка для отписки неверна."))
    delivery = payload.get("d", "")
    return Unsubscribe(
        email=payload["e"],
        kind=str(payload.get("k", "")),
        delivery=delivery if isinstance(delivery, str) else "",
    )


def token_url(token: str) -> str:
    """The absolute one-click address of a token (the site's origin + `/u/<token>/`)."""
    return absolute_url(reverse("unsubscribe", kwargs={"token": token}))


def unsubscribe_url(address: str, *, kind: str, delivery: str = "") -> str:
    """The absolute one-click address for an address and kind."""
    return token_url(unsubscribe_token(address, kind=kind, delivery=delivery))


def token_mailto(token: str) -> str:
    """The RFC 2369 mailto alternative: the unsubscribe mailbox, the token as the subject."""
    _name, mailbox = parseaddr(settings.DOBRY_UNSUBSCRIBE_EMAIL or settings.DEFAULT_FROM_EMAIL)
    return f"mailto:{mailbox}?subject=unsubscribe%20{token}"


def token_headers(token: str) -> dict[str, str]:
    """`List-Unsubscribe` (HTTPS first, then mailto) and `List-Unsubscribe-Post:
    List-Unsubscribe=One-Click` for one token."""
    return {
        "List-Unsubscribe": f"<{token_url(token)}>, <{token_mailto(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def list_headers(address: str, *, kind: str) -> dict[str, str]:
    """The headers of a message of `kind` to `address`: for a non-transactional kind
    `List-Unsubscribe` and `List-Unsubscribe-Post` (`token_headers`); none for a
    transactional one. Sign them with DKIM (`communications.dkim`), or providers ignore
    them."""
    if is_transactional(kind):
        return {}
    return token_headers(unsubscribe_token(address, kind=kind))


def footer_text(url: str) -> str:
    """The visible unsubscribe line at the end of a message's text, in the active
    language."""
    return "\n\n-- \n" + _("Отписаться от писем: %(url)s") % {"url": url}


def unsubscribe_footer(address: str, *, kind: str) -> str:
    """The visible link at the end of a non-transactional message's text (empty otherwise),
    in the active language."""
    if is_transactional(kind):
        return ""
    return footer_text(unsubscribe_url(address, kind=kind))


def html_with_link(html: str, url: str) -> str:
    """The HTML part with the visible unsubscribe link as its last paragraph (inside
    `<body>` when there is one)."""
    before, after = html_link_place(html)
    return before + link_html(url) + after


def link_html(url: str) -> str:
    """The visible unsubscribe link of an HTML part, in the active language."""
    return format_html(
        '<p style="font-size:small;color:#555"><a href="{}">{}</a></p>',
        url,
        _("Отписаться от писем"),
    )


def html_link_place(html: str) -> tuple[str, str]:
    """The HTML before and after the place of the unsubscribe link: just before the last
    `</body>`, or at the end."""
    head, found, tail = html.rpartition("</body>")
    return (head, found + tail) if found else (html, "")


def with_unsubscribe_link(html: str, address: str, *, kind: str) -> str:
    """The HTML part with the visible unsubscribe link; unchanged for a transactional
    kind."""
    if is_transactional(kind):
        return html
    return html_with_link(html, unsubscribe_url(address, kind=kind))


# --- services ------------------------------------------------------------------------


def suppression_add(
    *, address: str, reason: str, source: str = "", actor: object = None
) -> Suppression:
    """Put an address on the city-wide list (idempotent: an address already there keeps its
    first reason, except that a complaint or a hard bounce replaces a softer one)."""
    email = normalise_email(address)
    if reason not in Suppression.Reason.values:
        raise DomainError(
            _("Выберите из списка."), field_errors={"reason": [_("Выберите из списка.")]}
        )
    with transaction.atomic():
        suppression, created = Suppression.objects.get_or_create(
            email=email, defaults={"reason": reason, "source": source[:200]}
        )
        stronger = reason in (Suppression.Reason.COMPLAINT, Suppression.Reason.HARD_BOUNCE)
        if not created and stronger and suppression.reason != reason:
            suppression.reason, suppression.source = reason, source[:200]
            suppression.save(update_fields=["reason", "source"])
        elif not created:
            return suppression
        log_action(
            actor=actor,
            action="suppression.add",
            obj=suppression,
            data={"reason": reason, "source": source[:200]},
        )
    return suppression


def suppression_remove(*, actor: object, suppression: Suppression, why: str) -> None:
    """Staff take an address off the list, saying why (audited). The permission is checked
    by the caller's `get_suppression_for_user`."""
    why = why.strip()
    if not why:
        raise DomainError(_("Проверьте данные."), field_errors={"why": [_("Укажите причину.")]})
    with transaction.atomic():
        log_action(
            actor=actor,
            action="suppression.remove",
            obj=suppression,
            data={"reason": suppression.reason, "why": why[:500]},
        )
        suppression.delete()


def unsubscribe_all(token: Unsubscribe, *, via: str = "one-click") -> Suppression:
    """The one-click POST (or a request by mail, `via="mailto"`): the address goes on the
    city-wide list at once (idempotent); a mailing's message counts the unsubscription in
    the mailing's statistics."""
    with transaction.atomic():
        suppression = suppression_add(
            address=token.email,
            reason=Suppression.Reason.UNSUBSCRIBED,
            source=f"{via}:{token.kind}"[:200],
        )
        if token.delivery:
            feedback.delivery_unsubscribed(token.delivery, token.email)
    return suppression


NEWSLETTER_CONSENT = "newsletter"  # accounts.ConsentDocument.Kind.NEWSLETTER


def suppression_for_withdrawn_consent(*, user: Any, kind: str) -> None:
    """Connected to `accounts.services.CONSENT_WITHDRAWN`: withdrawing the consent to
    mailings puts the person's address on the city-wide list, for every sender."""
    if kind == NEWSLETTER_CONSENT and user.email:
        suppression_add(
            address=user.email,
            reason=Suppression.Reason.CONSENT_WITHDRAWN,
            source="consent",
            actor=user,
        )


def subscriptions_set(*, address: str, keep: dict[str, bool], delivery: str = "") -> None:
    """Stay subscribed to some kinds only: each kind named is kept (True) or dropped
    (False); an unsubscription from everything made by the person themselves is lifted,
    since they chose what to keep. Bounces, complaints and staff entries stay. Dropping
    mailings from a mailing's link (`delivery`) counts in that mailing's statistics."""
    email = normalise_email(address)
    with transaction.atomic():
        if delivery and keep.get(MAILING_KIND) is False:
            feedback.delivery_unsubscribed(delivery, email)
        Suppression.objects.filter(email=email, reason=Suppression.Reason.UNSUBSCRIBED).delete()
        for kind, wanted in keep.items():
            if wanted:
                Unsubscription.objects.filter(email=email, kind=kind).delete()
            else:
                Unsubscription.objects.get_or_create(email=email, kind=kind)
