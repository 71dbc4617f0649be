"""The help request's status moves, every pair of statuses: the allowed ones move (closing
with a date, releasing offers, telling whom it concerns), the others are refused and
change nothing."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.communications.models import Notification
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.models import AuditEntry
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import workflow
from dobry.helprequests.tests.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db
S = HelpRequest.Status

# The workflow as the coordinators' guide describes it, written out here on its own: a
# change to models.HELP_REQUEST_WORKFLOW must change this table too. Help under way goes back
# to matching when its helper is gone (an erased account) or the coordinator finds another.
ALLOWED = {
    S.NEW: {S.VERIFIED, S.WAITING, S.REJECTED, S.CANCELLED},
    S.VERIFIED: {S.MATCHING, S.WAITING, S.REJECTED, S.CANCELLED},
    S.MATCHING: {S.OFFERED, S.ASSIGNED, S.WAITING, S.CANCELLED},
    S.OFFERED: {S.ASSIGNED, S.MATCHING, S.WAITING, S.CANCELLED},
    S.ASSIGNED: {S.IN_PROGRESS, S.MATCHING, S.CANCELLED, S.DONE},
    S.IN_PROGRESS: {S.DONE, S.MATCHING, S.CANCELLED},
    S.WAITING: {S.VERIFIED, S.MATCHING, S.CANCELLED, S.REJECTED},
    S.DONE: set(),
    S.CANCELLED: set(),
    S.REJECTED: set(),
}
PAIRS = list(itertools.product(S.values, S.values))
NEEDS_REASON = {S.REJECTED, S.CANCELLED, S.WAITING}
CLOSED = {S.DONE, S.CANCELLED, S.REJECTED}
# what the person who asked is told about; the desk's internal steps are not news to them
TOLD = {S.VERIFIED, S.WAITING, S.ASSIGNED, S.DONE, S.REJECTED, S.CANCELLED}


def test_the_table_covers_every_status():
    assert set(ALLOWED) == set(S.values)
    assert {to for targets in ALLOWED.values() for to in targets} <= set(S.values)


@pytest.mark.parametrize(("current", "to"), [p for p in PAIRS if p[1] in ALLOWED[p[0]]])
def test_an_allowed_move_happens_and_is_logged(coordinator, resident, current, to):
    help_request = HelpRequestFactory(status=current, requester=resident)
    moved = workflow.request_transition(
        actor=coordinator, help_request=help_request, to=to, reason="Созвонились"
    )
    help_request.refresh_from_db()
    assert moved.status == help_request.status == to
    assert (help_request.closed_at is not None) is (to in CLOSED)
    entry = AuditEntry.objects.get(action="helprequest.transition", object_id=str(help_request.pk))
    assert entry.data == {"from": current, "to": to, "reason": "Созвонились"}
    told = Notification.objects.filter(user=resident, kind="help_request_status").exists()
    assert told is (to in TOLD)


@pytest.mark.parametrize(("current", "to"), [p for p in PAIRS if p[1] not in ALLOWED[p[0]]])
def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(
    coordinator, resident, current, to
):
    help_request = HelpRequestFactory(status=current, requester=resident)
    with pytest.raises(InvalidTransition):
        workflow.request_transition(
            actor=coordinator, help_request=help_request, to=to, reason="Причина"
        )
    help_request.refresh_from_db()
    assert help_request.status == current
    assert help_request.reason == ""
    assert not AuditEntry.objects.filter(action="helprequest.transition").exists()
    assert not Notification.objects.filter(user=resident).exists()


@pytest.mark.parametrize("to", sorted(NEEDS_REASON))
@pytest.mark.parametrize("reason", ["", "   \n"])
def test_refusing_cancelling_and_pausing_need_a_reason(coordinator, to, reason):
    help_request = HelpRequestFactory(status=S.NEW)
    with pytest.raises(DomainError) as refused:
        workflow.request_transition(
            actor=coordinator, help_request=help_request, to=to, reason=reason
        )
    assert refused.value.field_errors == {"reason": ["Обязательное поле."]}
    help_request.refresh_from_db()
    assert help_request.status == S.NEW


@pytest.mark.parametrize("to", ["", "archived", "NEW", "new "])
def test_an_unknown_status_is_named_as_the_error(coordinator, to):
    help_request = HelpRequestFactory(status=S.NEW)
    with pytest.raises(DomainError) as refused:
        workflow.request_transition(actor=coordinator, help_request=help_request, to=to)
    assert refused.value.message == "Неизвестный статус."
    assert "to" in refused.value.field_errors


def test_a_move_made_from_a_stale_copy_is_judged_on_the_stored_status(coordinator):
    """Two coordinators on one page: the second click judges the status stored now."""
    help_request = HelpRequestFactory(status=S.NEW)
    stale = HelpRequest.objects.get(pk=help_request.pk)
    workflow.request_transition(
        actor=coordinator, help_request=help_request, to=S.REJECTED, reason="Не наш профиль"
    )
    with pytest.raises(InvalidTransition):
        workflow.request_transition(actor=coordinator, help_request=stale, to=S.VERIFIED)
    help_request.refresh_from_db()
    assert help_request.status == S.REJECTED


def test_a_reason_given_with_a_move_is_kept_on_the_request(coordinator):
    help_request = HelpRequestFactory(status=S.NEW)
    workflow.request_transition(
        actor=coordinator, help_request=help_request, to=S.WAITING, reason="  Уточнить адрес  "
    )
    help_request.refresh_from_db()
    assert help_request.reason == "Уточнить адрес"
    workflow.request_transition(actor=coordinator, help_request=help_request, to=S.VERIFIED)
    help_request.refresh_from_db()
    assert help_request.reason == "Уточнить адрес"  # a move without a reason keeps the last


@pytest.fixture
def taken():
    """A request with an accepted helper, one still offered, one who declined."""
    help_request = HelpRequestFactory(status=S.ASSIGNED, volunteers_needed=2)
    expires = timezone.now() + timedelta(hours=12)
    people = {name: volunteer() for name in ("accepted", "offered", "declined")}
    for name, person in people.items():
        HelpOffer.objects.create(
            request=help_request, volunteer=person, status=name, expires_at=expires
        )
    return help_request, people


def offer_statuses(help_request):
    return dict(help_request.offers.values_list("volunteer__email", "status"))


@pytest.mark.parametrize("to", [S.CANCELLED, S.DONE])
def test_closing_withdraws_live_offers_and_tells_the_helper_of_a_cancellation(
    coordinator, taken, to
):
    help_request, people = taken
    workflow.request_transition(actor=coordinator, help_request=help_request, to=to, reason="—")
    statuses = offer_statuses(help_request)
    assert statuses[people["offered"].email] == HelpOffer.Status.WITHDRAWN
    assert statuses[people["declined"].email] == HelpOffer.Status.DECLINED
    # after «done» the helper's acceptance stays as history; a cancellation releases them
    expected = HelpOffer.Status.ACCEPTED if to == S.DONE else HelpOffer.Status.WITHDRAWN
    assert statuses[people["accepted"].email] == expected
    told = Notification.objects.filter(kind="help_task_cancelled").values_list("user", flat=True)
    assert list(told) == ([] if to == S.DONE else [people["accepted"].pk])


def test_a_helper_who_cancels_is_not_told_about_their_own_cancellation(taken):
    help_request, people = taken
    workflow.request_transition(
        actor=people["accepted"], help_request=help_request, to=S.CANCELLED, reason="Заболел"
    )
    assert not Notification.objects.filter(kind="help_task_cancelled").exists()


def test_the_platform_moving_a_request_tells_the_requester(resident):
    help_request = HelpRequestFactory(status=S.NEW, requester=resident)
    workflow.request_transition(actor=None, help_request=help_request, to=S.VERIFIED)
    assert Notification.objects.filter(user=resident, kind="help_request_status").count() == 1
    entry = AuditEntry.objects.get(action="helprequest.transition")
    assert entry.actor is None


def test_a_request_taken_by_phone_tells_nobody(coordinator):
    help_request = HelpRequestFactory(status=S.NEW, requester=None)
    workflow.request_transition(actor=coordinator, help_request=help_request, to=S.VERIFIED)
    assert not Notification.objects.filter(kind="help_request_status").exists()


@pytest.mark.parametrize(
    ("current", "expected"),
    [(status, ALLOWED[status]) for status in S.values],
)
def test_next_statuses_are_the_tables_moves(current, expected):
    assert workflow.next_statuses(HelpRequestFactory.build(status=current)) == expected
