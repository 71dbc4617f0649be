"""The demo mailings `make run` shows: a sent one with its statistics, a scheduled one, a
draft — written once, on subscribers that may really be mailed, and found in the
coordinator's menu. (Two tests: seeding the whole demo takes a while.)"""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from dobry.communications.mailings import demo, policy, segments, selectors
from dobry.communications.models import Mailing, MailingContact

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_passport", stdout=None)


def test_the_demo_mailings_their_statistics_and_subscribers(seeded):
    by_subject = {m.subject: m for m in Mailing.objects.all()}
    sent = by_subject[demo.SENT]
    assert sent.status == Mailing.Status.SENT
    assert by_subject[demo.SCHEDULED].status == Mailing.Status.SCHEDULED
    assert by_subject[demo.DRAFT].status == Mailing.Status.DRAFT
    assert by_subject[demo.SCHEDULED].scheduled_at > sent.finished_at

    progress = selectors.progress(sent)
    assert progress["percent"] == 100
    assert progress["total"] == len(demo.SUBSCRIBERS) + len(demo.CONTACTS)
    stats = progress["stats"]
    assert stats["sent"] == progress["total"] - 2
    assert (stats["failed"], stats["suppressed"]) == (1, 1)
    assert (stats["bounced"], stats["complained"], stats["unsubscribed"]) == (1, 1, 1)

    everyone = segments.segment_size(by_subject[demo.SCHEDULED].segment)
    assert everyone == len(demo.SUBSCRIBERS) + len(demo.CONTACTS)
    waiting = MailingContact.objects.filter(confirmed_at__isnull=True)
    assert waiting.count() == len(demo.WAITING)
    asked = [*demo.SUBSCRIBERS, *waiting.values_list("email", flat=True)]
    assert policy.mailable_addresses(asked) == set(demo.SUBSCRIBERS)

    counts = (Mailing.objects.count(), MailingContact.objects.count())
    demo.seed()
    assert (Mailing.objects.count(), MailingContact.objects.count()) == counts


def test_the_coordinator_finds_the_mailings_in_the_menu_a_resident_does_not(seeded):
    coordinator, resident = Client(), Client()
    coordinator.login(email="coordinator@example.org", password="dobry-demo")
    resident.login(email="volunteer@example.org", password="dobry-demo")
    assert f'href="{reverse("mailings:list")}"' in coordinator.get("/").content.decode()
    assert reverse("mailings:list") not in resident.get("/").content.decode()
    listing = coordinator.get(reverse("mailings:list"))
    assert {m.subject for m in listing.context["page"].object_list} >= {
        demo.SENT,
        demo.SCHEDULED,
        demo.DRAFT,
    }
    sent = Mailing.objects.get(subject=demo.SENT)
    page = coordinator.get(reverse("mailings:detail", args=[sent.pk])).content.decode()
    assert "Статистика" in page
    assert 'aria-valuenow="100"' in page
