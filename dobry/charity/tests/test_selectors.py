"""The charity selectors: what each list holds and in which order (the catalogue's filters
and its «collecting», «ending soon» and «finished» views, the desk's lists, a donor's own),
and the query budget of every list the API and the donor's pages answer — the same for one
row and for many."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity import selectors
from dobry.charity.models import Campaign, Donation, Need, Pledge
from dobry.charity.services import needs
from dobry.charity.tests.factories import (
    CampaignFactory,
    DonationFactory,
    NeedFactory,
    charity_ready,
    editor_of,
)
from dobry.core.clock import local_today
from dobry.core.models import District
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"
ANYONE = AnonymousUser()


def _titles(campaigns) -> list[str]:
    return [campaign.title for campaign in campaigns]


def test_the_catalogue_shows_collecting_campaigns_soonest_deadline_first():
    today = local_today()
    late, _editor = charity_ready(title="Поздний", deadline=today + timedelta(days=60))
    organization = late.organization
    CampaignFactory(organization=organization, title="Ранний", deadline=today)
    CampaignFactory(organization=organization, title="Черновик", status=Campaign.Status.DRAFT)
    CampaignFactory(organization=organization, title="Вчерашний", deadline=today - timedelta(1))
    CampaignFactory(organization=organization, title="Готово", status=Campaign.Status.FINISHED)
    assert _titles(selectors.campaign_catalogue(ANYONE, {})) == ["Ранний", "Поздний"]


def test_ending_soon_is_within_two_weeks_and_finished_holds_the_past_ones_newest_first():
    today = local_today()
    soon, _editor = charity_ready(title="Скоро", deadline=today + timedelta(days=14))
    organization = soon.organization
    CampaignFactory(organization=organization, title="Не скоро", deadline=today + timedelta(15))
    CampaignFactory(
        organization=organization,
        title="Завершён",
        status=Campaign.Status.FINISHED,
        deadline=today + timedelta(days=3),
    )
    CampaignFactory(organization=organization, title="Просрочен", deadline=today - timedelta(1))
    assert _titles(selectors.campaign_catalogue(ANYONE, {"show": "ending"})) == ["Скоро"]
    assert _titles(selectors.campaign_catalogue(ANYONE, {"show": "finished"})) == [
        "Завершён",
        "Просрочен",
    ]


def test_the_catalogue_filters_by_words_area_organisation_and_district():
    district = District.objects.create(name="Ленинский", slug="leninsky")
    match, _editor = charity_ready(
        title="Коляски для детей", area="social", district=district, purpose="Реабилитация"
    )
    CampaignFactory(organization=match.organization, title="Книги", area="culture")
    other, _other_editor = charity_ready(title="Коляски взрослым", area="social")
    for filters, expected in (
        ({"q": "коляски"}, ["Коляски для детей", "Коляски взрослым"]),
        ({"q": "реабилитация"}, ["Коляски для детей"]),
        ({"area": "culture"}, ["Книги"]),
        ({"organization": other.organization}, ["Коляски взрослым"]),
        ({"district": district}, ["Коляски для детей"]),
        ({"q": "коляски", "area": "social", "district": district}, ["Коляски для детей"]),
        ({"q": "самолёт"}, []),
    ):
        assert sorted(_titles(selectors.campaign_catalogue(ANYONE, filters))) == sorted(expected)


def test_an_unverified_organisations_campaigns_are_shown_to_its_editors_only():
    campaign, editor = charity_ready()
    Organization.objects.filter(pk=campaign.organization_id).update(
        status=Organization.Status.PENDING
    )
    assert list(selectors.campaign_catalogue(ANYONE, {})) == []
    assert list(selectors.campaign_catalogue(UserFactory(), {})) == []
    assert list(selectors.campaign_catalogue(editor, {})) == [campaign]  # as on its page
    assert list(selectors.catalogue_organizations()) == []


def test_the_catalogue_totals_count_each_donor_once():
    campaign, _editor = charity_ready()
    donor = UserFactory()
    for amount in ("100", "250.50"):
        DonationFactory(campaign=campaign, donor=donor, donor_key=f"u{donor.pk}", amount=amount)
    DonationFactory(campaign=campaign, donor_key="cash-1", amount="49.50")
    [found] = selectors.campaign_catalogue(ANYONE, {})
    assert (found.received, found.donors) == (Decimal("400.00"), 2)
    progress = selectors.progress_of(campaign)
    assert (progress.received, progress.donors, progress.percent) == (Decimal("400.00"), 2, 0)


def test_the_progress_bar_is_whole_percent_and_stops_at_a_hundred():
    campaign, _editor = charity_ready(goal=Decimal("1000"))
    DonationFactory(campaign=campaign, amount=Decimal("999.99"))
    assert selectors.progress_of(campaign).percent == 99
    DonationFactory(campaign=campaign, amount=Decimal("5000"))
    assert selectors.progress_of(campaign).percent == 100


def test_recent_donations_are_the_last_ten():
    campaign, _editor = charity_ready()
    for day in range(12):
        DonationFactory(campaign=campaign, received_on=local_today() - timedelta(days=day))
    recent = selectors.recent_donations(campaign)
    assert len(recent) == selectors.RECENT_DONATIONS
    assert recent[0].received_on == local_today()


def test_the_desk_lists_hold_only_the_organisations_own_rows():
    campaign, _editor = charity_ready()
    other, _other_editor = charity_ready()
    DonationFactory(campaign=campaign)
    DonationFactory(campaign=other)
    NeedFactory(organization=campaign.organization)
    NeedFactory(organization=other.organization)
    organization = campaign.organization
    assert {d.organization_id for d in selectors.donations_of(organization)} == {organization.pk}
    assert [c.pk for c in selectors.campaigns_of(organization)] == [campaign.pk]
    assert {n.organization_id for n in selectors.needs_of(organization)} == {organization.pk}
    assert selectors.donations_of(organization, campaign=other.pk).count() == 0


def test_a_need_counts_what_is_pledged_or_received_not_what_was_cancelled():
    need = NeedFactory(quantity=10)
    editor = editor_of(need.organization)
    kept = needs.pledge_create(actor=UserFactory(), need=need, quantity=2)
    received = needs.pledge_create(actor=UserFactory(), need=need, quantity=3)
    cancelled = needs.pledge_create(actor=UserFactory(), need=need, quantity=4)
    needs.pledge_move(actor=editor, pledge=received, name="receive")
    needs.pledge_move(actor=editor, pledge=cancelled, name="cancel")
    [found] = selectors.needs_of(need.organization)
    assert found.promised == 5
    assert {p.pk for p in selectors.pledges_of(need)} == {kept.pk, received.pk, cancelled.pk}
    assert Pledge.objects.filter(need=need).count() == 3


def test_an_editor_sees_the_pledges_still_to_receive_first_and_the_cancelled_last():
    need = NeedFactory(quantity=10)
    editor = editor_of(need.organization)
    cancelled = needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
    received = needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
    older = needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
    newer = needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
    needs.pledge_move(actor=editor, pledge=cancelled, name="cancel")
    needs.pledge_move(actor=editor, pledge=received, name="receive")
    assert [p.pk for p in selectors.pledges_of(need)] == [
        newer.pk,
        older.pk,
        received.pk,
        cancelled.pk,
    ]


def test_the_needs_catalogue_holds_open_needs_of_verified_organisations_in_time():
    today = local_today()
    shown = NeedFactory(title="Памперсы", deadline=today)
    NeedFactory(title="Черновик", status=Need.Status.DRAFT)
    NeedFactory(title="Закрыта", status=Need.Status.CLOSED)
    NeedFactory(title="Просрочена", deadline=today - timedelta(days=1))
    NeedFactory(
        title="Непроверенная", organization=OrganizationFactory(status=Organization.Status.PENDING)
    )
    assert [n.title for n in selectors.needs_catalogue({})] == ["Памперсы"]
    assert [n.title for n in selectors.needs_catalogue({"q": "памперс"})] == ["Памперсы"]
    assert list(selectors.needs_catalogue({"kind": "transport"})) == []
    assert [n.pk for n in selectors.needs_catalogue({"organization": shown.organization})] == [
        shown.pk
    ]


def test_a_donors_lists_and_years_are_their_own():
    campaign, _editor = charity_ready()
    donor, other = UserFactory(), UserFactory()
    this_year = local_today().year
    DonationFactory(campaign=campaign, donor=donor, received_on=local_today())
    DonationFactory(
        campaign=campaign, donor=donor, received_on=local_today().replace(year=this_year - 2)
    )
    DonationFactory(campaign=campaign, donor=other)
    assert selectors.donations_of_donor(donor).count() == 2
    assert selectors.donation_years(donor) == [this_year, this_year - 2]
    assert selectors.donation_years(UserFactory()) == []
    assert selectors.donations_of_donor(donor).of_year(this_year - 2).count() == 1


# ---------------------------------------------------------------- query budgets


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def test_the_public_api_lists_cost_the_same_for_one_row_and_many(client):
    campaign, editor = charity_ready()
    NeedFactory(organization=campaign.organization)
    campaign.updates.create(text="Первая", author=editor)
    urls = [f"{API}/campaigns", f"{API}/needs", f"{API}/campaigns/{campaign.pk}/updates"]
    few = [_queries(client, url) for url in urls]
    for n in range(8):
        more, _more_editor = charity_ready()
        DonationFactory(campaign=more, donor_key=f"d{n}")
        NeedFactory(organization=more.organization)
        campaign.updates.create(text=f"Новость {n}", author=editor)
    assert [_queries(client, url) for url in urls] == few


def test_the_editors_api_lists_cost_the_same_for_one_row_and_many():
    campaign, editor = charity_ready()
    need = NeedFactory(organization=campaign.organization, quantity=100)
    client = login(editor)
    organization = campaign.organization
    urls = [
        f"{API}/organizations/{organization.pk}/donations",
        f"{API}/organizations/{organization.pk}/statement-entries",
        f"{API}/needs/{need.pk}/pledges",
    ]
    needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
    DonationFactory(campaign=campaign, donor=UserFactory())
    few = [_queries(client, url) for url in urls]
    for _ in range(8):
        needs.pledge_create(actor=UserFactory(), need=need, quantity=1)
        DonationFactory(campaign=campaign, donor=UserFactory())
    assert [_queries(client, url) for url in urls] == few


def test_a_donors_lists_and_letters_cost_the_same_for_one_row_and_many():
    campaign, _editor = charity_ready()
    donor = UserFactory()
    need = NeedFactory(organization=campaign.organization, quantity=100)
    client = login(donor)
    urls = [
        f"{API}/me/donations",
        f"{API}/me/pledges",
        reverse("charity:mine"),
        reverse("charity:tax_statement"),
    ]
    DonationFactory(campaign=campaign, donor=donor, donor_key=f"u{donor.pk}")
    needs.pledge_create(actor=donor, need=need, quantity=1)
    few = [_queries(client, url) for url in urls]
    for n in range(8):
        more, _more_editor = charity_ready()
        DonationFactory(campaign=more, donor=donor, donor_key=f"u{donor.pk}", amount=10 + n)
        needs.pledge_create(actor=donor, need=need, quantity=1)
    assert [_queries(client, url) for url in urls] == few
    assert Donation.objects.filter(donor=donor).count() == 9
