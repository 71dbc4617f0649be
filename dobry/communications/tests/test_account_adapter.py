"""allauth's mail goes through the outbox (the links themselves: accounts/tests/
test_account_email_links.py); its `next`, client address and new users' language follow
the site's own rules."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from dobry.accounts.models import User
from dobry.communications.account_adapter import AccountAdapter, on_site
from dobry.communications.models import OutboundEmail

SITE = "https://dobry.example.org"


@pytest.fixture
def site(settings):
    settings.DOBRY_SITE_URL = SITE
    settings.DOBRY_SITE_NAME = "Добрый город"


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        ("http://attacker.example/accounts/confirm/abc/", f"{SITE}/accounts/confirm/abc/"),
        ("http://attacker.example:8080/a/?next=/b/#top", f"{SITE}/a/?next=/b/#top"),
        ("https://attacker.example", f"{SITE}/"),
        ("https://attacker.example?x=1", f"{SITE}/?x=1"),
    ],
)
def test_a_link_built_from_the_request_moves_onto_the_site_keeping_its_path(site, built, expected):
    assert on_site(built) == expected


@pytest.mark.django_db
def test_allauth_mail_is_queued_under_a_fresh_key_with_the_brand_in_the_subject(site):
    adapter = AccountAdapter()
    request = RequestFactory().get("/", HTTP_HOST="attacker.example")
    for _attempt in range(2):
        adapter.send_mail(
            "account/email/password_reset_key",
            "a@example.org",
            {
                "request": request,
                "password_reset_url": "http://attacker.example/accounts/password/reset/key/1-x/",
            },
        )
    emails = list(OutboundEmail.objects.order_by("pk"))
    assert len(emails) == 2  # two asks, two emails: an account mail is never deduplicated
    assert len({e.key for e in emails}) == 2
    assert all(e.key.startswith("account:password_reset_key:") for e in emails)
    assert emails[0].to == "a@example.org"
    assert emails[0].user is None
    assert emails[0].subject.startswith("[Добрый город] ")
    assert f"{SITE}/accounts/password/reset/key/1-x/" in emails[0].body_text
    assert "attacker.example" not in emails[0].body_text


@pytest.mark.parametrize(("language", "expected"), [("en", "en"), ("ru", "ru"), (None, "ru")])
def test_a_new_user_gets_the_language_they_signed_up_in(language, expected):
    request = RequestFactory().post("/accounts/signup/")
    if language is not None:
        request.LANGUAGE_CODE = language
    user = User(email="new@example.org")
    form = type("Form", (), {"cleaned_data": {"email": "new@example.org"}})()
    AccountAdapter().save_user(request, user, form, commit=False)
    assert user.language == expected


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("203.0.113.7", "", "203.0.113.7"),
        ("10.0.0.2", "198.51.100.4", "198.51.100.4"),  # behind the trusted proxy
        ("198.51.100.9", "1.2.3.4", "198.51.100.9"),  # an untrusted sender's header ignored
    ],
)
def test_rate_limits_count_by_the_real_client(settings, remote, forwarded, expected):
    from ipaddress import ip_network

    settings.DOBRY_TRUSTED_PROXIES = [ip_network("10.0.0.0/8")]
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert AccountAdapter().get_client_ip(request) == expected


@pytest.mark.parametrize("remote", ["", "not-an-address"])
def test_a_request_without_a_client_address_is_refused(remote):
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    with pytest.raises(PermissionDenied):
        AccountAdapter().get_client_ip(request)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("/events/", True),
        ("/accounts/login/?next=/x/", True),
        ("https://attacker.example/", False),
        ("//attacker.example/", False),
        ("javascript:alert(1)", False),
    ],
)
def test_allauths_next_follows_the_sites_redirect_rule(client, url, safe):
    """Logging in with `next` lands on the site only."""
    from dobry.accounts.tests.factories import PASSWORD, UserFactory

    user = UserFactory()
    response = client.post(
        f"/accounts/login/?next={url}", {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert (response["Location"] == url) is safe
    if not safe:
        assert "attacker" not in response["Location"]
