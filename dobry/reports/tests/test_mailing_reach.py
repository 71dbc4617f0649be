"""Indicator 2 counts the people mailings reached: each address a mailing was delivered to
in the period, once, beyond the accounts already counted on the platform — and its method
says so."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.models import Delivery
from dobry.communications.tests.mailing_factories import mailing
from dobry.core.clock import city_zone
from dobry.reports import indicators
from dobry.reports.models import ReachFigure
from dobry.reports.periods import Period, year

pytestmark = pytest.mark.django_db
Y2025 = year(2025)
S = Delivery.State


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


@pytest.fixture(autouse=True)
def _small_city(settings):
    settings.DOBRY_POPULATION = 1000


def delivered(m, email: str, at: datetime, *, user=None, state=S.SENT, bounced=False):
    return Delivery.objects.create(
        mailing=m,
        email=email,
        user=user,
        state=state,
        sent_at=at if state == S.SENT else None,
        bounced_at=at if bounced else None,
    )


def _joined(when: datetime, **kwargs):
    user = UserFactory(**kwargs)
    user.date_joined = when
    user.save(update_fields=["date_joined"])
    return user


def test_each_contact_a_mailing_reached_in_the_period_counts_once():
    first, second = mailing(), mailing()
    spring = local(2025, 4, 1, 12)
    delivered(first, "anna@example.org", spring)
    delivered(second, "anna@example.org", local(2025, 9, 1, 12))  # the same person again
    delivered(first, "boris@example.org", spring)
    delivered(first, "lost@example.org", spring, bounced=True)  # not delivered
    delivered(first, "failed@example.org", spring, state=S.FAILED)
    delivered(first, "queued@example.org", spring, state=S.QUEUED)
    delivered(first, "later@example.org", local(2026, 1, 1, 0, 30))  # next year, local time
    assert indicators.mailing_reach_per_period([Y2025]) == [2]


def test_an_account_counted_on_the_platform_is_not_counted_again_by_mailings():
    reader = _joined(local(2024, 5, 1, 12))
    m = mailing()
    delivered(m, reader.email, local(2025, 4, 1, 12), user=reader)
    delivered(m, "contact@example.org", local(2025, 4, 1, 12))
    figure = indicators.informed_share(Y2025)
    assert figure.parts["mailing_reach"] == 1
    platform = figure.parts["platform_people"]
    assert figure.value == Decimal(100) * (platform + 1) / 1000


def test_a_closed_or_erased_account_still_counts_as_reached_once():
    closed = _joined(local(2024, 5, 1, 12), is_active=False)
    m = mailing()
    delivered(m, closed.email, local(2025, 4, 1, 12), user=closed)
    delivered(m, "erased:abc", local(2025, 4, 2, 12))  # an erased account's keyed hash
    assert indicators.mailing_reach_per_period([Y2025]) == [2]


def test_the_figure_adds_the_mailings_to_the_platform_and_the_media_reach():
    m = mailing()
    for number in range(30):
        delivered(m, f"reader{number}@example.org", local(2025, 6, 1, 12))
    ReachFigure.objects.create(
        date=date(2025, 6, 2),
        channel=ReachFigure.Channel.MEDIA,
        title="Сюжет",
        source="ТВ",
        people=70,
    )
    figure = indicators.informed_share(Y2025)
    assert (figure.parts["mailing_reach"], figure.parts["reach"]) == (30, 70)
    assert figure.value == Decimal(100) * (figure.parts["platform_people"] + 100) / 1000
    assert "рассыл" in figure.method
    assert indicators.part_labels()["mailing_reach"] == "получатели рассылок вне платформы"


def test_each_period_counts_its_own_deliveries_in_one_pass():
    m = mailing()
    delivered(m, "q1@example.org", local(2025, 2, 1, 12))
    delivered(m, "q3@example.org", local(2025, 8, 1, 12))
    delivered(m, "both@example.org", local(2025, 2, 2, 12))
    delivered(mailing(), "both@example.org", local(2025, 8, 2, 12))
    halves = [
        Period(date(2025, 1, 1), date(2025, 6, 30)),
        Period(date(2025, 7, 1), date(2025, 12, 31)),
    ]
    assert indicators.mailing_reach_per_period(halves) == [2, 2]
    assert indicators.mailing_reach_per_period([Y2025]) == [3]
