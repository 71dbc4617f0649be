"""A vote closes by itself at its closing moment (the periodic job `close_due_votes`), as a
coordinator's «Подвести и опубликовать итоги» does: the tally is published, the ballots
are shuffled, the audit log says the system did it. A vote with officers waits
`DOBRY_VOTE_PAPER_HOURS` for the polling points' boxes. Two schedulers at once close a
vote once; as a negative control, without the vote's lock both close it."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Ballot, Vote
from dobry.civic.services import votes
from dobry.civic.tasks import close_due_votes
from dobry.civic.tests.factories import coordinator, running_vote, verified_resident
from dobry.civic.vote_selectors import tally
from dobry.core.audit import AuditEntry
from dobry.core.errors import InvalidTransition
from dobry.core.tests.threads import at_once


def _closings(vote):
    return AuditEntry.objects.filter(action="civic.vote_close", object_id=str(vote.pk))


def _voted(vote, count=3):
    for _n in range(count):
        votes.ballot_cast(
            actor=verified_resident(), vote=vote, option_ids=[vote.options.first().pk]
        )


@pytest.mark.django_db
def test_a_vote_is_closed_at_its_closing_moment_and_not_a_minute_before():
    vote = running_vote()
    _voted(vote)
    assert votes.votes_close_due(now=vote.closes_at - timedelta(minutes=1)) == 0
    vote.refresh_from_db()
    assert vote.status == Vote.Status.OPEN
    assert votes.votes_close_due(now=vote.closes_at) == 1
    vote.refresh_from_db()
    assert vote.status == Vote.Status.CLOSED
    assert vote.closed_at is not None
    assert tally(UserFactory(), vote).ballots == 3


@pytest.mark.django_db
def test_the_automatic_close_is_logged_as_the_systems_and_shuffles_the_ballots():
    vote = running_vote()
    _voted(vote, 4)
    keys_before = set(Ballot.objects.filter(vote=vote).values_list("id", flat=True))
    votes.votes_close_due(now=vote.closes_at + timedelta(seconds=1))
    entry = _closings(vote).get()
    assert entry.actor is None
    assert entry.data == {"automatic": True}
    keys_after = set(Ballot.objects.filter(vote=vote).values_list("id", flat=True))
    assert len(keys_after) == 4
    assert not keys_before & keys_after


@pytest.mark.django_db
def test_drafts_and_closed_votes_are_left_alone():
    past = timezone.now() - timedelta(days=2)
    draft = running_vote(status=Vote.Status.DRAFT, closes_at=past, opens_at=past - timedelta(1))
    closed = running_vote(status=Vote.Status.CLOSED, closes_at=past, opens_at=past - timedelta(1))
    assert votes.votes_close_due() == 0
    draft.refresh_from_db()
    assert draft.status == Vote.Status.DRAFT
    assert not _closings(closed).exists()


@pytest.mark.django_db
def test_a_vote_with_officers_waits_for_the_paper_ballots(settings):
    settings.DOBRY_VOTE_PAPER_HOURS = 24
    vote = running_vote()
    officer = UserFactory()
    vote.officers.add(officer)
    assert votes.closes_automatically_at(vote) == vote.closes_at + timedelta(hours=24)
    assert votes.votes_close_due(now=vote.closes_at + timedelta(hours=23)) == 0
    # the box of a polling point is entered after the end, before the automatic close
    votes.paper_ballot_enter(
        actor=officer, vote=vote, voter=UserFactory(), option_ids=[vote.options.first().pk],
        polling_point="Школа 90",
    )  # fmt: skip
    assert votes.votes_close_due(now=vote.closes_at + timedelta(hours=24)) == 1
    vote.refresh_from_db()
    assert tally(UserFactory(), vote).paper == 1


@pytest.mark.django_db
def test_a_coordinator_closes_a_vote_with_officers_once_its_end_passed(settings):
    settings.DOBRY_VOTE_PAPER_HOURS = 24
    vote = running_vote(closes_at=timezone.now() - timedelta(hours=1))
    vote.officers.add(UserFactory())
    assert votes.votes_close_due() == 0
    closed = votes.vote_move(actor=coordinator(), vote=vote, name="close")
    assert closed.status == Vote.Status.CLOSED
    assert _closings(vote).get().data == {"automatic": False}
    assert votes.votes_close_due(now=timezone.now() + timedelta(days=2)) == 0


@pytest.mark.django_db
def test_a_coordinator_cannot_close_a_vote_early():
    vote = running_vote()
    with pytest.raises(InvalidTransition, match="ещё идёт"):
        votes.vote_move(actor=coordinator(), vote=vote, name="close")


@pytest.mark.django_db
def test_the_periodic_task_closes_due_votes():
    vote = running_vote(closes_at=timezone.now() - timedelta(minutes=1))
    assert close_due_votes.call() == 1
    vote.refresh_from_db()
    assert vote.status == Vote.Status.CLOSED


def _slow_shuffle(monkeypatch):
    """Shuffling is slowed, as with many ballots, so that both schedulers have read the
    vote as open before either commits."""
    shuffle = votes.ballots_shuffle

    def slow(vote):
        time.sleep(0.3)
        shuffle(vote)

    monkeypatch.setattr(votes, "ballots_shuffle", slow)


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_two_schedulers_at_once_close_a_vote_once(monkeypatch):
    vote = running_vote(closes_at=timezone.now() - timedelta(minutes=1))
    _slow_shuffle(monkeypatch)
    counts, raised = at_once(lambda _n: votes.votes_close_due(), range(2))
    assert raised == []
    assert sorted(counts) == [0, 1]
    assert _closings(vote).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.xdist_group("concurrency")
def test_negative_control_without_the_lock_both_schedulers_close_it(monkeypatch):
    vote = running_vote(closes_at=timezone.now() - timedelta(minutes=1))
    _slow_shuffle(monkeypatch)
    monkeypatch.setattr(votes, "_lock_for_closing", lambda stale: stale)
    counts, raised = at_once(lambda _n: votes.votes_close_due(), range(2))
    assert raised == []
    assert counts == [1, 1]
    assert _closings(vote).count() == 2


@pytest.mark.django_db
def test_paper_ballots_end_when_the_vote_closes_automatically_even_if_the_scheduler_is_late(
    settings,
):
    """The boxes are entered until the automatic closing moment: a scheduler that is late
    or stopped leaves no window for ballots after it (a vote without officers ends its
    paper ballots at its closing moment, one with officers `DOBRY_VOTE_PAPER_HOURS` later)."""
    settings.DOBRY_VOTE_PAPER_HOURS = 24
    now, opened = timezone.now(), {"opens_at": timezone.now() - timedelta(days=3)}
    without_officers = running_vote(closes_at=now - timedelta(minutes=1), **opened)
    with_officers = running_vote(closes_at=now - timedelta(hours=25), **opened)
    officer = UserFactory()
    with_officers.officers.add(officer)
    in_time = running_vote(closes_at=now - timedelta(hours=23), **opened)
    in_time.officers.add(officer)
    for vote, actor in ((without_officers, coordinator()), (with_officers, officer)):
        with pytest.raises(InvalidTransition, match="прошло"):
            votes.paper_ballot_enter(
                actor=actor, vote=vote, voter=UserFactory(),
                option_ids=[vote.options.first().pk], polling_point="Школа 90",
            )  # fmt: skip
        assert not Ballot.objects.filter(vote=vote).exists()
    votes.paper_ballot_enter(
        actor=officer, vote=in_time, voter=UserFactory(),
        option_ids=[in_time.options.first().pk], polling_point="Школа 90",
    )  # fmt: skip
    assert Ballot.objects.filter(vote=in_time).count() == 1
