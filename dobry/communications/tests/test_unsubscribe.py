"""One-click unsubscribe (RFC 8058): the headers and the visible link on every message that
is not transactional, the POST that unsubscribes without login or CSRF token, the page that
keeps some kinds, and the one suppression list every sender obeys."""

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from dobry.accounts.models import ConsentDocument
from dobry.accounts.services import consent_accept, consent_withdraw
from dobry.communications.models import OutboundEmail, Suppression, Unsubscription
from dobry.communications.services import email_queue
from dobry.communications.unsubscribe import (
    TOKEN_SALT,
    TRANSACTIONAL_KINDS,
    list_headers,
    may_mail,
    read_token,
    suppression_add,
    unsubscribe_token,
)
from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db

ORGANISER = "organiser_message"  # an organisation writing to the people registered
ADDRESS = "Anna@Example.org"


def one_click(token: str) -> Client:
    """What a mail provider does: a POST with the RFC 8058 body, no cookie, no CSRF token."""
    client = Client(enforce_csrf_checks=True)
    return client.post(
        reverse("unsubscribe", args=[token]),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )


def test_the_one_click_post_unsubscribes_without_login_or_csrf_and_is_idempotent():
    token = unsubscribe_token(ADDRESS, kind=ORGANISER)
    first = one_click(token)
    assert first.status_code == 200
    assert "Вы отписаны" in first.content.decode()
    [row] = Suppression.objects.all()
    assert (row.email, row.reason, row.source) == (
        "anna@example.org",
        Suppression.Reason.UNSUBSCRIBED,
        "one-click:organiser_message",
    )
    assert one_click(token).status_code == 200
    assert Suppression.objects.count() == 1
    assert AuditEntry.objects.filter(action="suppression.add").count() == 1
    assert not may_mail("anna@example.org", kind=ORGANISER)


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        signing.dumps({"e": "victim@example.org", "k": ORGANISER}, salt="another.salt"),
        signing.dumps({"e": "victim@example.org", "k": ORGANISER}),  # no salt
    ],
)
def test_a_forged_token_is_a_404_and_changes_nothing(token):
    assert one_click(token).status_code == 404
    assert Client().get(reverse("unsubscribe", args=[token])).status_code == 404
    assert not Suppression.objects.exists()


def test_a_token_cannot_be_turned_to_another_address():
    token = unsubscribe_token("anna@example.org", kind=ORGANISER)
    _value, timestamp, signature = token.rsplit(":", 2)
    other = signing.dumps({"e": "boris@example.org", "k": ORGANISER}, salt=TOKEN_SALT)
    forged = f"{other.rsplit(':', 2)[0]}:{timestamp}:{signature}"
    with pytest.raises(DomainError):
        read_token(forged)
    assert read_token(token).email == "anna@example.org"
    assert one_click(forged).status_code == 404
    assert not Suppression.objects.exists()


def test_the_page_offers_the_button_and_the_kinds_to_keep():
    token = unsubscribe_token(ADDRESS, kind=ORGANISER)
    page = Client().get(reverse("unsubscribe", args=[token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Отписаться от всех писем" in html
    assert 'name="organiser_message"' in html
    assert 'name="weekly_digest"' in html
    assert 'name="help_request_status"' not in html  # transactional: not offered
    assert not Suppression.objects.exists()  # reading the page writes nothing


def test_keeping_some_kinds_unsubscribes_from_the_others_and_lifts_the_one_click():
    token = unsubscribe_token(ADDRESS, kind=ORGANISER)
    one_click(token)
    response = Client(enforce_csrf_checks=True).post(
        reverse("unsubscribe_keep", args=[token]), {"weekly_digest": "on"}
    )
    assert response.status_code == 200
    assert not Suppression.objects.exists()
    assert may_mail(ADDRESS, kind="weekly_digest")
    assert not may_mail(ADDRESS, kind=ORGANISER)
    assert Unsubscription.objects.filter(email="anna@example.org", kind=ORGANISER).exists()


def test_keeping_kinds_never_lifts_a_bounce_or_a_complaint():
    suppression_add(address=ADDRESS, reason=Suppression.Reason.COMPLAINT, source="webhook")
    token = unsubscribe_token(ADDRESS, kind=ORGANISER)
    Client().post(reverse("unsubscribe_keep", args=[token]), {"weekly_digest": "on"})
    assert not may_mail(ADDRESS, kind="weekly_digest")


def test_a_message_that_is_not_transactional_carries_the_headers_and_the_link(settings):
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    email_queue(key="m1", to=ADDRESS, subject="Тема", body_text="Текст", kind=ORGANISER)
    [message] = mail.outbox
    https, mailto = message.extra_headers["List-Unsubscribe"].split(", ")
    assert https.startswith("<https://dobry.example.org/u/")
    assert https.endswith("/>")
    assert mailto.startswith("<mailto:")
    assert mailto.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert https[1:-1] in message.body
    token = https[1:-1].rsplit("/u/", 1)[1].rstrip("/")
    assert read_token(token).email == "anna@example.org"
    assert read_token(token).kind == ORGANISER


@pytest.mark.parametrize("kind", ["account", "consent_code", "help_request_status"])
def test_a_transactional_message_carries_no_unsubscribe_and_reaches_a_suppressed_address(kind):
    suppression_add(address=ADDRESS, reason=Suppression.Reason.UNSUBSCRIBED)
    email = email_queue(key="t1", to=ADDRESS, subject="Тема", body_text="Текст", kind=kind)
    email.refresh_from_db()
    assert email.state == OutboundEmail.State.SENT
    [message] = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
    assert message.body == "Текст"
    assert list_headers(ADDRESS, kind=kind) == {}


def test_an_organisations_message_to_a_suppressed_address_is_not_sent():
    suppression_add(address="anna@example.org", reason=Suppression.Reason.UNSUBSCRIBED)
    email = email_queue(key="o1", to=ADDRESS, subject="Тема", body_text="Текст", kind=ORGANISER)
    invitation = email_queue(
        key="o2", to="ANNA@example.org", subject="Т", body_text="Т", kind="membership_invited"
    )
    for row in (email, invitation):
        row.refresh_from_db()
        assert row.state == OutboundEmail.State.SUPPRESSED
    assert mail.outbox == []


def test_withdrawing_the_mailing_consent_suppresses_the_address(resident):
    record = consent_accept(user=resident, kind=ConsentDocument.Kind.NEWSLETTER, ip_address=None)
    consent_withdraw(user=resident, record=record)
    row = Suppression.objects.get(email=resident.email.lower())
    assert row.reason == Suppression.Reason.CONSENT_WITHDRAWN
    assert not may_mail(resident.email, kind="weekly_digest")
    assert may_mail(resident.email, kind="account")


def test_every_transactional_kind_is_a_registered_one():
    from dobry.communications.kinds import KINDS

    pseudo = {"", "account", "consent_code"}
    assert TRANSACTIONAL_KINDS - pseudo <= set(KINDS)


def test_the_html_part_carries_the_visible_link_inside_its_body(settings):
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    html = "<html><body><p>Новости</p></body></html>"
    email_queue(key="h1", to=ADDRESS, subject="Т", body_text="Т", body_html=html, kind=ORGANISER)
    [message] = mail.outbox
    [(part, _type)] = message.alternatives
    assert part.startswith("<html><body><p>Новости</p><p ")
    assert part.endswith("Отписаться от писем</a></p></body></html>")
    assert 'href="https://dobry.example.org/u/' in part
