"""Every email django-allauth sends (signup confirmation, password reset, codes, security
notices, two-factor notices) names the configured brand (DOBRY_SITE_NAME) in its subject and
greeting, never an empty site name («Вас приветствует !») or the server's host."""

from pathlib import Path

import allauth
import pytest
from allauth.account.adapter import get_adapter
from allauth.core import context
from django.core import mail
from django.test import RequestFactory

from dobry.accounts.tests.factories import UserFactory

BRAND = "Добрый Зеленогорск"
TEMPLATES = Path(allauth.__file__).parent / "templates"


def prefixes() -> list[str]:
    return sorted(
        str(path.relative_to(TEMPLATES)).removesuffix("_subject.txt")
        for folder in ("account/email", "mfa/email")
        for path in (TEMPLATES / folder).glob("*_subject.txt")
    )


def test_every_allauth_mail_is_covered():
    assert {"account/email/email_confirmation_signup", "account/email/password_reset_key"} <= set(
        prefixes()
    )
    assert len(prefixes()) >= 15


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", prefixes())
def test_an_allauth_mail_names_the_brand(settings, prefix):
    settings.DOBRY_SITE_NAME = BRAND
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    user = UserFactory(first_name="Анна")
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:8100")
    request.user = user
    values = {
        "user": user,
        "code": "123456",
        "activate_url": "http://127.0.0.1:8100/accounts/confirm-email/key/",
        "password_reset_url": "http://127.0.0.1:8100/accounts/password/reset/key/x/",
        "signup_url": "http://127.0.0.1:8100/accounts/signup/",
        "key": "key",
    }
    with context.request_context(request):
        get_adapter(request).send_mail(prefix, user.email, values)
    [message] = mail.outbox
    assert message.subject.startswith(f"[{BRAND}] ")
    assert "127.0.0.1" not in message.subject + message.body
    assert " !" not in message.body
    assert "на сайте ." not in message.body
    assert f"Вас приветствует {BRAND}!" in message.body
