"""Offers keep the project's one order of refusals: anyone but the volunteer the offer was
made to gets 403 whatever its state; the volunteer gets 409 for an offer already answered
or expired (the expiry used to be told as a permission refusal)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import InvalidTransition, PermissionDenied
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import offering
from dobry.helprequests.tests.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db
O = HelpOffer.Status  # noqa: E741


def offer(status: str, *, expired: bool = False) -> HelpOffer:
    moment = timezone.now() + (timedelta(hours=-1) if expired else timedelta(hours=1))
    return HelpOffer.objects.create(
        request=HelpRequestFactory(status=HelpRequest.Status.OFFERED),
        volunteer=volunteer(),
        status=status,
        expires_at=moment,
    )


@pytest.mark.parametrize("status", [O.OFFERED, O.ACCEPTED, O.DECLINED])
def test_someone_else_answering_gets_403_in_every_state(status):
    made = offer(status)
    with pytest.raises(PermissionDenied):
        offering.offer_respond(user=UserFactory(), offer=made, answer="accept")


def test_the_volunteer_gets_409_once_answered_or_expired():
    answered = offer(O.DECLINED)
    with pytest.raises(InvalidTransition):
        offering.offer_respond(user=answered.volunteer, offer=answered, answer="accept")
    expired = offer(O.OFFERED, expired=True)
    with pytest.raises(InvalidTransition, match="недействительно"):
        offering.offer_respond(user=expired.volunteer, offer=expired, answer="accept")
    expired.refresh_from_db()
    assert expired.status == O.OFFERED
