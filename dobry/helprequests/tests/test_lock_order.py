"""A help request and its offers are locked in one order on every path that holds both —
the request, then the offer (`offering.lock_offer`): a helper answering and the scheduled
expiry of offers wait for each other in turn instead of deadlocking."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.core.tests.row_locks import first_lock, row_locks
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import offering
from dobry.helprequests.tests.factories import HelpRequestFactory, offerable_volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(coordinator):
    help_request = HelpRequestFactory(status=HelpRequest.Status.VERIFIED)
    [offer] = offering.offer_make(
        actor=coordinator, help_request=help_request, volunteers=[offerable_volunteer()]
    )
    return offer


@pytest.mark.parametrize("answer", ["accept", "decline"])
def test_a_helpers_answer_locks_the_request_before_the_offer(offer, answer):
    with row_locks() as taken:
        offering.offer_respond(user=offer.volunteer, offer=offer, answer=answer)
    assert first_lock(taken, HelpRequest) < first_lock(taken, HelpOffer)


def test_the_expiry_job_locks_the_request_before_the_offer(offer):
    HelpOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with row_locks() as taken:
        assert offering.offers_expire() == 1
    assert first_lock(taken, HelpRequest) < first_lock(taken, HelpOffer)
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.EXPIRED


def test_an_offer_answered_while_the_job_waited_does_not_expire(offer, monkeypatch):
    """The job reads the due offers, then waits for the request's lock; a helper who
    accepted meanwhile keeps the acceptance — the offer is read again under the lock."""
    HelpOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    lock_offer = offering.lock_offer

    def answered_meanwhile(**keys):
        HelpOffer.objects.filter(pk=keys["offer_id"]).update(status=HelpOffer.Status.ACCEPTED)
        return lock_offer(**keys)

    monkeypatch.setattr(offering, "lock_offer", answered_meanwhile)
    assert offering.offers_expire() == 0
    offer.refresh_from_db()
    assert offer.status == HelpOffer.Status.ACCEPTED
