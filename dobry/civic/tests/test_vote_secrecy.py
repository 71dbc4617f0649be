"""The ballot is secret by construction: a test that tries to link voters to their choices —
by a key, by a time, by the order of rows — and fails; and nothing that leaves the site
(pages, API, exports, the audit log) joins a voter to a choice.

Ten residents vote in a known order, each for a different option, so that any link would
show as the voter order matching the choice order."""

import json
from datetime import date, datetime

import pytest
from django.db import connection, models

from dobry.accounts import personal_data
from dobry.accounts.services import user_erase
from dobry.civic.models import Ballot, BallotChoice, ResidentVerification, VoterMark
from dobry.civic.services import votes
from dobry.civic.tests.factories import close_now, coordinator, running_vote, verified_resident
from dobry.civic.vote_selectors import tally
from dobry.core.models import AuditEntry

pytestmark = pytest.mark.django_db
VOTERS = 10


@pytest.fixture
def cast():
    """A closed vote where voter n chose option n (n = 1 … 10), cast in that order."""
    vote = running_vote(options=VOTERS, max_choices=1)
    options = list(vote.options.order_by("position"))
    voters = []
    for option in options:
        voter = verified_resident()
        votes.ballot_cast(actor=voter, vote=vote, option_ids=[option.pk])
        voters.append(voter)
    return vote, voters, options


def _choice_order(ballots) -> list[int]:
    return [BallotChoice.objects.get(ballot_id=b).option.position for b in ballots]


def _casting_order() -> list[int]:
    return list(range(1, VOTERS + 1))


def test_a_ballot_has_no_voter_no_time_and_a_random_key():
    for model in (Ballot, BallotChoice):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.DateTimeField), field
            related = getattr(field, "related_model", None)
            assert related is None or related._meta.label in {
                "civic.Vote",
                "civic.Ballot",
                "civic.VoteOption",
            }, field
        assert isinstance(model._meta.pk, models.UUIDField)
    mark_fields = {f.name for f in VoterMark._meta.get_fields()}
    assert not mark_fields & {"ballot", "choice", "choices", "option", "receipt_hash"}


def test_a_ballot_shares_nothing_with_its_voters_mark_but_the_vote():
    """A field both carry joins the few ballots and marks that share a value — the one
    paper ballot of a vote and its one paper voter — whatever the keys and the order."""
    ballot_fields = {f.name for f in Ballot._meta.concrete_fields}
    mark_fields = {f.name for f in VoterMark._meta.concrete_fields}
    assert ballot_fields & mark_fields - {"id"} == {"vote"}


def test_linking_by_key_order_fails(cast):
    vote, voters, _options = cast
    by_key = list(Ballot.objects.filter(vote=vote).order_by("pk").values_list("pk", flat=True))
    marks = list(VoterMark.objects.filter(vote=vote).order_by("pk").values_list("user", flat=True))
    assert marks == [v.pk for v in voters]  # the voters' table is in casting order …
    assert _choice_order(by_key) != _casting_order()  # … the ballots' keys are not


def test_linking_by_the_models_default_order_fails(cast):
    vote, _voters, _options = cast
    listed = list(Ballot.objects.filter(vote=vote).values_list("pk", flat=True))
    assert _choice_order(listed) != _casting_order()


def test_linking_by_the_order_rows_lie_in_the_table_fails_once_the_vote_is_closed(cast):
    vote, _voters, _options = cast
    close_now(vote)
    votes.vote_move(actor=coordinator(), vote=vote, name="close")
    with connection.cursor() as cursor:  # no ORDER BY: the order the rows were written in
        cursor.execute(f"SELECT id FROM {Ballot._meta.db_table}")
        raw = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT ballot_id FROM {BallotChoice._meta.db_table}")
        raw_choices = [row[0] for row in cursor.fetchall()]
    assert len(raw) == VOTERS
    assert _choice_order(raw) != _casting_order()
    assert _choice_order(raw_choices) != _casting_order()


def test_the_receipts_still_verify_after_the_ballots_are_shuffled():
    vote = running_vote(options=3, max_choices=1)
    receipts = [
        votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=[option.pk])
        for option in vote.options.all()
    ]
    close_now(vote)
    votes.vote_move(actor=coordinator(), vote=vote, name="close")
    assert [votes.receipt_check(r) for r in receipts] == [vote] * 3
    assert BallotChoice.objects.filter(ballot__vote=vote).count() == 3


def test_linking_by_time_fails_no_ballot_row_holds_a_time(cast):
    vote, _voters, _options = cast
    for row in Ballot.objects.filter(vote=vote).values():
        assert not any(isinstance(value, date | datetime) for value in row.values()), row
    assert set(VoterMark.objects.filter(vote=vote).values_list("voted_on", flat=True)) == {
        VoterMark.objects.first().voted_on
    }


def test_the_audit_log_names_the_vote_never_a_ballot_or_a_choice(cast):
    vote, _voters, options = cast
    entries = AuditEntry.objects.filter(action="civic.vote_cast")
    assert entries.count() == VOTERS
    assert set(entries.values_list("object_type", "object_id")) == {("civic.vote", str(vote.pk))}
    ballot_ids = {str(pk) for pk in Ballot.objects.values_list("pk", flat=True)}
    dumped = json.dumps(list(entries.values("data")), default=str)
    assert not any(pk in dumped for pk in ballot_ids)
    assert not any(f'"{option.pk}"' in dumped for option in options)


def test_a_voters_export_says_they_voted_never_what_they_chose(cast):
    vote, voters, options = cast
    exported = personal_data.export_sections(voters[3])
    section = exported["initiatives"]["votes"]
    assert [entry["vote"] for entry in section] == [vote.title]
    text = json.dumps(exported, default=str, ensure_ascii=False)
    assert options[3].title not in text
    assert not any(str(pk) in text for pk in Ballot.objects.values_list("pk", flat=True))


def test_on_erasure_the_mark_stays_without_the_person_so_the_tally_adds_up(cast):
    vote, voters, _options = cast
    erased = user_erase(user=voters[0], actor=None)
    assert not ResidentVerification.objects.filter(user=erased).exists()
    assert VoterMark.objects.filter(vote=vote, user=None).count() == 1
    assert VoterMark.objects.filter(vote=vote).count() == Ballot.objects.filter(vote=vote).count()
    close_now(vote)
    closed = votes.vote_move(actor=coordinator(), vote=vote, name="close")
    counted = tally(coordinator(), closed)
    assert counted.ballots == counted.voters == VOTERS
