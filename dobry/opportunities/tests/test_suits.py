"""«Подходит нашей организации»: the ranking for an organisation, with its reasons."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import login
from dobry.core.clock import local_today
from dobry.opportunities import suits
from dobry.opportunities.tests.factories import OpportunityFactory
from dobry.organizations.models import OrganizationArea
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    organization = OrganizationFactory(founded_on=local_today() - timedelta(days=400))
    OrganizationArea.objects.create(organization=organization, area="children")
    return organization


def _texts(fit):
    return {reason.criterion: (reason.met, reason.text) for reason in fit.reasons}


def test_calls_are_ranked_eligible_first_then_by_criteria_met(organization):
    best = OpportunityFactory(title="best", areas=["children"], eligible_kinds=["sonko"])
    other_area = OpportunityFactory(title="area", areas=["ecology"], eligible_kinds=[])
    wrong_kind = OpportunityFactory(title="kind", areas=["children"], eligible_kinds=["municipal"])
    too_young = OpportunityFactory(title="young", areas=["children"], min_registered_months=24)
    fits = suits.rank_for(
        organization, [too_young, wrong_kind, other_area, best], today=local_today()
    )
    assert [fit.opportunity.title for fit in fits] == ["best", "area", "young", "kind"] or [
        fit.opportunity.title for fit in fits
    ] == ["best", "area", "kind", "young"]
    assert fits[0].eligible
    assert fits[0].score == 3
    assert not fits[2].eligible
    assert not fits[3].eligible


def test_reasons_say_which_criteria_matched_and_which_failed(organization):
    call = OpportunityFactory(
        areas=["children", "ecology"], eligible_kinds=["municipal"], min_registered_months=24
    )
    fit = suits.rank_for(organization, [call], today=local_today(), wanted=Decimal(10))[0]
    reasons = _texts(fit)
    assert reasons["kind"][0] is False
    assert "СО НКО" in reasons["kind"][1]
    assert reasons["areas"][0] is True
    assert "Дети и молодёжь" in reasons["areas"][1]
    assert reasons["age"][0] is False
    assert "24" in reasons["age"][1]
    assert reasons["amount"][0] is False


def test_an_unknown_registration_date_is_neither_met_nor_failed():
    organization = OrganizationFactory(founded_on=None)
    call = OpportunityFactory(min_registered_months=12)
    fit = suits.rank_for(organization, [call], today=local_today())[0]
    assert _texts(fit)["age"][0] is None
    assert fit.eligible


def test_registration_age_counts_to_the_deadline():
    organization = OrganizationFactory(founded_on=date(2025, 1, 15))
    call = OpportunityFactory(
        min_registered_months=12, opens_on=date(2025, 12, 1), closes_on=date(2026, 1, 15)
    )
    assert _texts(suits.rank_for(organization, [call], today=date(2025, 12, 1))[0])["age"][0]
    call.closes_on = date(2026, 1, 14)
    assert not _texts(suits.rank_for(organization, [call], today=date(2025, 12, 1))[0])["age"][0]


def test_a_member_sees_the_ranking_with_reasons_on_the_page(organization):
    member = MembershipFactory(organization=organization).user
    OpportunityFactory(title="Дети края", areas=["children"])
    page = login(member).get(reverse("opportunities:list"), {"organization": organization.pk})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Дети края" in text
    assert "Совпадают направления" in text


def test_an_outsider_cannot_ask_for_another_organisations_ranking(client, outsider, organization):
    OpportunityFactory()
    query = {"organization": organization.pk}
    assert login(outsider).get(reverse("opportunities:list"), query).status_code == 400
    assert client.get(reverse("opportunities:list"), query).status_code == 400


def test_the_ranked_list_has_a_fixed_query_count(organization, django_assert_max_num_queries):
    member = MembershipFactory(organization=organization).user
    client = login(member)
    OpportunityFactory()
    query = {"organization": organization.pk}
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("opportunities:list"), query)
    OpportunityFactory.create_batch(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("opportunities:list"), query)
