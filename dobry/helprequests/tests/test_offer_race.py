"""A request that needs one helper, offered to several who all press «Помогу» at once:
exactly one is accepted, the others are told clearly that it is taken — never an error
page. As a negative control, the same race without the transaction's row locks accepts
more than one. Runs on SQLite and on PostgreSQL."""

import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.core.errors import DomainError
from dobry.core.tests.threads import at_once
from dobry.events.tests.factories import volunteer
from dobry.helprequests import permissions
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import offering, workflow
from dobry.helprequests.tests.factories import HelpRequestFactory

HELPERS = 4

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),  # one such test at a time: connection limits
]


class NoTransaction:
    """`transaction` of the offers' and the workflow's services without its atomic blocks:
    nothing holds the offer or the request between reading and writing them."""

    @staticmethod
    @contextmanager
    def atomic(*args, **kwargs):
        yield


def offered_to_several(needed: int = 1) -> tuple[HelpRequest, list[HelpOffer]]:
    help_request = HelpRequestFactory(status=HelpRequest.Status.OFFERED, volunteers_needed=needed)
    expires = timezone.now() + timedelta(hours=12)
    offers = [
        HelpOffer.objects.create(request=help_request, volunteer=volunteer(), expires_at=expires)
        for _ in range(HELPERS)
    ]
    return help_request, offers


def race(monkeypatch, offers: list[HelpOffer]) -> tuple[list[HelpOffer], list[BaseException]]:
    """Every helper accepts their offer at once; the check between reading the offer and
    writing the answer is slowed down, as on a busy server."""
    allowed = permissions.can_answer_offer

    def slow_check(*args, **kwargs):
        time.sleep(0.05)
        return allowed(*args, **kwargs)

    monkeypatch.setattr(permissions, "can_answer_offer", slow_check)
    return at_once(
        lambda offer: offering.offer_respond(user=offer.volunteer, offer=offer, answer="accept"),
        offers,
    )


def test_helpers_racing_for_a_request_that_needs_one_leave_exactly_one_accepted(monkeypatch):
    help_request, offers = offered_to_several(needed=1)
    accepted, refused = race(monkeypatch, offers)
    assert len(accepted) == 1
    assert len(refused) == HELPERS - 1
    # every other helper gets the page's clear message (a DomainError), not a 500
    assert all(isinstance(error, DomainError) for error in refused), refused
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.ASSIGNED
    statuses = sorted(help_request.offers.values_list("status", flat=True))
    assert statuses == sorted(
        [HelpOffer.Status.ACCEPTED] + [HelpOffer.Status.WITHDRAWN] * (HELPERS - 1)
    )


def test_a_request_that_needs_two_gets_exactly_two(monkeypatch):
    help_request, offers = offered_to_several(needed=2)
    accepted, refused = race(monkeypatch, offers)
    assert len(accepted) == 2
    assert all(isinstance(error, DomainError) for error in refused), refused
    help_request.refresh_from_db()
    assert help_request.status == HelpRequest.Status.ASSIGNED
    assert help_request.offers.filter(status=HelpOffer.Status.ACCEPTED).count() == 2


def test_without_the_locks_the_same_race_accepts_too_many(monkeypatch):
    for module in (offering, workflow):
        monkeypatch.setattr(module, "transaction", NoTransaction)
    # a row lock needs a transaction (PostgreSQL refuses one outside): plain reads instead
    monkeypatch.setattr(offering, "lock_rows", lambda rows, keys: list(rows.filter(pk__in=keys)))
    monkeypatch.setattr(HelpRequest.objects, "select_for_update", HelpRequest.objects.all)
    help_request, offers = offered_to_several(needed=1)
    race(monkeypatch, offers)
    assert help_request.offers.filter(status=HelpOffer.Status.ACCEPTED).count() > 1
