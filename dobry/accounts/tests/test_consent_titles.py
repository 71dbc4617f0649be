"""A consent document's title is read in the reader's language: the built-in texts' titles
are stored in Russian (the source), and an English page showed them so (issue 11 §6)."""

import pytest
from django.test import Client
from django.utils import translation

from dobry.accounts.models import ConsentDocument
from dobry.accounts.services import consent_documents_publish_defaults

pytestmark = pytest.mark.django_db
ENGLISH = {
    "personal_data": "Consent to personal data processing",
    "terms": "Platform terms of use",
    "health_data": "Consent to processing health data",
}


@pytest.mark.parametrize(("kind", "title"), ENGLISH.items())
def test_an_english_page_shows_a_built_in_consents_title_in_english(kind, title):
    consent_documents_publish_defaults()
    document = ConsentDocument.objects.filter(kind=kind).order_by("-version").first()
    page = Client().get(f"/consents/{kind}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"<h1>{title}</h1>" in page
    assert f"<h1>{document.title}</h1>" not in page
    assert f"<title>{title} — " in page
    russian = Client().get(f"/consents/{kind}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert f"<h1>{document.title}</h1>" in russian


def test_the_signup_page_in_english_names_the_consents_in_english():
    consent_documents_publish_defaults()
    page = Client().get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Consent to personal data processing" in page
    assert "Согласие на обработку персональных данных" not in page


def test_an_operators_own_title_is_shown_as_written():
    document = ConsentDocument.objects.create(
        kind="terms", version=99, title="Правила «Доброго Железногорска»", text="Текст"
    )
    with translation.override("en"):
        assert document.shown_title == "Правила «Доброго Железногорска»"


def test_a_built_in_title_follows_the_active_language():
    consent_documents_publish_defaults()
    document = ConsentDocument.objects.get(kind="newsletter", version=1)
    with translation.override("en"):
        english = document.shown_title
    with translation.override("ru"):
        assert document.shown_title == document.title
    assert english != document.title
