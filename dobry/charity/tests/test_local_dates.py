"""Charity's dates are the city's (Asia/Krasnoyarsk, UTC+7): a campaign collects through its
deadline day and stops at the city's midnight, while the date in UTC is still that day; a
need closes the same way; «today» for a donation or a new deadline is the city's today."""

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.charity import permissions, selectors
from dobry.charity.models import Campaign, Donation, DonorCode
from dobry.charity.services import campaigns, donations, needs
from dobry.charity.tests.factories import NeedFactory, charity_ready
from dobry.core.clock import local_today
from dobry.core.errors import DomainError, InvalidTransition

pytestmark = pytest.mark.django_db
API = "/api/v1"
DEADLINE = date(2026, 11, 10)
# 23:59 on the deadline day in the city; the same moment is 16:59 in UTC
LAST_MINUTE = datetime(2026, 11, 10, 16, 59, tzinfo=UTC)
# 00:00 of the next day in the city — in UTC it is still 10 November
CITY_MIDNIGHT = datetime(2026, 11, 10, 17, 0, tzinfo=UTC)


@pytest.fixture
def campaign(freeze_now):
    freeze_now(datetime(2026, 11, 1, 3, 0, tzinfo=UTC))
    found, editor = charity_ready(deadline=DEADLINE)
    return found, editor


def test_the_city_midnight_is_not_the_utc_one(freeze_now):
    freeze_now(LAST_MINUTE)
    assert local_today() == DEADLINE
    freeze_now(CITY_MIDNIGHT)
    assert local_today() == date(2026, 11, 11)
    assert CITY_MIDNIGHT.date() == DEADLINE


def test_a_campaign_collects_through_its_deadline_day_in_the_city(campaign, freeze_now, client):
    found, _editor = campaign
    freeze_now(LAST_MINUTE)
    assert found.is_collecting
    assert list(Campaign.objects.collecting()) == [found]
    assert list(selectors.campaign_catalogue(_anonymous(client), {})) == [found]
    assert client.get(f"{API}/campaigns/{found.pk}/payment-qr").status_code == 200
    assert client.get(reverse("charity:campaign_qr", args=[found.pk])).status_code == 200


def test_at_the_city_midnight_a_campaign_stops_collecting(campaign, freeze_now, client):
    found, _editor = campaign
    freeze_now(CITY_MIDNIGHT)
    assert not found.is_collecting
    assert not Campaign.objects.collecting().exists()
    assert list(selectors.campaign_catalogue(_anonymous(client), {})) == []
    finished = selectors.campaign_catalogue(_anonymous(client), {"show": "finished"})
    assert list(finished) == [found]


def test_after_its_deadline_a_campaign_offers_no_payment_qr(campaign, freeze_now, client):
    found, _editor = campaign
    freeze_now(CITY_MIDNIGHT)
    assert client.get(f"{API}/campaigns/{found.pk}/payment-qr").status_code == 422
    assert client.get(reverse("charity:campaign_qr", args=[found.pk])).status_code == 404
    page = client.get(found.get_absolute_url()).content.decode()
    assert "payment-qr" not in page


def test_a_signed_in_visitor_gets_no_donor_code_after_the_deadline(campaign, freeze_now):
    found, editor = campaign
    freeze_now(CITY_MIDNIGHT)
    page = login(editor).get(found.get_absolute_url())
    assert page.status_code == 200
    assert found.code in page.content.decode()
    assert not DonorCode.objects.exists()


def test_a_campaign_is_published_on_its_deadline_day_but_not_after(freeze_now):
    freeze_now(datetime(2026, 11, 1, 3, 0, tzinfo=UTC))
    draft, editor = charity_ready(deadline=DEADLINE, status=Campaign.Status.DRAFT)
    freeze_now(CITY_MIDNIGHT)
    with pytest.raises(DomainError) as caught:
        campaigns.campaign_move(actor=editor, campaign=draft, name="publish")
    assert "deadline" in caught.value.field_errors
    freeze_now(LAST_MINUTE)
    assert campaigns.campaign_move(actor=editor, campaign=draft, name="publish").status == "active"


def test_a_new_deadline_of_the_citys_today_is_accepted_and_of_its_yesterday_refused(freeze_now):
    freeze_now(datetime(2026, 11, 1, 3, 0, tzinfo=UTC))
    found, editor = charity_ready(deadline=date(2026, 11, 20))
    freeze_now(CITY_MIDNIGHT)  # the city's 11 November; UTC's 10 November
    values = {"title": found.title, "purpose": found.purpose, "story": "", "goal": found.goal}
    with pytest.raises(DomainError) as caught:
        campaigns.campaign_edit(actor=editor, campaign=found, **values, deadline=DEADLINE)
    assert "deadline" in caught.value.field_errors
    fresh = permissions.get_campaign_for_user(editor, found.pk)
    edited = campaigns.campaign_edit(
        actor=editor, campaign=fresh, **values, deadline=date(2026, 11, 11)
    )
    assert edited.deadline == date(2026, 11, 11)


def test_a_donation_received_today_in_the_city_is_not_in_the_future(campaign, freeze_now):
    found, editor = campaign
    freeze_now(CITY_MIDNIGHT)  # UTC says 10 November, the city 11 November
    donation = donations.donation_record(
        actor=editor,
        organization=found.organization,
        amount=1,
        received_on=date(2026, 11, 11),
        campaign=found,
    )
    assert donation.received_on == date(2026, 11, 11)
    with pytest.raises(DomainError) as caught:
        donations.donation_record(
            actor=editor, organization=found.organization, amount=1, received_on=date(2026, 11, 12)
        )
    assert "received_on" in caught.value.field_errors
    assert Donation.objects.count() == 1


def test_a_need_takes_pledges_through_its_deadline_day_in_the_city(freeze_now):
    freeze_now(datetime(2026, 11, 1, 3, 0, tzinfo=UTC))
    need = NeedFactory(deadline=DEADLINE)
    person = UserFactory()
    freeze_now(LAST_MINUTE)
    assert list(selectors.needs_catalogue({})) == [need]
    needs.pledge_create(actor=person, need=need, quantity=1)
    freeze_now(CITY_MIDNIGHT)
    assert list(selectors.needs_catalogue({})) == []
    with pytest.raises(InvalidTransition):
        needs.pledge_create(actor=person, need=need, quantity=1)


def test_the_api_answers_deadlines_as_the_citys_dates(campaign, client):
    found, _editor = campaign
    assert client.get(f"{API}/campaigns/{found.pk}").json()["deadline"] == "2026-11-10"


def _anonymous(client):
    return AnonymousUser()
