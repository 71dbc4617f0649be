"""Casting ballots, paper ballots, receipts, announcing and closing votes, the tally."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Ballot, BallotChoice, Vote, VoteOption, VoterMark
from dobry.civic.services import votes
from dobry.civic.tests.factories import (
    InitiativeFactory,
    close_now,
    coordinator,
    running_vote,
    verified_resident,
)
from dobry.civic.vote_selectors import tally, voter_list
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.grants.tests.factories import admitted_application, open_competition

pytestmark = pytest.mark.django_db


def _ids(vote, *numbers):
    options = list(vote.options.order_by("position"))
    return [options[n - 1].pk for n in numbers]


def test_a_verified_resident_casts_a_ballot_and_gets_a_receipt():
    vote = running_vote()
    resident = verified_resident()
    receipt = votes.ballot_cast(actor=resident, vote=vote, option_ids=_ids(vote, 1, 2))
    assert len(receipt) == 14
    assert receipt.count("-") == 2
    assert VoterMark.objects.get(vote=vote).user == resident
    ballot = Ballot.objects.get(vote=vote)
    assert VoterMark.objects.get(vote=vote).channel == "online"
    assert {c.option.title for c in ballot.choices.all()} == {"Проект 1", "Проект 2"}
    assert votes.receipt_check(receipt) == vote
    assert votes.receipt_check(receipt.lower().replace("-", " ")) == vote


def test_a_second_ballot_of_the_same_voter_is_refused_and_nothing_is_added():
    vote = running_vote()
    resident = verified_resident()
    votes.ballot_cast(actor=resident, vote=vote, option_ids=_ids(vote, 1))
    with pytest.raises(InvalidTransition, match="уже проголосовали"):
        votes.ballot_cast(actor=resident, vote=vote, option_ids=_ids(vote, 2))
    assert Ballot.objects.filter(vote=vote).count() == 1
    assert BallotChoice.objects.count() == 1


@pytest.mark.parametrize(
    ("make", "error", "text"),
    [
        (lambda: UserFactory(), PermissionDenied, "подтверждённые жители"),
        (lambda: UserFactory(is_coordinator=True), PermissionDenied, "подтверждённые жители"),
    ],
)
def test_an_unverified_account_may_not_vote_whatever_its_role(make, error, text):
    vote = running_vote()
    with pytest.raises(error, match=text):
        votes.ballot_cast(actor=make(), vote=vote, option_ids=_ids(vote, 1))
    assert not Ballot.objects.exists()
    assert not VoterMark.objects.exists()


def test_more_than_k_choices_are_refused():
    vote = running_vote(options=4, max_choices=2)
    with pytest.raises(DomainError, match="не больше 2 вариантов") as caught:
        votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=_ids(vote, 1, 2, 3))
    assert "options" in caught.value.field_errors
    assert not Ballot.objects.exists()
    assert not VoterMark.objects.exists()


def test_repeated_ids_count_once_towards_k():
    vote = running_vote(options=3, max_choices=1)
    first = _ids(vote, 1)[0]
    votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=[first, first])
    assert BallotChoice.objects.count() == 1


def test_a_budget_ballot_over_the_budget_is_refused_within_it_accepted():
    costs = [Decimal(150_000), Decimal(100_000), Decimal(60_000)]
    vote = running_vote(kind="budget", budget=Decimal(250_000), costs=costs)
    with pytest.raises(DomainError, match="310\xa0000 ₽, а бюджет — 250\xa0000 ₽"):
        votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=_ids(vote, 1, 2, 3))
    votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=_ids(vote, 1, 2))
    assert Ballot.objects.filter(vote=vote).count() == 1


@pytest.mark.parametrize("option_ids", [[], [999_999], [-1]])
def test_no_choice_or_a_foreign_option_is_refused(option_ids):
    vote = running_vote()
    with pytest.raises(DomainError):
        votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=option_ids)
    assert not VoterMark.objects.exists()


def test_an_option_of_another_vote_is_refused():
    vote, other = running_vote(), running_vote()
    with pytest.raises(DomainError, match="не из этого голосования"):
        votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=_ids(other, 1))


def test_ballots_are_refused_before_the_start_after_the_end_in_a_draft_and_after_closing():
    now = timezone.now()
    early = running_vote(opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=1))
    late = close_now(running_vote())
    draft = running_vote(status=Vote.Status.DRAFT)
    closed = close_now(running_vote(status=Vote.Status.CLOSED))
    resident = verified_resident()
    for vote, text in [
        (early, "ещё не началось"),
        (draft, "ещё не началось"),
        (late, "закончилось"),
        (closed, "итоги опубликованы"),
    ]:
        with pytest.raises(InvalidTransition, match=text):
            votes.ballot_cast(actor=resident, vote=vote, option_ids=_ids(vote, 1))
    assert not Ballot.objects.exists()


def test_an_officer_enters_a_paper_ballot_under_the_same_one_ballot_rule():
    vote = running_vote()
    officer = UserFactory()
    vote.officers.add(officer)
    resident = UserFactory()
    receipt = votes.paper_ballot_enter(
        actor=officer, vote=vote, voter=resident, option_ids=_ids(vote, 2), polling_point="Школа 1"
    )
    mark = VoterMark.objects.get(vote=vote, user=resident)
    assert (mark.channel, mark.polling_point, mark.officer) == ("paper", "Школа 1", officer)
    assert votes.receipt_check(receipt) == vote
    with pytest.raises(InvalidTransition, match="уже проголосовали"):
        votes.paper_ballot_enter(
            actor=officer, vote=vote, voter=resident, option_ids=_ids(vote, 1), polling_point="2"
        )


def test_a_resident_who_voted_online_cannot_vote_on_paper_too():
    vote = running_vote()
    resident = verified_resident()
    votes.ballot_cast(actor=resident, vote=vote, option_ids=_ids(vote, 1))
    with pytest.raises(InvalidTransition):
        votes.paper_ballot_enter(
            actor=coordinator(), vote=vote, voter=resident, option_ids=_ids(vote, 1),
            polling_point="Школа 1",
        )  # fmt: skip
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_paper_ballots_are_entered_after_the_last_day_until_the_tally_but_not_after():
    vote = close_now(running_vote())
    vote.officers.add(UserFactory())  # its polling points' boxes are entered after the end
    officer = coordinator()
    votes.paper_ballot_enter(
        actor=officer, vote=vote, voter=UserFactory(), option_ids=_ids(vote, 1), polling_point="1"
    )
    votes.vote_move(actor=officer, vote=vote, name="close")
    with pytest.raises(InvalidTransition, match="итоги опубликованы"):
        votes.paper_ballot_enter(
            actor=officer, vote=vote, voter=UserFactory(), option_ids=_ids(vote, 1),
            polling_point="1",
        )  # fmt: skip


@pytest.mark.parametrize("who", ["resident", "verified", "anonymous_officer_of_other_vote"])
def test_only_officers_and_coordinators_enter_paper_ballots(who):
    vote = running_vote()
    actor = verified_resident() if who == "verified" else UserFactory()
    if who == "anonymous_officer_of_other_vote":
        running_vote().officers.add(actor)
    with pytest.raises(PermissionDenied, match="счётной комиссии"):
        votes.paper_ballot_enter(
            actor=actor, vote=vote, voter=UserFactory(), option_ids=_ids(vote, 1),
            polling_point="1",
        )  # fmt: skip


def test_a_paper_ballot_needs_its_polling_point_and_an_active_voter():
    vote = running_vote()
    with pytest.raises(DomainError, match="Укажите участок"):
        votes.paper_ballot_enter(
            actor=coordinator(), vote=vote, voter=UserFactory(), option_ids=_ids(vote, 1),
            polling_point="  ",
        )  # fmt: skip
    with pytest.raises(DomainError, match="отключена"):
        votes.paper_ballot_enter(
            actor=coordinator(), vote=vote, voter=UserFactory(is_active=False),
            option_ids=_ids(vote, 1), polling_point="1",
        )  # fmt: skip


@pytest.mark.parametrize("code", ["", "ABCD", "ABCD-EFGH-JKMN", "ЖЖЖЖ-ЖЖЖЖ-ЖЖЖЖ", "\x00" * 12])
def test_an_unknown_or_malformed_receipt_finds_nothing(code):
    running_vote()
    assert votes.receipt_check(code) is None


def test_receipts_differ_and_only_their_hash_is_kept():
    vote = running_vote()
    receipts = [
        votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=_ids(vote, 1))
        for _n in range(5)
    ]
    assert len(set(receipts)) == 5
    stored = set(Ballot.objects.values_list("receipt_hash", flat=True))
    assert not stored & {votes.normalize_receipt(r) for r in receipts}
    assert all(votes.receipt_check(r) == vote for r in receipts)


def test_the_tally_is_hidden_until_the_vote_is_closed_then_counts_every_ballot():
    vote = running_vote(options=3, max_choices=2)
    for numbers in [(1, 2), (1,), (1, 3), (2,)]:
        votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=_ids(vote, *numbers))
    staff = coordinator()
    with pytest.raises(InvalidTransition, match="Итоги покажут"):
        tally(staff, vote)
    with pytest.raises(InvalidTransition, match="ещё идёт"):
        votes.vote_move(actor=staff, vote=vote, name="close")
    close_now(vote)
    closed = votes.vote_move(actor=staff, vote=vote, name="close")
    assert closed.status == Vote.Status.CLOSED
    assert closed.closed_at is not None
    result = tally(UserFactory(), closed)
    assert (result.ballots, result.voters, result.paper) == (4, 4, 0)
    assert [(r.option.title, r.votes, r.funded) for r in result.rows] == [
        ("Проект 1", 3, True),
        ("Проект 2", 2, True),
        ("Проект 3", 1, False),
    ]
    assert result.rows[0].share == Decimal("75.0")


def test_a_budget_tally_funds_the_most_voted_that_fit():
    costs = [Decimal(200_000), Decimal(100_000), Decimal(50_000)]
    vote = running_vote(kind="budget", budget=Decimal(250_000), costs=costs)
    for numbers in [(1,), (1, 3), (2, 3), (2,), (1,)]:
        votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=_ids(vote, *numbers))
    close_now(vote)
    vote = votes.vote_move(actor=coordinator(), vote=vote, name="close")
    rows = tally(UserFactory(), vote).rows
    assert [(r.option.title, r.votes, r.funded) for r in rows] == [
        ("Проект 1", 3, True),
        ("Проект 2", 2, False),
        ("Проект 3", 2, True),
    ]


def test_only_coordinators_announce_and_close_and_announcing_needs_two_options():
    vote = running_vote(status=Vote.Status.DRAFT, options=1)
    with pytest.raises(PermissionDenied):
        votes.vote_move(actor=verified_resident(), vote=vote, name="announce")
    with pytest.raises(InvalidTransition, match="два варианта"):
        votes.vote_move(actor=coordinator(), vote=vote, name="announce")
    VoteOption.objects.create(vote=vote, title="Ещё")
    assert votes.vote_move(actor=coordinator(), vote=vote, name="announce").status == "open"
    with pytest.raises(InvalidTransition, match="уже объявлено"):
        votes.vote_move(actor=coordinator(), vote=vote, name="announce")


def test_a_vote_about_a_competition_takes_its_admitted_applications_as_options():
    official = UserFactory(is_official=True, is_coordinator=True)
    competition = open_competition(official)
    application = admitted_application(competition, official)
    now = timezone.now()
    vote = votes.vote_create(
        actor=official, title="Народный выбор", kind="budget", budget=Decimal(500_000),
        opens_at=now, closes_at=now + timedelta(days=7), competition=competition,
    )  # fmt: skip
    option = vote.options.get()
    assert (option.application, option.cost) == (application, application.requested_amount)
    assert vote.status == Vote.Status.DRAFT


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"kind": "budget", "budget": None}, "budget"),
        ({"kind": "budget", "budget": Decimal(-1)}, "budget"),
        ({"kind": "approval", "max_choices": 0}, "max_choices"),
        ({"kind": "approval", "max_choices": 101}, "max_choices"),
        ({"kind": "ranked"}, "kind"),
        ({"kind": "approval", "title": "  "}, "title"),
        ({"kind": "approval", "closes_at": timezone.now() - timedelta(days=30)}, "closes_at"),
        ({"kind": "approval", "use": "criterion"}, "use"),
    ],
)
def test_a_vote_with_wrong_terms_is_refused_naming_the_field(terms, field):
    now = timezone.now()
    values = {"title": "Голосование", "opens_at": now, "closes_at": now + timedelta(days=1)}
    with pytest.raises(DomainError) as caught:
        votes.vote_create(actor=coordinator(), **{**values, **terms})
    assert field in caught.value.field_errors
    assert not Vote.objects.exists()


def test_options_are_added_by_coordinators_until_voting_opens():
    vote = running_vote(status=Vote.Status.DRAFT, kind="budget", options=0)
    initiative = InitiativeFactory(title="Скамейки")
    with pytest.raises(PermissionDenied):
        votes.option_add(actor=verified_resident(), vote=vote, initiative=initiative)
    with pytest.raises(DomainError, match="стоимость"):
        votes.option_add(actor=coordinator(), vote=vote, initiative=initiative)
    option = votes.option_add(
        actor=coordinator(), vote=vote, initiative=initiative, cost=Decimal(1000)
    )
    assert option.title == "Скамейки"
    with pytest.raises(InvalidTransition, match="уже есть"):
        votes.option_add(actor=coordinator(), vote=vote, initiative=initiative, cost=Decimal(1))
    with pytest.raises(DomainError, match="Назовите"):
        votes.option_add(actor=coordinator(), vote=vote, title=" ", cost=Decimal(1))
    vote.status = Vote.Status.OPEN
    vote.save()
    with pytest.raises(InvalidTransition, match="уже началось"):
        votes.option_add(actor=coordinator(), vote=vote, title="Поздно", cost=Decimal(1))


def test_the_list_of_who_voted_names_people_and_days_never_choices():
    vote = running_vote()
    resident = verified_resident(first_name="Анна", last_name="Иванова")
    votes.ballot_cast(actor=resident, vote=vote, option_ids=_ids(vote, 1))
    marks = list(voter_list(vote))
    assert [m.user for m in marks] == [resident]
    field_names = {f.name for f in VoterMark._meta.get_fields()}
    assert not field_names & {"ballot", "choices", "option", "options", "receipt_hash"}
