"""Lists read their rows' figures (supports, donations, free places) as scalar subqueries
(`core.subqueries`): the list is not grouped, so a page's LIMIT bounds the database's work,
and a row without related rows reads the default, not NULL."""

from decimal import Decimal

import pytest
from django.utils import timezone

from dobry.charity.models import Campaign
from dobry.charity.tests.factories import CampaignFactory, DonationFactory
from dobry.civic.models import Initiative
from dobry.civic.tests.factories import InitiativeFactory, SupportFactory, TeamMemberFactory
from dobry.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "listed",
    [
        lambda: Initiative.objects.with_counts(),
        lambda: Campaign.objects.with_totals(),
        lambda: Event.objects.with_free_places(),
    ],
    ids=["initiatives", "campaigns", "events"],
)
def test_the_lists_figures_do_not_group_the_list(listed):
    query = listed().query
    assert query.group_by is None
    assert "GROUP BY" not in str(query).rsplit(")", 1)[-1]  # only inside the subqueries


def test_campaign_totals_count_each_donor_once_and_read_zero_for_none():
    given, empty = CampaignFactory(), CampaignFactory()
    for key, amount in (("a", "100.50"), ("a", "200"), ("b", "50")):
        DonationFactory(campaign=given, donor_key=key, amount=Decimal(amount))
    totals = {c.pk: (c.received, c.donors) for c in Campaign.objects.with_totals()}
    assert totals[given.pk] == (Decimal("350.50"), 2)
    assert totals[empty.pk] == (Decimal("0"), 0)


def test_initiative_counts_leave_out_those_who_withdrew():
    initiative, quiet = InitiativeFactory(), InitiativeFactory()
    SupportFactory.create_batch(3, initiative=initiative)
    SupportFactory(initiative=initiative, withdrawn_at=timezone.now())
    TeamMemberFactory(initiative=initiative)
    TeamMemberFactory(initiative=initiative, withdrawn_at=timezone.now())
    counts = {i.pk: (i.support_count, i.team_count) for i in Initiative.objects.with_counts()}
    assert counts[initiative.pk] == (3, 1)
    assert counts[quiet.pk] == (0, 0)
