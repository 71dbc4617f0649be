"""City initiatives in the passport's indicator 3: the authors, supporters and team members
of initiatives are involved residents, each once across every source, in the period of
what they did (the city's local dates)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Initiative, Support, TeamMember
from dobry.civic.services.people import (
    support_add,
    support_count,
    support_remove,
    team_join,
    team_leave,
)
from dobry.civic.tests.factories import InitiativeFactory, SupportFactory, TeamMemberFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.reports import indicators
from dobry.reports.periods import year
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db
IN_2025 = datetime(2025, 6, 10, 9, tzinfo=UTC)
# 31 December 2025, 20:00 UTC is already 1 January 2026 in Krasnoyarsk (UTC+7).
NEW_YEAR_LOCAL = datetime(2025, 12, 31, 20, tzinfo=UTC)


def _involved(in_year: int = 2025) -> int:
    return indicators.involved_share(year(in_year)).parts["people"]


def _dated(model, pk: int, when: datetime) -> None:
    model.objects.filter(pk=pk).update(created_at=when)


def test_an_author_a_supporter_and_a_team_member_are_three_people():
    before = _involved()
    initiative = InitiativeFactory()
    _dated(Initiative, initiative.pk, IN_2025)
    support = SupportFactory(initiative=initiative)
    _dated(Support, support.pk, IN_2025)
    member = TeamMemberFactory(initiative=initiative)
    _dated(TeamMember, member.pk, IN_2025)
    assert _involved() == before + 3


def test_a_person_counted_once_across_initiatives_and_volunteering():
    person = UserFactory()
    HoursEntry.objects.create(
        user=person, organization=OrganizationFactory(), date=date(2025, 3, 1), hours=Decimal(2),
        claimed_hours=Decimal(2), source=HoursEntry.Source.CLAIM, status=HoursEntry.Status.CONFIRMED,
    )  # fmt: skip
    before = _involved()
    for initiative in InitiativeFactory.create_batch(2):
        _dated(Support, SupportFactory(initiative=initiative, user=person).pk, IN_2025)
        _dated(TeamMember, TeamMemberFactory(initiative=initiative, user=person).pk, IN_2025)
    assert _involved() == before


def test_the_period_is_the_city_local_date():
    support = SupportFactory()
    _dated(Initiative, support.initiative_id, datetime(2024, 5, 1, tzinfo=UTC))
    _dated(Support, support.pk, NEW_YEAR_LOCAL)
    people_2026 = _involved(2026)
    assert _involved(2025) == 0
    assert people_2026 == 1


def test_an_initiative_without_author_counts_nobody():
    initiative = InitiativeFactory()
    Initiative.objects.filter(pk=initiative.pk).update(author=None, created_at=IN_2025)
    assert _involved() == 0


def test_the_method_names_initiatives():
    assert "инициатив" in indicators.involved_share(year(2025)).method


IN_2026 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _withdrawn(model, pk: int, when: datetime) -> None:
    model.objects.filter(pk=pk).update(withdrawn_at=when)


def test_a_support_taken_back_later_stays_counted_in_the_period_it_was_given():
    initiative = InitiativeFactory()
    _dated(Initiative, initiative.pk, datetime(2024, 5, 1, tzinfo=UTC))
    resident = UserFactory()
    support = support_add(actor=resident, initiative=initiative)
    _dated(Support, support.pk, IN_2025)
    before = _involved(2025)
    support_remove(actor=resident, initiative=initiative)
    _withdrawn(Support, support.pk, IN_2026)
    assert support_count(initiative) == 0
    assert _involved(2025) == before == 1
    assert _involved(2026) == 0


def test_a_team_member_who_left_later_stays_counted_in_the_period_they_joined():
    initiative = InitiativeFactory()
    _dated(Initiative, initiative.pk, datetime(2024, 5, 1, tzinfo=UTC))
    resident = UserFactory()
    place = team_join(actor=resident, initiative=initiative, role="фотограф")
    _dated(TeamMember, place.pk, IN_2025)
    team_leave(actor=resident, initiative=initiative)
    _withdrawn(TeamMember, place.pk, IN_2026)
    assert not TeamMember.objects.current().exists()
    assert _involved(2025) == 1
    assert _involved(2026) == 0


def test_supporting_again_in_a_later_period_counts_in_both_periods_once_each():
    initiative = InitiativeFactory()
    _dated(Initiative, initiative.pk, datetime(2024, 5, 1, tzinfo=UTC))
    resident = UserFactory()
    first = support_add(actor=resident, initiative=initiative)
    _dated(Support, first.pk, IN_2025)
    support_remove(actor=resident, initiative=initiative)
    second = support_add(actor=resident, initiative=initiative)
    _dated(Support, second.pk, IN_2026)
    assert _involved(2025) == 1
    assert _involved(2026) == 1


def test_the_method_says_a_withdrawn_support_still_counts_in_its_period():
    assert "отозвали" in indicators.involved_share(year(2025)).method
