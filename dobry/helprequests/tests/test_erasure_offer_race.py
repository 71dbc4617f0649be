"""A helper's account is erased at the instant another helper accepts the same request.
The erasure withdraws the person's offers through the helpers' own locked path
(`offering.lock_offer`: the request, then the offer), so the two wait for each other and
the request ends as one of them after the other would leave it: never «assigned» with
fewer accepted helpers than it needs. As a negative control, on PostgreSQL, the same race
without the locks assigns the request counting the helper being erased."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dobry.accounts.services import user_erase
from dobry.core.tests.threads import at_once
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import offering
from dobry.helprequests.tests.factories import HelpRequestFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),  # one such test at a time: connection limits
]
S = HelpRequest.Status
O = HelpOffer.Status  # noqa: E741


def request_with(needed: int, erased: str, helper: str) -> tuple[HelpRequest, HelpOffer, HelpOffer]:
    """A request offered to two helpers: the one whose account is erased (in status
    `erased`) and the one who accepts (in status `helper`)."""
    help_request = HelpRequestFactory(status=S.OFFERED, volunteers_needed=needed)
    expires = timezone.now() + timedelta(hours=12)
    leaving, staying = (
        HelpOffer.objects.create(
            request=help_request, volunteer=volunteer(), expires_at=expires, status=status
        )
        for status in (erased, helper)
    )
    return help_request, leaving, staying


def race(monkeypatch, leaving: HelpOffer, staying: HelpOffer) -> list[BaseException]:
    """The erasure withdraws `leaving`, then pauses before it looks at what the request has
    left; only then does the other helper accept `staying`. With the locks the helper waits
    for the erasure (the pause ends after a second); without them the helper is done first.
    Returns what the threads raised."""
    withdrawn, accepted = threading.Event(), threading.Event()
    settle = offering._back_to_matching_if_unfilled

    def paused(**kwargs):
        withdrawn.set()
        accepted.wait(timeout=1)
        return settle(**kwargs)

    monkeypatch.setattr(offering, "_back_to_matching_if_unfilled", paused)

    def act(who: str) -> str:
        if who == "erase":
            user_erase(user=leaving.volunteer, actor=None)
        else:
            assert withdrawn.wait(timeout=60), "the erasure never reached the offer"
            try:
                offering.offer_respond(user=staying.volunteer, offer=staying, answer="accept")
            finally:
                accepted.set()
        return who

    done, raised = at_once(act, ["erase", "accept"])
    assert sorted(done) == ["accept", "erase"], raised
    return raised


def accepted_count(help_request: HelpRequest) -> int:
    return help_request.offers.filter(status=O.ACCEPTED).count()


def test_an_erasure_and_an_acceptance_at_once_leave_the_acceptance(monkeypatch):
    help_request, leaving, staying = request_with(1, O.OFFERED, O.OFFERED)
    assert race(monkeypatch, leaving, staying) == []
    help_request.refresh_from_db()
    leaving.refresh_from_db()
    staying.refresh_from_db()
    assert (help_request.status, leaving.status, staying.status) == (
        S.ASSIGNED,
        O.WITHDRAWN,
        O.ACCEPTED,
    )


def test_a_request_needing_two_is_never_assigned_with_one_left(monkeypatch):
    """One of two helpers who had accepted is erased as the second one accepts: the
    request needs another helper — it stays offered, or goes back to matching if the
    acceptance came first — and is never «assigned» to one helper out of two."""
    help_request, leaving, staying = request_with(2, O.ACCEPTED, O.OFFERED)
    assert race(monkeypatch, leaving, staying) == []
    help_request.refresh_from_db()
    leaving.refresh_from_db()
    staying.refresh_from_db()
    assert (leaving.status, staying.status) == (O.WITHDRAWN, O.ACCEPTED)
    assert help_request.status in (S.OFFERED, S.MATCHING)
    assert accepted_count(help_request) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs every write transaction alone (IMMEDIATE): no race to show",
)
def test_without_the_locks_the_request_is_assigned_counting_the_erased_helper(monkeypatch):
    """The negative control: without the request's lock the helper counts the acceptance
    the erasure is withdrawing, and the erasure decides on the request as it read it
    before the acceptance — «assigned», one helper out of the two it needs."""
    monkeypatch.setattr(
        offering,
        "lock_offer",
        lambda *, offer_id, request_id: HelpOffer.objects.select_related("request").get(
            pk=offer_id
        ),
    )
    help_request, leaving, staying = request_with(2, O.ACCEPTED, O.OFFERED)
    assert race(monkeypatch, leaving, staying) == []
    help_request.refresh_from_db()
    assert help_request.status == S.ASSIGNED
    assert accepted_count(help_request) == 1 < help_request.volunteers_needed
