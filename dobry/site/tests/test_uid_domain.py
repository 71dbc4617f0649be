"""Calendar UIDs and feed item ids keep the domain stored at the first `migrate`
(`core.site.uid_domain`), never the site's present address: a calendar or a feed reader
that sees an id change shows the event or the item twice (issue 11 §4)."""

import importlib

import pytest
from django.apps import apps
from icalendar import Calendar

from dobry.communications.tests.factories import NewsItemFactory
from dobry.core.models import Installation
from dobry.core.site import uid_domain
from dobry.events.tests.factories import ShiftFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("dobry.core.migrations.0005_installation")


@pytest.fixture(autouse=True)
def installed():
    """The row the first `migrate` writes (a transactional test elsewhere may have flushed
    it): these tests are about what happens after installation."""
    migration.derive_uid_domain(apps, None)


def shift_uids(client, shift) -> list[str]:
    response = client.get(f"/events/{shift.event_id}/event.ics")
    assert response.status_code == 200
    return [str(v["UID"]) for v in Calendar.from_ical(response.content).walk("VEVENT")]


def test_the_first_migrate_stores_the_sites_host_without_its_port(settings):
    Installation.objects.all().delete()
    settings.DOBRY_SITE_URL = "https://dobry.example.org:8443"
    migration.derive_uid_domain(apps, None)
    assert Installation.objects.get().uid_domain == "dobry.example.org"
    settings.DOBRY_SITE_URL = "http://127.0.0.1:8001"
    migration.derive_uid_domain(apps, None)  # once: a second run keeps the first
    assert Installation.objects.get().uid_domain == "dobry.example.org"
    assert uid_domain() == "dobry.example.org"


def test_a_configured_uid_domain_is_used_as_given(settings):
    settings.DOBRY_UID_DOMAIN = "dobry-zhel.ru"
    assert uid_domain() == "dobry-zhel.ru"


def test_calendar_uids_stay_when_the_sites_address_or_port_changes(client, settings):
    shift = ShiftFactory()
    settings.DOBRY_SITE_URL = "http://127.0.0.1:8000"
    before = shift_uids(client, shift)
    settings.DOBRY_SITE_URL = "https://dobry.example.org:8443"
    after = shift_uids(client, shift)
    stored = Installation.objects.get().uid_domain
    assert before == after == [f"shift-{shift.pk}@{stored}"]
    assert "8443" not in after[0]
    assert "8000" not in after[0]


def test_personal_calendar_uids_use_the_same_domain(settings):
    from dobry.events.calendar import registration_events
    from dobry.events.tests.factories import RegistrationFactory

    registration = RegistrationFactory()
    settings.DOBRY_SITE_URL = "https://elsewhere.example.org"
    [vevent] = Calendar.from_ical(registration_events([registration], "Мои смены")).walk("VEVENT")
    assert str(vevent["UID"]) == f"shift-{registration.shift_id}@{uid_domain()}"


@pytest.mark.parametrize("url", ["/news/rss/", "/news/atom/"])
def test_news_item_ids_stay_when_the_sites_address_changes(client, settings, url):
    import feedparser

    item = NewsItemFactory()
    settings.DOBRY_SITE_URL = "http://127.0.0.1:8000"
    before = [entry.id for entry in feedparser.parse(client.get(url).content).entries]
    settings.DOBRY_SITE_URL = "https://dobry.example.org"
    after = feedparser.parse(client.get(url).content)
    assert after.bozo == 0
    assert before == [entry.id for entry in after.entries]
    assert before == [f"tag:{uid_domain()},2024:news-{item.pk}"]
    assert after.entries[0].link == f"https://dobry.example.org/news/{item.pk}/"
