"""A signed-in person's stored language wins over the browser's (issue 11 §4: `PATCH
/api/v1/me {"language": "en"}` was stored, yet pages followed Accept-Language)."""

import pytest

from dobry.accounts.tests.factories import UserFactory, bearer

pytestmark = pytest.mark.django_db

ENGLISH, RUSSIAN = 'lang="en"', 'lang="ru"'


def _home(client, accept: str) -> str:
    return client.get("/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()


def test_the_language_stored_by_the_api_is_the_language_of_the_pages(client):
    person = UserFactory(language="ru")
    response = bearer(person).patch(
        "/api/v1/me", {"language": "en"}, content_type="application/json"
    )
    assert response.status_code == 200
    client.force_login(person)
    assert ENGLISH in _home(client, "ru-RU,ru;q=0.9")


def test_a_person_who_keeps_russian_gets_russian_whatever_the_browser_says(client):
    client.force_login(UserFactory(language="ru"))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert RUSSIAN in page.content.decode()
    assert page["Content-Language"] == "ru"


def test_anonymous_visitors_follow_the_browser(client):
    assert ENGLISH in _home(client, "en-US,en;q=0.9")
    assert RUSSIAN in _home(client, "ru-RU")


def test_api_errors_in_a_session_follow_the_stored_language(client):
    client.force_login(UserFactory(language="en"))
    refused = client.patch(
        "/api/v1/me",
        {"language": "de"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert refused.status_code == 422
    assert "Язык" not in refused.json()["message"]


def test_the_header_switch_stores_a_signed_in_persons_choice(client):
    person = UserFactory(language="ru")
    client.force_login(person)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.language == "en"
    assert ENGLISH in _home(client, "ru")
