"""Claims sent at once for the same day never pass its 24 hours — and, as a negative
control, the same race without `hours_guard` does. Runs on SQLite and on PostgreSQL."""

import time
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal

import pytest

from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.core.tests.threads import at_once
from dobry.events.tests.factories import volunteer
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services import hours as services

CLAIMS = 4  # 10 h each, each to another organisation: only two fit into one day
DAY = date(2026, 11, 21)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),
]


@contextmanager
def unguarded(user):
    """What hours_guard would be without its lock: no transaction, no row lock."""
    yield user


def race(monkeypatch):
    person = volunteer()
    organizations = [OrganizationFactory() for _ in range(CLAIMS)]
    counted = services.day_hours

    def slow_count(*args, **kwargs):
        # Widen the window between counting the day's hours and adding some.
        value = counted(*args, **kwargs)
        time.sleep(0.1)
        return value

    monkeypatch.setattr(services, "day_hours", slow_count)

    def send(organization):
        return services.hours_claim(
            user=person, organization=organization, day=DAY, hours="10", description="Дежурство"
        )

    _claimed, raised = at_once(send, organizations)
    refused = [error for error in raised if isinstance(error, DomainError)]
    errors = [error for error in raised if not isinstance(error, DomainError)]
    total = sum(HoursEntry.objects.filter(user=person, date=DAY).values_list("hours", flat=True))
    return total, refused, errors


@pytest.fixture(autouse=True)
def late_in_november(freeze_now):
    freeze_now(datetime(2026, 11, 29, 12, tzinfo=city_zone()))


def test_claims_sent_at_once_stay_within_the_day(monkeypatch):
    total, refused, errors = race(monkeypatch)
    assert errors == []
    assert total == Decimal("20")
    assert len(refused) == 2


def test_without_the_guard_the_same_race_passes_the_day(monkeypatch):
    monkeypatch.setattr(services, "hours_guard", unguarded)
    total, _refused, errors = race(monkeypatch)
    assert errors == []
    assert total > Decimal("24")
