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


# --- bearer tokens: the same rule as sessions (attacker's finding of issue 11) -------------


def test_token_api_errors_follow_the_stored_language_over_accept_language():
    refused = bearer(UserFactory(language="en")).patch(
        "/api/v1/me",
        {"language": "de"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert refused.status_code == 422
    assert "Язык" not in refused.json()["message"]
    assert refused["Content-Language"] == "en"


def test_token_answers_follow_a_stored_russian_over_an_english_browser():
    refused = bearer(UserFactory(language="ru")).patch(
        "/api/v1/me",
        {"language": "de"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    assert refused.status_code == 422
    assert refused["Content-Language"] == "ru"
    english = bearer(UserFactory(language="en")).patch(
        "/api/v1/me",
        {"language": "de"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9",
    )
    assert refused.json()["message"] != english.json()["message"]


def test_a_token_call_answers_in_the_stored_language_on_a_public_endpoint_too():
    """`OPTIONAL_AUTH` endpoints know the token's person: a 404's message in English."""
    missing = bearer(UserFactory(language="en")).get(
        "/api/v1/organizations/999999", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert missing.status_code == 404
    assert missing["Content-Language"] == "en"


def test_a_token_call_does_not_change_the_language_of_the_next_anonymous_request(client):
    bearer(UserFactory(language="en")).get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="ru")
    assert RUSSIAN in _home(client, "ru-RU")
