"""After a person erases their account the city-wide list still refuses every address they
used — without keeping it: each becomes its keyed hash, the source typed with it goes, and
their unsubscriptions and bounce scores are deleted; the lists of others stay as they were.
A news item whose cover file is gone keeps the feed whole (no enclosure for it)."""

from decimal import Decimal

import feedparser
import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from dobry.communications import privacy
from dobry.communications.mailings import policy
from dobry.communications.models import BounceScore, Suppression, Unsubscription
from dobry.communications.tests.factories import NewsItemFactory, png
from dobry.communications.tests.mailing_factories import subscriber
from dobry.communications.unsubscribe import erased_key, may_mail

pytestmark = pytest.mark.django_db


def test_an_erased_persons_addresses_stay_refused_as_keyed_hashes_only():
    person = subscriber(email="anna@example.org")
    EmailAddress.objects.create(user=person, email="Old.Anna@example.org", verified=True)
    Suppression.objects.create(email="anna@example.org", reason="unsubscribed", source="1-click")
    Suppression.objects.create(email="old.anna@example.org", reason="hard_bounce", source="mx")
    Unsubscription.objects.create(email="anna@example.org", kind="weekly_digest")
    BounceScore.objects.create(
        email="old.anna@example.org", score=Decimal("2"), last_bounce_on=timezone.localdate()
    )
    other = Suppression.objects.create(email="ivan@example.org", reason="complaint", source="fbl")

    privacy._erase(person)  # what the account's erasure runs for this app

    kept = dict(Suppression.objects.exclude(pk=other.pk).values_list("email", "source"))
    assert kept == {erased_key("anna@example.org"): "", erased_key("old.anna@example.org"): ""}
    assert not Unsubscription.objects.exists()
    assert not BounceScore.objects.exists()
    for address in ("anna@example.org", "Old.Anna@example.org"):
        assert not may_mail(address, kind="weekly_digest")
        assert not may_mail(address, kind="mailing")
    assert policy.mailable_addresses(["anna@example.org"]) == set()
    other.refresh_from_db()
    assert (other.email, other.source) == ("ivan@example.org", "fbl")


def test_a_cover_whose_file_is_gone_leaves_the_feed_whole(client, settings):
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    item = NewsItemFactory(title="С обложкой", cover=png(), cover_alt="Обложка")
    item.cover.storage.delete(item.cover.name)
    NewsItemFactory(title="Без обложки")
    response = client.get("/news/rss/")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert {entry.title for entry in feed.entries} == {"С обложкой", "Без обложки"}
    for entry in feed.entries:
        assert [link for link in entry.links if link.rel == "enclosure"] == []
