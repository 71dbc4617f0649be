"""A shared link shows a card: news, events and competitions carry Open Graph and Twitter
tags from one include — the title, the lead, the cover (absolute URLs on the configured
site), the page's own URL, the type and the card's size."""

import re

import pytest

from dobry.events.tests.factories import EventFactory
from dobry.grants.tests.factories import open_competition

from .factories import NewsItemFactory, png

pytestmark = pytest.mark.django_db
SITE = "https://dobry.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.DOBRY_SITE_URL = SITE


def card(html: str) -> dict[str, str]:
    tags = re.findall(
        r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)">', html
    )
    return dict(tags)


def test_a_news_item_without_a_cover_has_a_summary_card(client):
    item = NewsItemFactory(title="Итоги года", lead="Спасибо всем, кто помогал.")
    found = card(client.get(item.get_absolute_url()).content.decode())
    assert found == {
        "og:type": "article",
        "og:title": "Итоги года",
        "og:description": "Спасибо всем, кто помогал.",
        "og:url": f"{SITE}/news/{item.pk}/",
        "og:site_name": "Добрый Железногорск",
        "og:locale": "ru_RU",
        "twitter:card": "summary",
        "twitter:title": "Итоги года",
        "twitter:description": "Спасибо всем, кто помогал.",
    }


def test_an_event_card_has_its_summary_and_cover(client):
    event = EventFactory(title="Чистый берег", summary="Убираем берег Енисея")
    event.cover.save("cover.png", png(), save=True)
    found = card(client.get(event.get_absolute_url()).content.decode())
    assert found["og:title"] == "Чистый берег"
    assert found["og:description"] == "Убираем берег Енисея"
    assert found["og:url"] == f"{SITE}/events/{event.pk}/"
    assert found["og:image"] == f"{SITE}{event.cover.url}"
    assert found["og:type"] == "article"
    assert found["twitter:card"] == "summary_large_image"


def test_a_competition_card_says_when_it_takes_applications(client, official):
    competition = open_competition(official)
    found = card(client.get(competition.get_absolute_url()).content.decode())
    assert found["og:title"] == "Конкурс «Добрые дела»"
    assert found["og:description"].startswith("Конкурс для СО НКО: приём заявок ")
    assert found["og:url"] == f"{SITE}/grants/{competition.pk}/"
    assert found["twitter:card"] == "summary"


def test_a_long_lead_is_shortened_at_a_word(client):
    item = NewsItemFactory(lead=("слово " * 66).strip())  # 395 of the 400 a lead may hold
    description = card(client.get(item.get_absolute_url()).content.decode())["og:description"]
    assert len(description) <= 300
    assert description.endswith("слово…")


def test_the_card_in_english(client):
    item = NewsItemFactory()
    html = client.get(item.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert card(html)["og:locale"] == "en_US"
