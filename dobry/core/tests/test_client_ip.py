"""The client's address behind the documented reverse proxy, and only behind a trusted one."""

import ipaddress
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from dobry.accounts.models import ConsentRecord, User
from dobry.core.client_ip import client_ip

PROXY = "127.0.0.1"
TOO_MANY = "Слишком много неудачных попыток входа"
PER_IP = django_settings.DOBRY_LOGIN_FAILURES_PER_IP  # failures a minute from one address


@pytest.fixture
def behind_nginx(settings):
    settings.DOBRY_TRUSTED_PROXIES = (
        ipaddress.ip_network("127.0.0.1/32"),
        ipaddress.ip_network("::1/128"),
        ipaddress.ip_network("10.0.0.0/8"),
    )


def _ip(remote: str, forwarded: str | None = None) -> str | None:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.DOBRY_TRUSTED_PROXIES = ()
    assert _ip("203.0.113.7") == "203.0.113.7"
    assert _ip("203.0.113.7", "198.51.100.1") == "203.0.113.7"
    assert _ip(PROXY, "198.51.100.1") == PROXY


def test_from_a_trusted_proxy_the_client_is_the_address_it_forwarded(behind_nginx):
    assert _ip(PROXY, "198.51.100.9") == "198.51.100.9"
    assert _ip("::1", "2001:db8::5") == "2001:db8::5"


def test_a_spoofed_header_sent_through_the_proxy_is_not_believed(behind_nginx):
    # The client sent "X-Forwarded-For: 6.6.6.6"; nginx appended the address it saw.
    assert _ip(PROXY, "6.6.6.6, 198.51.100.9") == "198.51.100.9"
    assert _ip(PROXY, "10.0.0.1, 198.51.100.9") == "198.51.100.9"


def test_a_request_from_an_untrusted_address_cannot_claim_another(behind_nginx):
    assert _ip("203.0.113.7", "198.51.100.9") == "203.0.113.7"
    assert _ip("203.0.113.7", "127.0.0.1") == "203.0.113.7"


def test_several_trusted_hops_are_skipped_from_the_right(behind_nginx):
    assert _ip(PROXY, "6.6.6.6, 198.51.100.9, 10.0.0.5, 10.1.2.3") == "198.51.100.9"


def test_a_chain_of_trusted_addresses_only_gives_the_left_most(behind_nginx):
    assert _ip(PROXY, "10.0.0.5, 10.0.0.6") == "10.0.0.5"


def test_garbage_in_the_header_stops_at_the_last_address_a_proxy_wrote(behind_nginx):
    assert _ip(PROXY, "not-an-ip") == PROXY
    assert _ip(PROXY, "198.51.100.9, <script>, 10.0.0.5") == "10.0.0.5"
    assert _ip(PROXY, "") == PROXY
    assert _ip(PROXY) == PROXY


def test_ports_brackets_and_mapped_addresses_are_understood(behind_nginx):
    assert _ip(PROXY, "198.51.100.9:5123") == "198.51.100.9"
    assert _ip(PROXY, "[2001:db8::5]:443") == "2001:db8::5"
    assert _ip("::ffff:127.0.0.1", "198.51.100.9") == "198.51.100.9"


def test_a_missing_or_broken_connection_address_gives_none(behind_nginx):
    assert _ip("") is None
    assert _ip("nonsense", "198.51.100.9") is None


# Where the address is used


def _fail_login(client: Client, number: int, **headers) -> str:
    response = client.post(
        "/accounts/login/",
        {"login": f"nobody{number}@example.org", "password": "wrong"},
        **headers,
    )
    return response.content.decode()


@pytest.mark.django_db
def test_behind_the_proxy_one_clients_failed_logins_do_not_block_another(behind_nginx):
    for number in range(PER_IP):
        _fail_login(Client(), number, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    blocked = _fail_login(
        Client(), PER_IP + 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert TOO_MANY in blocked
    other = _fail_login(
        Client(), PER_IP + 2, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert TOO_MANY not in other


@pytest.mark.django_db
def test_without_the_setting_the_proxy_address_is_shared_by_everyone(settings):
    """The fault the setting removes: failures from anywhere block everyone."""
    settings.DOBRY_TRUSTED_PROXIES = ()
    for number in range(PER_IP):
        _fail_login(Client(), number, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = _fail_login(
        Client(), PER_IP + 2, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2"
    )
    assert TOO_MANY in other


@pytest.mark.django_db
def test_a_direct_attacker_cannot_dodge_the_limit_with_a_made_up_header(behind_nginx):
    for number in range(PER_IP):
        _fail_login(
            Client(), number, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"6.6.6.{number}"
        )
    blocked = _fail_login(
        Client(), PER_IP + 1, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="6.6.6.99"
    )
    assert TOO_MANY in blocked


@pytest.mark.django_db
def test_signup_consents_record_the_clients_address_behind_the_proxy(behind_nginx):
    response = Client().post(
        "/accounts/signup/",
        {
            "first_name": "Мария",
            "last_name": "Волонтёрова",
            "email": "maria@example.org",
            "password1": "Sibir-2026-dobro",
            "password2": "Sibir-2026-dobro",
            "consent_personal_data": "on",
            "consent_terms": "on",
        },
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9",
    )
    assert response.status_code == 302
    user = User.objects.get(email="maria@example.org")
    addresses = set(ConsentRecord.objects.filter(user=user).values_list("ip_address", flat=True))
    assert addresses == {"198.51.100.9"}


def test_a_consent_given_later_records_the_clients_address(behind_nginx, resident):
    client = Client()
    client.force_login(resident)
    client.post(
        "/profile/consents/newsletter/give/",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    record = ConsentRecord.objects.get(user=resident, document__kind="newsletter")
    assert record.ip_address == "198.51.100.9"


def test_a_consent_from_an_untrusted_address_records_that_address(settings, resident):
    settings.DOBRY_TRUSTED_PROXIES = ()
    client = Client()
    client.force_login(resident)
    client.post(
        "/profile/consents/newsletter/give/",
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    record = ConsentRecord.objects.get(user=resident, document__kind="newsletter")
    assert record.ip_address == "203.0.113.7"


def test_no_code_reads_the_address_but_the_helper():
    """REMOTE_ADDR and X-Forwarded-For are read in one place (and allauth asks it too)."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "client_ip.py"
        and ("REMOTE_ADDR" in (text := path.read_text()) or "FORWARDED_FOR" in text)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_an_offices_nat_address_is_not_locked_out_by_a_few_typos(behind_nginx):
    """Eleven colleagues behind one address each mistype once (it blocked everyone at ten)."""
    assert PER_IP >= 30
    for number in range(11):
        _fail_login(Client(), number, REMOTE_ADDR="203.0.113.7")
    assert TOO_MANY not in _fail_login(Client(), 99, REMOTE_ADDR="203.0.113.7")


@pytest.mark.django_db
def test_one_account_tried_from_many_addresses_is_limited(behind_nginx):
    def fail(address: str) -> str:
        response = Client().post(
            "/accounts/login/",
            {"login": "victim@example.org", "password": "guess"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=address,
        )
        return response.content.decode()

    for number in range(5):
        assert TOO_MANY not in fail(f"198.51.100.{number}")
    assert TOO_MANY in fail("198.51.100.200")
    assert TOO_MANY not in _fail_login(
        Client(), 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.200"
    )


def test_the_account_limit_also_holds_over_an_hour():
    assert django_settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[1:] == [
        "5/5m/key",
        "20/h/key",
    ]
