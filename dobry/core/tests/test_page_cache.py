"""Whole public pages kept for anonymous visitors (`dobry.core.page_cache`, issue 17): served
again without a query until the next write, never to the signed-in, never with another
visitor's CSRF token, per language and mode for the visually impaired."""

import re

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dobry.accounts.tests.factories import UserFactory
from dobry.core import accessibility
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.DOBRY_PAGE_CACHE_SECONDS = 300
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def _queries(client: Client, path: str, **extra: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.django_db(transaction=True)  # writes commit, as in production
def test_a_kept_page_is_served_without_a_query_until_a_write():
    OrganizationFactory(short_name="Фонд Первый")
    client = Client()
    first, page = _queries(client, "/organizations/")
    again, kept = _queries(client, "/organizations/")
    assert first > 0
    assert again == 0
    assert TOKEN.sub("", kept) == TOKEN.sub("", page)
    OrganizationFactory(short_name="Фонд Второй")  # a write: every kept page is stale
    _count, fresh = _queries(client, "/organizations/")
    assert "Второй" in fresh


@pytest.mark.django_db(transaction=True)
def test_pages_are_forgotten_when_the_write_commits_not_before(monkeypatch):
    """A visitor served while the writer's transaction is still open reads the old rows;
    had the generation moved already, that old page would be kept under the new one."""
    from django.db import transaction

    from dobry.core import page_cache

    OrganizationFactory(short_name="Фонд Первый")
    client = Client()
    client.get("/organizations/")
    calls = []
    monkeypatch.setattr(page_cache, "forget", lambda: calls.append(1))
    with transaction.atomic():
        for name in ("Второй", "Третий", "Четвёртый"):
            OrganizationFactory(short_name=f"Фонд {name}")
        assert calls == []  # not yet committed
    assert calls == [1]  # once, for the transaction's three writes


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_forgets_nothing_and_the_next_one_does():
    from django.db import transaction

    from dobry.core import page_cache

    def write_then_fail() -> None:
        with transaction.atomic():
            OrganizationFactory()
            raise RuntimeError("rolled back")

    page_cache.forget()
    before = caches["pages"].get(page_cache.GENERATION_KEY)
    with pytest.raises(RuntimeError):
        write_then_fail()
    assert caches["pages"].get(page_cache.GENERATION_KEY) == before
    with transaction.atomic():
        OrganizationFactory()
    assert caches["pages"].get(page_cache.GENERATION_KEY) != before


def test_a_bulk_update_sends_no_signal_and_shows_once_the_cache_is_forgotten():
    """The negative control: the cache is really in the way of an unsignalled change."""
    from dobry.core import page_cache

    organization = OrganizationFactory(name="Фонд «Старое имя»")
    client = Client()
    assert "Старое имя" in client.get(f"/organizations/{organization.pk}/").content.decode()
    Organization.objects.filter(pk=organization.pk).update(name="Фонд «Новое имя»")
    assert "Старое имя" in client.get(f"/organizations/{organization.pk}/").content.decode()
    page_cache.forget()
    assert "Новое имя" in client.get(f"/organizations/{organization.pk}/").content.decode()


def test_each_visitor_gets_a_token_of_their_own_that_the_csrf_check_accepts():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = first.get("/").content.decode()
    kept = second.get("/").content.decode()
    mine, theirs = TOKEN.search(page), TOKEN.search(kept)
    assert mine is not None
    assert theirs is not None
    assert mine.group(1) != theirs.group(1)
    assert "\x00" not in kept
    assert "csrftoken" in second.cookies  # the served copy sets the visitor's cookie
    answer = second.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": theirs.group(1)}
    )
    assert answer.status_code == 302  # accepted: not a 403 CSRF failure


def test_the_signed_in_never_get_or_leave_a_kept_page():
    logout = 'action="/accounts/logout/"'
    anonymous = Client()
    anonymous.get("/")
    signed_in = Client()
    signed_in.force_login(UserFactory())
    count, page = _queries(signed_in, "/")
    assert count > 0
    assert logout in page
    assert logout not in anonymous.get("/").content.decode()


def test_an_api_token_holder_is_not_served_a_kept_answer():
    client = Client()
    client.get("/api/v1/organizations")
    again, _body = _queries(client, "/api/v1/organizations")
    assert again == 0  # anonymous: kept
    with CaptureQueriesContext(connection) as captured:
        client.get("/api/v1/organizations", HTTP_AUTHORIZATION="Bearer nothing")
    assert len(captured) > 0  # the token is looked up: the API answers it itself


def test_languages_and_the_mode_for_the_visually_impaired_are_kept_apart():
    client = Client()
    russian = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="ru"' in russian
    assert 'lang="en"' in english
    client.cookies[accessibility.COOKIE] = accessibility.LowVision(enabled=True).encode()
    low_vision = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "lv-size-" in low_vision
    assert "lv-size-" not in russian


def test_not_found_and_other_paths_are_not_mixed():
    OrganizationFactory(name="Фонд «Первый»")
    client = Client()
    assert client.get("/organizations/999999/").status_code == 404
    first = client.get("/organizations/?q=Первый").content.decode()
    other = client.get("/organizations/?q=нет такого").content.decode()
    assert "Первый" in first
    assert "Первый" not in other.split("<main", 1)[1]


def test_off_keeps_nothing(settings):
    settings.DOBRY_PAGE_CACHE_SECONDS = 0
    client = Client()
    client.get("/organizations/")
    again, _page = _queries(client, "/organizations/")
    assert again > 0


def test_many_addresses_kept_never_push_the_rest_of_the_cache_out(monkeypatch):
    """Cache stuffing: `?x=1`, `?x=2`… are each a page kept; however many, they must not
    evict what else is cached (the login rate limits, the mailings' sending limit)."""
    monkeypatch.setattr(caches["default"], "_max_entries", 10)  # 300 by default: quicker
    cache.set("accounts:rate-limit", 5, 300)
    client = Client()
    for number in range(15):  # more than the cache's entries
        client.get(f"/news/?x={number}")
    assert cache.get("accounts:rate-limit") == 5
