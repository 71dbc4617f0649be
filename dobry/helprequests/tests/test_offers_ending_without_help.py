"""An offer that ends without help — withdrawn because its helper's account is erased, or
declined — goes through the helpers' own locked path (`offering.lock_offer`: the request,
then the offer), and a request left without the helpers it needs goes back to the
coordinators' matching. Erasure used to withdraw the offers without locking the request,
and neither erasure nor the last «Не смогу» moved the request: it stayed «offered» with
nobody to answer (or «assigned» to a helper who no longer exists)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.services import user_erase
from dobry.accounts.tests.factories import bearer
from dobry.core.models import AuditEntry
from dobry.core.tests.row_locks import first_lock, row_locks
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import offering
from dobry.helprequests.tests.factories import HelpRequestFactory, offerable_volunteer

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
O = HelpOffer.Status  # noqa: E741


def offered(status: str = S.OFFERED, needed: int = 1, **answers: str) -> HelpRequest:
    """A request in `status` needing `needed` helpers, with an offer to a new volunteer per
    keyword (`v=O.ACCEPTED`); the offers are reachable by `offer_of(request, name)`."""
    help_request = HelpRequestFactory(status=status, volunteers_needed=needed)
    expires = timezone.now() + timedelta(hours=12)
    help_request.by_name = {
        name: HelpOffer.objects.create(
            request=help_request, volunteer=offerable_volunteer(), expires_at=expires, status=st
        )
        for name, st in answers.items()
    }
    return help_request


def state(help_request: HelpRequest) -> tuple[str, dict[str, str]]:
    help_request.refresh_from_db()
    return help_request.status, {
        name: HelpOffer.objects.get(pk=offer.pk).status
        for name, offer in help_request.by_name.items()
    }


# --- erasure ------------------------------------------------------------------------------


def test_erasing_the_only_helper_asked_sends_the_request_back_to_matching():
    help_request = offered(v=O.OFFERED)
    user_erase(user=help_request.by_name["v"].volunteer, actor=None)
    assert state(help_request) == (S.MATCHING, {"v": O.WITHDRAWN})
    entry = AuditEntry.objects.filter(action="helprequest.transition").latest("pk")
    assert (entry.actor, entry.data["from"], entry.data["to"]) == (None, S.OFFERED, S.MATCHING)


def test_the_request_stays_offered_while_someone_else_may_still_answer():
    help_request = offered(v=O.OFFERED, w=O.OFFERED)
    user_erase(user=help_request.by_name["v"].volunteer, actor=None)
    assert state(help_request) == (S.OFFERED, {"v": O.WITHDRAWN, "w": O.OFFERED})


def test_the_request_stays_offered_while_a_helper_who_accepted_remains():
    help_request = offered(needed=2, v=O.OFFERED, w=O.ACCEPTED)
    user_erase(user=help_request.by_name["v"].volunteer, actor=None)
    assert state(help_request) == (S.OFFERED, {"v": O.WITHDRAWN, "w": O.ACCEPTED})


def test_an_assigned_helper_erased_before_the_help_began_frees_the_request():
    help_request = offered(status=S.ASSIGNED, v=O.ACCEPTED)
    user_erase(user=help_request.by_name["v"].volunteer, actor=None)
    assert state(help_request) == (S.MATCHING, {"v": O.WITHDRAWN})


def test_one_of_two_assigned_helpers_erased_the_other_keeps_the_acceptance(coordinator):
    help_request = offered(status=S.ASSIGNED, needed=2, v=O.ACCEPTED, w=O.ACCEPTED)
    user_erase(user=help_request.by_name["v"].volunteer, actor=None)
    assert state(help_request) == (S.MATCHING, {"v": O.WITHDRAWN, "w": O.ACCEPTED})
    # the coordinators find the second helper again, as for any request in matching
    [third] = offering.offer_make(
        actor=coordinator, help_request=help_request, volunteers=[offerable_volunteer()]
    )
    offering.offer_respond(user=third.volunteer, offer=third, answer="accept")
    help_request.refresh_from_db()
    assert help_request.status == S.ASSIGNED
    assert help_request.offers.filter(status=O.ACCEPTED).count() == 2


def test_an_acceptance_whose_help_is_done_stays_as_its_history():
    help_request = offered(status=S.DONE, v=O.ACCEPTED)
    user_erase(user=help_request.by_name["v"].volunteer, actor=None)
    assert state(help_request) == (S.DONE, {"v": O.ACCEPTED})


def test_a_helper_erased_while_the_help_is_under_way_frees_the_request():
    """Help in progress is not done: the acceptance is withdrawn as before the help began
    (test_help_under_way_erasure.py has the rest)."""
    help_request = offered(status=S.IN_PROGRESS, v=O.ACCEPTED)
    user_erase(user=help_request.by_name["v"].volunteer, actor=None)
    assert state(help_request) == (S.MATCHING, {"v": O.WITHDRAWN})


def test_other_peoples_offers_are_left_alone():
    help_request = offered(v=O.OFFERED, w=O.OFFERED)
    other = offered(w=O.OFFERED)
    user_erase(user=help_request.by_name["v"].volunteer, actor=None)
    assert state(other) == (S.OFFERED, {"w": O.OFFERED})


def test_erasure_locks_each_request_before_its_offer():
    help_request = offered(v=O.OFFERED)
    with row_locks() as taken:
        assert offering.volunteer_offers_withdraw(volunteer=help_request.by_name["v"].volunteer)
    assert first_lock(taken, HelpRequest) < first_lock(taken, HelpOffer)


def test_an_offer_answered_before_the_lock_is_read_again_under_it(monkeypatch):
    """The erasure lists the person's offers, then waits for each request's lock; an offer
    that was declined meanwhile is not withdrawn over the answer."""
    help_request = offered(v=O.OFFERED, w=O.OFFERED)
    lock_offer = offering.lock_offer

    def answered_meanwhile(**keys):
        HelpOffer.objects.filter(pk=keys["offer_id"]).update(status=O.DECLINED)
        return lock_offer(**keys)

    monkeypatch.setattr(offering, "lock_offer", answered_meanwhile)
    assert offering.volunteer_offers_withdraw(volunteer=help_request.by_name["v"].volunteer) == 0
    assert state(help_request) == (S.OFFERED, {"v": O.DECLINED, "w": O.OFFERED})


# --- the last «Не смогу» ------------------------------------------------------------------


def test_the_last_decline_sends_the_request_back_to_matching_in_the_service():
    help_request = offered(v=O.OFFERED, w=O.OFFERED)
    v, w = help_request.by_name["v"], help_request.by_name["w"]
    offering.offer_respond(user=v.volunteer, offer=v, answer="decline")
    assert state(help_request) == (S.OFFERED, {"v": O.DECLINED, "w": O.OFFERED})
    offering.offer_respond(user=w.volunteer, offer=w, answer="decline")
    assert state(help_request) == (S.MATCHING, {"v": O.DECLINED, "w": O.DECLINED})


def test_the_last_decline_on_the_page_sends_the_request_back_to_matching(login_as):
    help_request = offered(v=O.OFFERED)
    offer = help_request.by_name["v"]
    response = login_as(offer.volunteer).post(
        f"/help/offers/{offer.pk}/answer/", {"answer": "decline"}, follow=True
    )
    assert "Ответ записан." in response.content.decode()
    assert state(help_request) == (S.MATCHING, {"v": O.DECLINED})


def test_the_last_decline_through_the_api_sends_the_request_back_to_matching():
    help_request = offered(v=O.OFFERED)
    offer = help_request.by_name["v"]
    response = bearer(offer.volunteer).post(f"/api/v1/offers/{offer.pk}/decline")
    assert response.status_code == 200
    assert response.json()["status"] == O.DECLINED
    assert state(help_request) == (S.MATCHING, {"v": O.DECLINED})


def test_a_decline_beside_an_acceptance_keeps_the_request_offered():
    help_request = offered(needed=2, v=O.ACCEPTED, w=O.OFFERED)
    w = help_request.by_name["w"]
    offering.offer_respond(user=w.volunteer, offer=w, answer="decline")
    assert state(help_request) == (S.OFFERED, {"v": O.ACCEPTED, "w": O.DECLINED})


def test_someone_elses_offer_cannot_be_declined_on_their_behalf(client, login_as, outsider):
    help_request = offered(v=O.OFFERED)
    offer = help_request.by_name["v"]
    assert client.post(f"/help/offers/{offer.pk}/answer/", {"answer": "decline"}).status_code == (
        302
    )
    assert client.post(f"/api/v1/offers/{offer.pk}/decline").status_code == 401
    assert (
        login_as(outsider)
        .post(f"/help/offers/{offer.pk}/answer/", {"answer": "decline"})
        .status_code
        == 404
    )
    assert bearer(outsider).post(f"/api/v1/offers/{offer.pk}/decline").status_code == 404
    assert state(help_request) == (S.OFFERED, {"v": O.OFFERED})
