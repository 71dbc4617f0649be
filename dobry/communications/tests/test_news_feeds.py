"""RSS 2.0 and Atom feeds of the city's news and of one organisation's: valid per a feed
parser (`feedparser`, bozo 0), absolute links on the configured site, the published items
only, newest first."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from dobry.communications.models import NewsItem
from dobry.core.site import uid_domain
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

from .factories import NewsItemFactory, organization_item, png

pytestmark = pytest.mark.django_db

SITE = "https://dobry.example.org"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.DOBRY_SITE_URL = SITE


def parsed(client, url: str, content_type: str):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize(
    ("url", "version", "content_type"),
    [
        ("/news/rss/", "rss20", "application/rss+xml"),
        ("/news/atom/", "atom10", "application/atom+xml"),
    ],
)
def test_the_citys_feed_is_valid_and_carries_the_published_items(
    client, url, version, content_type
):
    now = timezone.now()
    organization = OrganizationFactory(short_name="Тёплый дом")
    first = NewsItemFactory(
        title="Итоги «Доброго марафона»",
        lead="Собрали 120 000 ₽ & 300 кг вещей <спасибо>",
        body='<p>Подробности на <a href="https://example.org/">сайте</a>.</p>',
        published_at=now - timedelta(days=1),
        tags=["марафон"],
    )
    second = organization_item(organization, title="Ярмарка", published_at=now)
    second.cover.save("cover.png", png(), save=False)
    second.cover_alt = "Прилавки ярмарки"
    second.save()
    NewsItemFactory(title="Черновик", status=NewsItem.Status.DRAFT)
    NewsItemFactory(title="На модерации", status=NewsItem.Status.MODERATION)
    feed = parsed(client, url, content_type)
    assert feed.version == version
    assert feed.feed.link == f"{SITE}/news/"
    assert [entry.title for entry in feed.entries] == ["Ярмарка", "Итоги «Доброго марафона»"]
    assert [entry.link for entry in feed.entries] == [
        f"{SITE}/news/{second.pk}/",
        f"{SITE}/news/{first.pk}/",
    ]
    entry = feed.entries[1]
    assert entry.id == f"tag:{uid_domain()},2024:news-{first.pk}"  # not the address
    assert "Собрали 120 000 ₽ &amp; 300 кг вещей &lt;спасибо&gt;" in entry.summary
    assert 'href="https://example.org/"' in entry.summary
    assert [tag.term for tag in entry.tags] == ["марафон"]
    assert entry.published_parsed is not None
    enclosures = [link for link in feed.entries[0].links if link.rel == "enclosure"]
    assert enclosures[0].href == f"{SITE}{second.cover.url}"
    assert enclosures[0].type == "image/png"
    # every link is on the configured site, none on the host the request named
    assert "testserver" not in str(feed)


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_an_organisations_feed_has_its_items_only(client, kind):
    organization = OrganizationFactory(short_name="Тёплый дом")
    organization_item(organization, title="Наша")
    organization_item(organization, title="Снятая", status=NewsItem.Status.ARCHIVED)
    organization_item(OrganizationFactory(), title="Чужая")
    NewsItemFactory(title="Городская")
    feed = parsed(
        client,
        f"/news/organizations/{organization.pk}/{kind}/",
        f"application/{kind}+xml",
    )
    assert [entry.title for entry in feed.entries] == ["Наша"]
    assert "Тёплый дом" in feed.feed.title
    assert feed.feed.link == f"{SITE}/news/?organization={organization.pk}"


def test_an_unknown_or_hidden_organisation_has_no_feed(client):
    returned = OrganizationFactory(status=Organization.Status.RETURNED)
    assert client.get("/news/organizations/999999/rss/").status_code == 404
    assert client.get(f"/news/organizations/{returned.pk}/atom/").status_code == 404


def test_an_empty_feed_is_still_valid(client):
    feed = parsed(client, "/news/rss/", "application/rss+xml")
    assert feed.entries == []


def test_the_feed_page_links_its_feeds(client):
    html = client.get("/news/").content.decode()
    assert 'type="application/rss+xml"' in html
    assert 'href="/news/atom/"' in html


@pytest.mark.parametrize("count", [1, 20])
def test_a_feed_has_a_fixed_query_count(client, django_assert_max_num_queries, count):
    for number in range(count):
        NewsItemFactory(tags=[f"t{number % 4}"])
    with django_assert_max_num_queries(3):
        assert client.get("/news/rss/").status_code == 200
