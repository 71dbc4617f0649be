"""Mail sent by django-allauth (signup confirmation, password reset, a reset asked for an
unknown address) links to the configured site address (DOBRY_SITE_URL), like the
platform's own mail: never to the host a request came with."""

import re

import pytest
from django.core import mail
from django.test import Client

from dobry.accounts.tests.test_signup import FORM

SITE = "https://dobry.example.org"
LINK = re.compile(r"https?://\S+")


@pytest.fixture
def foreign_host(settings):
    """The site is configured at SITE; requests arrive with another Host header."""
    settings.DOBRY_SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["*"]
    return Client(HTTP_HOST="attacker.example")


def links(message) -> list[str]:
    return LINK.findall(message.body)


def test_a_password_reset_link_starts_with_the_configured_address(foreign_host, resident):
    response = foreign_host.post("/accounts/password/reset/", {"email": resident.email})
    assert response.status_code == 302
    message = mail.outbox[-1]
    [link] = links(message)
    assert link.startswith(f"{SITE}/accounts/password/reset/key/")
    assert "attacker.example" not in message.body + message.subject


def test_the_reset_link_on_the_configured_address_sets_a_new_password(foreign_host, resident):
    foreign_host.post("/accounts/password/reset/", {"email": resident.email})
    path = links(mail.outbox[-1])[0].removeprefix(SITE)
    page = Client().get(path, follow=True)
    assert page.status_code == 200
    assert 'name="password1"' in page.content.decode()


@pytest.mark.django_db
def test_a_reset_for_an_unknown_address_offers_signup_on_the_configured_address(foreign_host):
    foreign_host.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    message = mail.outbox[-1]
    assert links(message) == [f"{SITE}/accounts/signup/"]
    assert "nobody@example.org" in message.body


@pytest.mark.django_db
def test_the_signup_confirmation_link_starts_with_the_configured_address(foreign_host):
    assert foreign_host.post("/accounts/signup/", FORM).status_code == 302
    message = mail.outbox[-1]
    [link] = links(message)
    assert link.startswith(f"{SITE}/accounts/confirm-email/")
    assert "attacker.example" not in message.body + message.subject


@pytest.mark.django_db
def test_allauth_mail_names_the_configured_site(foreign_host, settings):
    settings.DOBRY_SITE_NAME = "Добрый Зеленогорск"
    foreign_host.post("/accounts/signup/", FORM)
    message = mail.outbox[-1]
    assert message.subject.startswith("[Добрый Зеленогорск] ")
    assert "Добрый Зеленогорск" in message.body
    assert "dobry.example.org" in message.body
