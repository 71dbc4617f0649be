"""Help requests move by HELP_REQUEST_WORKFLOW (moves named by the status they lead to);
offers are withdrawn by OFFER_WORKFLOW even when many move at once: one UPDATE, only from
the states the workflow withdraws from, and an audit entry on the request for each offer
moved; an expiring offer gets its entry too."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dobry.core.audit import describe
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HELP_REQUEST_WORKFLOW, HelpOffer, HelpRequest
from dobry.helprequests.services import completion, offering, workflow
from dobry.helprequests.tests.factories import (
    HelpRequestFactory,
    accepted_helper,
    offerable_volunteer,
)

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
O = HelpOffer.Status  # noqa: E741


def test_each_move_is_named_by_where_it_leads_and_labelled_with_its_name():
    for move in HELP_REQUEST_WORKFLOW.moves:
        assert move.name == move.target
        assert str(move.label) == HELP_REQUEST_WORKFLOW.staff_name(move.target)
    assert {m.name for m in HELP_REQUEST_WORKFLOW.moves if m.needs_reason} == {
        S.WAITING,
        S.CANCELLED,
        S.REJECTED,
    }


@pytest.fixture
def offers():
    """A request with offers in every state of the offer's workflow."""
    help_request = HelpRequestFactory(status=S.OFFERED, volunteers_needed=3)
    expires = timezone.now() + timedelta(hours=12)
    return help_request, {
        status: HelpOffer.objects.create(
            request=help_request, volunteer=volunteer(), status=status, expires_at=expires
        )
        for status in O.values
    }


def _statuses(offers):
    return {status: HelpOffer.objects.get(pk=offer.pk).status for status, offer in offers.items()}


def test_cancelling_withdraws_offered_and_accepted_offers_in_one_update(coordinator, offers):
    help_request, made = offers
    with CaptureQueriesContext(connection) as queries:
        workflow.request_transition(
            actor=coordinator, help_request=help_request, to=S.CANCELLED, reason="Уехала"
        )
    updates = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('UPDATE "helprequests_helpoffer"')
    ]
    assert len(updates) == 1
    assert _statuses(made) == {
        O.OFFERED: O.WITHDRAWN,
        O.ACCEPTED: O.WITHDRAWN,
        O.DECLINED: O.DECLINED,
        O.EXPIRED: O.EXPIRED,
        O.WITHDRAWN: O.WITHDRAWN,
    }
    entries = AuditEntry.objects.filter(action="helprequest.offer_withdraw")
    assert sorted(
        (e.object_id, e.actor, e.data["from"], e.data["volunteers"]) for e in entries
    ) == [
        (str(help_request.pk), coordinator, status, [made[status].volunteer_id])
        for status in sorted([O.ACCEPTED, O.OFFERED])
    ]


def test_the_journal_reads_the_offers_states(coordinator, offers):
    help_request, _made = offers
    workflow.request_transition(
        actor=coordinator, help_request=help_request, to=S.CANCELLED, reason="Уехала"
    )
    [line] = describe(AuditEntry.objects.filter(action="helprequest.offer_withdraw")[:1])
    assert line.action == "предложение помощи отозвано"
    was = dict(line.lines)["было"]
    assert (was, dict(line.lines)["стало"]) in {("предложено", "отозвано"), ("принято", "отозвано")}


def test_enough_helpers_withdraw_the_other_offers_through_the_workflow(coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED, volunteers_needed=1)
    first, second = offering.offer_make(
        actor=coordinator,
        help_request=help_request,
        volunteers=[offerable_volunteer(), offerable_volunteer()],
    )
    offering.offer_respond(user=first.volunteer, offer=first, answer="accept")
    second.refresh_from_db()
    assert second.status == O.WITHDRAWN
    entry = AuditEntry.objects.get(action="helprequest.offer_withdraw")
    assert (entry.actor, entry.data) == (
        first.volunteer,
        {"volunteers": [second.volunteer_id], "from": O.OFFERED, "to": O.WITHDRAWN},
    )


def test_an_expired_offer_is_moved_by_the_workflow_with_its_entry(coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    [offer] = offering.offer_make(
        actor=coordinator, help_request=help_request, volunteers=[offerable_volunteer()]
    )
    HelpOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(1))
    assert offering.offers_expire() == 1
    offer.refresh_from_db()
    assert offer.status == O.EXPIRED
    entry = AuditEntry.objects.get(action="helprequest.offer_expire")
    assert (entry.actor, entry.object_id, entry.data["from"]) == (
        None,
        str(help_request.pk),
        O.OFFERED,
    )
    assert offering.offers_expire() == 0


def test_the_page_offers_the_workflows_moves(login_as, coordinator):
    help_request = HelpRequestFactory(status=S.ASSIGNED)
    page = login_as(coordinator).get(help_request.get_absolute_url()).content.decode()
    assert "/complete/" not in page  # nobody has reported yet
    helper = accepted_helper(help_request)
    completion.help_report(volunteer=helper, help_request=help_request, text="Купил", hours="1")
    page = login_as(coordinator).get(help_request.get_absolute_url()).content.decode()
    assert f'action="/help/{help_request.pk}/complete/"' in page
    for move in HELP_REQUEST_WORKFLOW.allowed(S.IN_PROGRESS):
        shown = f'<option value="{move.name}">{move.label}</option>' in page
        assert shown is move.button
    HelpRequest.objects.filter(pk=help_request.pk).update(status=S.MATCHING)
    page = login_as(coordinator).get(help_request.get_absolute_url()).content.decode()
    assert "/complete/" not in page
