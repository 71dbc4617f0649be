"""Help offers move by OFFER_WORKFLOW: the volunteer accepts or declines before it expires;
expiring and withdrawing are the platform's. The page offers exactly the allowed answers;
a refused answer is a message on the page and a 409 from the API."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.helprequests import permissions
from dobry.helprequests.models import OFFER_WORKFLOW, HelpOffer, HelpRequest
from dobry.helprequests.services import offering
from dobry.helprequests.tests.factories import HelpRequestFactory, offerable_volunteer
from dobry.helprequests.tests.test_api import bearer

pytestmark = pytest.mark.django_db
O = HelpOffer.Status  # noqa: E741


def test_the_table():
    assert OFFER_WORKFLOW.table == {
        O.OFFERED: frozenset({O.ACCEPTED, O.DECLINED, O.EXPIRED, O.WITHDRAWN}),
        O.ACCEPTED: frozenset({O.WITHDRAWN}),
    }
    assert [m.name for m in OFFER_WORKFLOW.moves if m.button] == ["accept", "decline"]


@pytest.fixture
def offer(coordinator):
    help_request = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    [offer] = offering.offer_make(
        actor=coordinator, help_request=help_request, volunteers=[offerable_volunteer()]
    )
    return offer


def _status(offer):
    offer.refresh_from_db()
    return offer.status


def test_allowed_answers(offer, coordinator):
    offering.offer_respond(user=offer.volunteer, offer=offer, answer="decline")
    assert _status(offer) == O.DECLINED
    [other] = offering.offer_make(
        actor=coordinator, help_request=offer.request, volunteers=[offerable_volunteer()]
    )
    offering.offer_respond(user=other.volunteer, offer=other, answer="accept")
    assert _status(other) == O.ACCEPTED
    other.request.refresh_from_db()
    assert other.request.status == HelpRequest.Status.ASSIGNED


@pytest.mark.parametrize("status", [O.ACCEPTED, O.DECLINED, O.EXPIRED, O.WITHDRAWN])
@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_an_answered_or_closed_offer_is_not_answered_again(offer, status, answer):
    HelpOffer.objects.filter(pk=offer.pk).update(status=status)
    with pytest.raises(InvalidTransition, match="уже недействительно"):
        offering.offer_respond(user=offer.volunteer, offer=offer, answer=answer)
    assert _status(offer) == status


def test_an_expired_offer_and_the_platforms_moves_are_refused(offer):
    # the platform's move is nobody's: a 403, whatever the offer's state
    with pytest.raises(PermissionDenied, match="платформа"):
        offering.offer_respond(user=offer.volunteer, offer=offer, answer="withdraw")
    with pytest.raises(DomainError, match="Неизвестное действие"):
        offering.offer_respond(user=offer.volunteer, offer=offer, answer="")
    HelpOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(1))
    with pytest.raises(InvalidTransition, match="уже недействительно"):
        offering.offer_answer(user=offer.volunteer, offer=offer, accept=True)
    assert _status(offer) == O.OFFERED
    assert offering.offers_expire() == 1
    assert _status(offer) == O.EXPIRED


def test_answers_offered_follow_the_table_and_the_permission(offer, coordinator):
    names = lambda user: [m.name for m in permissions.offer_moves(user, offer)]  # noqa: E731
    assert names(offer.volunteer) == ["accept", "decline"]
    assert names(coordinator) == []
    offer.expires_at = timezone.now() - timedelta(minutes=1)
    assert names(offer.volunteer) == []


def test_the_page_offers_the_answers_only_while_they_are_allowed(login_as, offer):
    client = login_as(offer.volunteer)
    page = client.get(offer.request.get_absolute_url()).content.decode()
    assert 'value="accept"' in page
    assert 'value="decline"' in page
    HelpOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(1))
    page = client.get(offer.request.get_absolute_url()).content.decode()
    assert 'value="accept"' not in page


def test_a_refused_answer_is_a_message_on_the_page_and_a_409_from_the_api(login_as, offer):
    url = f"/help/offers/{offer.pk}/answer/"
    client = login_as(offer.volunteer)
    forged = client.post(url, {"answer": "forged"})
    assert forged.status_code == 400
    assert "«answer»" in forged.content.decode()
    assert _status(offer) == O.OFFERED
    client.post(url, {"answer": "decline"})
    again = client.post(url, {"answer": "accept"}, follow=True)
    assert again.status_code == 200
    assert "уже недействительно" in again.content.decode()
    api = bearer(offer.volunteer).post(f"/api/v1/offers/{offer.pk}/accept")
    assert api.status_code == 409
    assert "уже недействительно" in api.json()["message"]
    assert _status(offer) == O.DECLINED


@pytest.mark.parametrize("body", [{}, {"answer": ""}, {"answer": "expire"}])
def test_an_answer_without_its_button_is_a_400_naming_it(login_as, offer, body):
    response = login_as(offer.volunteer).post(f"/help/offers/{offer.pk}/answer/", body)
    assert response.status_code == 400
    assert "«answer»" in response.content.decode()
    assert _status(offer) == O.OFFERED
