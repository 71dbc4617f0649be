"""Residents who voted in residents' votes count as involved residents in the passport's
indicator 3: by the list of who voted, dated by its day (the ballot carries none), each
person once across every source and every vote; a mark whose person was erased is nobody."""

from datetime import date
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import VoterMark
from dobry.civic.tests.factories import running_vote
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.reports import indicators
from dobry.reports.periods import year
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db
IN_2025 = date(2025, 6, 10)


def _involved(in_year: int = 2025) -> int:
    return indicators.involved_share(year(in_year)).parts["people"]


def _voted(user, vote, day=IN_2025, channel="online"):
    return VoterMark.objects.create(vote=vote, user=user, voted_on=day, channel=channel)


def test_a_voter_is_involved_once_however_many_votes_and_ways():
    before = _involved()
    first, second = running_vote(), running_vote()
    resident = UserFactory()
    _voted(resident, first)
    _voted(resident, second, channel="paper")
    assert _involved() == before + 1
    _voted(UserFactory(), first)
    assert _involved() == before + 2


def test_a_voter_who_also_volunteered_is_one_person():
    before = _involved()
    resident = UserFactory()
    HoursEntry.objects.create(
        user=resident, organization=OrganizationFactory(), date=IN_2025, hours=Decimal(2),
        claimed_hours=Decimal(2), source=HoursEntry.Source.CLAIM,
        status=HoursEntry.Status.CONFIRMED,
    )  # fmt: skip
    after_hours = _involved()
    assert after_hours == before + 1
    _voted(resident, running_vote())
    assert _involved() == after_hours


def test_a_vote_counts_in_the_year_of_its_day():
    vote = running_vote()
    before_2025, before_2026 = _involved(2025), _involved(2026)
    _voted(UserFactory(), vote, day=date(2025, 12, 31))
    _voted(UserFactory(), vote, day=date(2026, 1, 1))
    assert _involved(2025) == before_2025 + 1
    assert _involved(2026) == before_2026 + 1


def test_an_erased_voters_mark_counts_nobody():
    before = _involved()
    _voted(None, running_vote())
    assert _involved() == before


def test_the_method_says_voters_are_counted():
    figure = indicators.involved_share(year(2025))
    assert "проголосовавшие в голосованиях жителей" in figure.method
