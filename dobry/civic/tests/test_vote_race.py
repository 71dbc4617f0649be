"""Ballots arriving at the same instant: one voter pressing «vote» in many tabs (or online
and at a polling point at once) keeps one ballot; a crowd of voters all count. As a
negative control, without the vote's locked transaction the same presses leave ballots the
database refused marks for — the tally would no longer add up. Runs on SQLite and on
PostgreSQL."""

import time
from contextlib import contextmanager

import pytest

from dobry.civic.models import Ballot, VoterMark
from dobry.civic.services import votes
from dobry.civic.tests.factories import coordinator, running_vote, verified_resident
from dobry.core.errors import DomainError
from dobry.core.tests.threads import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("concurrency"),
]
TABS = 8


def _slow_check(monkeypatch):
    """The «already voted?» check is slowed, as on a busy server, so that without the lock
    every thread checks before any has written."""
    checked = votes.has_voted

    def slow(vote, voter):
        found = checked(vote, voter)
        time.sleep(0.2)
        return found

    monkeypatch.setattr(votes, "has_voted", slow)


def _press(vote, resident, option):
    return at_once(
        lambda _n: votes.ballot_cast(actor=resident, vote=vote, option_ids=[option]),
        range(TABS),
        timeout=120,
    )


def test_one_voter_voting_in_many_tabs_at_once_keeps_one_ballot(monkeypatch):
    _slow_check(monkeypatch)
    vote = running_vote()
    resident = verified_resident()
    taken, raised = _press(vote, resident, vote.options.first().pk)
    refusals = [e for e in raised if isinstance(e, DomainError)]
    assert len(taken) == 1, raised
    assert len(refusals) == TABS - 1, raised
    assert {e.message for e in refusals} == {"Вы уже проголосовали в этом голосовании."}
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert VoterMark.objects.filter(vote=vote).count() == 1


def test_online_and_paper_at_the_same_instant_keep_one_ballot(monkeypatch):
    _slow_check(monkeypatch)
    vote = running_vote()
    resident, officer = verified_resident(), coordinator()
    option = vote.options.first().pk

    def cast(n):
        if n % 2:
            return votes.ballot_cast(actor=resident, vote=vote, option_ids=[option])
        return votes.paper_ballot_enter(
            actor=officer, vote=vote, voter=resident, option_ids=[option], polling_point="1"
        )

    taken, raised = at_once(cast, range(6), timeout=120)
    assert len(taken) == 1, raised
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_a_crowd_voting_at_once_is_counted_whole():
    vote = running_vote()
    crowd = [verified_resident() for _n in range(10)]
    option = vote.options.first().pk
    taken, raised = at_once(
        lambda person: votes.ballot_cast(actor=person, vote=vote, option_ids=[option]), crowd
    )
    assert len(taken) == 10, raised
    assert Ballot.objects.filter(vote=vote).count() == 10
    assert VoterMark.objects.filter(vote=vote).count() == 10


def test_without_the_locked_transaction_the_tabs_leave_ballots_without_marks(monkeypatch):
    @contextmanager
    def unguarded(queryset, pk):
        yield queryset.get(pk=pk)

    monkeypatch.setattr(votes, "locked", unguarded)
    _slow_check(monkeypatch)
    vote = running_vote()
    resident = verified_resident()
    _press(vote, resident, vote.options.first().pk)
    # The database still keeps one mark — its constraint holds — but the ballots written
    # before the refused marks stay: more ballots than voters.
    assert VoterMark.objects.filter(vote=vote).count() == 1
    assert Ballot.objects.filter(vote=vote).count() > 1
