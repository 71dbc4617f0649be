"""Preparing a vote through the services: its rules change, options are added (by hand,
from initiatives, from the competition's admitted applications) and removed, officers are
named — by coordinators only, and its options and rules never once voting has opened."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.models import Vote, VoteOption
from dobry.civic.permissions import can_prepare_vote, vote_has_opened
from dobry.civic.services import votes
from dobry.civic.tests.factories import (
    InitiativeFactory,
    close_now,
    coordinator,
    running_vote,
    verified_resident,
)
from dobry.core.audit import AuditEntry
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.grants.tests.factories import admitted_application, open_competition

pytestmark = pytest.mark.django_db


def _draft(**kwargs):
    return running_vote(status=Vote.Status.DRAFT, **kwargs)


def _rules(vote, **changes):
    values = {
        "title": vote.title,
        "description": vote.description,
        "max_choices": vote.max_choices,
        "budget": vote.budget,
        "opens_at": vote.opens_at,
        "closes_at": vote.closes_at,
        "use": vote.use,
    }
    return {**values, **changes}


def _announced_for_tomorrow():
    now = timezone.now()
    return running_vote(opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=8))


def test_a_vote_has_opened_once_announced_and_its_moment_came():
    now = timezone.now()
    assert not vote_has_opened(_draft())
    assert not vote_has_opened(_announced_for_tomorrow())
    assert vote_has_opened(running_vote())
    assert vote_has_opened(running_vote(status=Vote.Status.CLOSED))
    later = running_vote(opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=1))
    assert vote_has_opened(later, now=now + timedelta(hours=1))
    assert not vote_has_opened(later, now=now + timedelta(minutes=59))


@pytest.mark.parametrize("who", ["anonymous", "resident", "verified", "officer", "expert"])
def test_only_coordinators_prepare_votes(who):
    vote = _draft()
    officer = UserFactory()
    vote.officers.add(officer)
    from django.contrib.auth.models import AnonymousUser

    user = {
        "anonymous": AnonymousUser(),
        "resident": UserFactory(),
        "verified": verified_resident(),
        "officer": officer,
        "expert": UserFactory(is_expert=True),
    }[who]
    assert not can_prepare_vote(user, vote)
    assert not can_prepare_vote(user, vote).not_now
    if who == "anonymous":
        return
    with pytest.raises(PermissionDenied):
        votes.vote_update(actor=user, vote=vote, **_rules(vote, title="Чужое"))
    with pytest.raises(PermissionDenied):
        votes.option_add(actor=user, vote=vote, title="Чужой")
    with pytest.raises(PermissionDenied):
        votes.option_remove(actor=user, option=vote.options.first())
    with pytest.raises(PermissionDenied):
        votes.officer_add(actor=user, vote=vote, officer=UserFactory())
    assert vote.options.count() == 3


def test_a_coordinator_changes_the_rules_of_a_draft():
    vote = _draft(max_choices=2)
    opens = timezone.now() + timedelta(days=2)
    changed = votes.vote_update(
        actor=coordinator(),
        vote=vote,
        **_rules(vote, title=" Скверы ", max_choices=3, opens_at=opens,
                 closes_at=opens + timedelta(days=5)),
    )  # fmt: skip
    vote.refresh_from_db()
    assert (vote.title, vote.max_choices, vote.opens_at) == ("Скверы", 3, opens)
    assert changed.closes_at == opens + timedelta(days=5)
    assert AuditEntry.objects.filter(action="civic.vote_update", object_id=str(vote.pk)).exists()


def test_rules_and_options_change_after_announcing_until_the_opening_moment():
    vote = _announced_for_tomorrow()
    staff = coordinator()
    votes.vote_update(actor=staff, vote=vote, **_rules(vote, max_choices=1))
    option = votes.option_add(actor=staff, vote=vote, title="Ещё один")
    votes.option_remove(actor=staff, option=option)
    assert vote.options.count() == 3


@pytest.mark.parametrize("state", ["running", "past_end", "closed"])
def test_nothing_changes_once_voting_has_opened(state):
    vote = running_vote()
    if state != "running":
        close_now(vote)
    if state == "closed":
        vote = votes.vote_move(actor=coordinator(), vote=vote, name="close")
    staff = coordinator()
    for attempt in (
        lambda: votes.vote_update(actor=staff, vote=vote, **_rules(vote, title="Другое")),
        lambda: votes.option_add(actor=staff, vote=vote, title="Поздний"),
        lambda: votes.option_remove(actor=staff, option=vote.options.first()),
    ):
        with pytest.raises(InvalidTransition, match="уже началось"):
            attempt()
    vote.refresh_from_db()
    assert vote.title == "Народный выбор"
    assert vote.options.count() == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"max_choices": 0}, "max_choices"),
        ({"max_choices": 101}, "max_choices"),
        ({"closes_at": timezone.now() - timedelta(days=30)}, "closes_at"),
        ({"use": "criterion"}, "use"),
        ({"use": "nonsense"}, "use"),
        ({"title": "x" * 301}, "title"),
    ],
)
def test_wrong_rules_are_refused_naming_the_field(changes, field):
    vote = _draft()
    with pytest.raises(DomainError) as caught:
        votes.vote_update(actor=coordinator(), vote=vote, **_rules(vote, **changes))
    assert field in caught.value.field_errors
    vote.refresh_from_db()
    assert vote.title == "Народный выбор"


def test_a_budget_below_an_options_cost_is_refused_naming_it():
    vote = _draft(kind="budget", costs=[Decimal(100), Decimal(900), Decimal(50)])
    with pytest.raises(DomainError, match="«Проект 2» стоит больше") as caught:
        votes.vote_update(actor=coordinator(), vote=vote, **_rules(vote, budget=Decimal(500)))
    assert "budget" in caught.value.field_errors
    for budget in (None, Decimal(0), Decimal("100000001")):
        with pytest.raises(DomainError):
            votes.vote_update(actor=coordinator(), vote=vote, **_rules(vote, budget=budget))
    votes.vote_update(actor=coordinator(), vote=vote, **_rules(vote, budget=Decimal(900)))
    vote.refresh_from_db()
    assert vote.budget == Decimal(900)


def test_the_kind_stays_and_the_other_kinds_limit_is_ignored():
    vote = _draft(kind="budget")
    votes.vote_update(actor=coordinator(), vote=vote, **_rules(vote, max_choices=7))
    vote.refresh_from_db()
    assert (vote.kind, vote.max_choices) == ("budget", 2)


def test_options_are_numbered_after_the_last_even_after_a_removal():
    vote = _draft(options=2)
    staff = coordinator()
    votes.option_remove(actor=staff, option=vote.options.order_by("position").first())
    option = votes.option_add(actor=staff, vote=vote, title="Новый")
    assert option.position == 3
    assert AuditEntry.objects.filter(action="civic.vote_option_remove").get().data == {
        "title": "Проект 1"
    }


def test_a_budget_options_cost_is_required_and_within_the_budget():
    vote = _draft(kind="budget", budget=Decimal(1000), options=0)
    staff = coordinator()
    with pytest.raises(DomainError, match="стоимость") as caught:
        votes.option_add(actor=staff, vote=vote, title="Скамейки")
    assert "cost" in caught.value.field_errors
    with pytest.raises(DomainError, match="больше всего бюджета"):
        votes.option_add(actor=staff, vote=vote, title="Скамейки", cost=Decimal(1001))
    option = votes.option_add(actor=staff, vote=vote, title="Скамейки", cost=Decimal(1000))
    assert option.cost == Decimal(1000)


def test_an_approval_option_keeps_no_cost_and_an_initiative_names_it():
    vote = _draft(options=0)
    initiative = InitiativeFactory(title="Сквер у школы")
    option = votes.option_add(
        actor=coordinator(), vote=vote, initiative=initiative, cost=Decimal(5)
    )
    assert (option.title, option.cost, option.initiative) == ("Сквер у школы", None, initiative)


def test_an_admitted_application_of_the_votes_competition_becomes_an_option():
    official = UserFactory(is_official=True, is_coordinator=True)
    competition = open_competition(official)
    application = admitted_application(competition, official)
    vote = _draft(kind="budget", budget=Decimal(10_000_000), options=0, competition=competition)
    option = votes.option_add(actor=official, vote=vote, application=application)
    assert (option.title, option.cost) == (application.title, application.requested_amount)
    with pytest.raises(InvalidTransition, match="уже есть"):
        votes.option_add(actor=official, vote=vote, application=application)
    other = _draft(options=0)
    with pytest.raises(DomainError, match="допущенные заявки") as caught:
        votes.option_add(actor=official, vote=other, application=application)
    assert "application" in caught.value.field_errors


def test_a_budget_vote_about_a_competition_refuses_a_budget_below_an_application():
    """Its admitted applications become options costing what they ask: one dearer than the
    whole budget could never be chosen, as `option_add` and `vote_update` refuse it."""
    official = UserFactory(is_official=True, is_coordinator=True)
    competition = open_competition(official)
    admitted_application(competition, official, amount=100_000, title="Сквер")
    now = timezone.now()
    moments = {"opens_at": now + timedelta(days=1), "closes_at": now + timedelta(days=8)}
    with pytest.raises(DomainError, match="Сквер") as caught:
        votes.vote_create(
            actor=official,
            title="Бюджет",
            kind="budget",
            budget=Decimal(50_000),
            competition=competition,
            **moments,
        )
    assert "budget" in caught.value.field_errors
    assert not Vote.objects.exists()
    vote = votes.vote_create(
        actor=official,
        title="Бюджет",
        kind="budget",
        budget=Decimal(100_000),
        competition=competition,
        **moments,
    )
    assert [option.cost for option in vote.options.all()] == [Decimal(100_000)]


def test_officers_are_named_and_taken_off_until_the_tally():
    vote = running_vote()
    staff = coordinator()
    officer = UserFactory()
    votes.officer_add(actor=staff, vote=vote, officer=officer)
    assert list(vote.officers.all()) == [officer]
    with pytest.raises(InvalidTransition, match="уже в счётной"):
        votes.officer_add(actor=staff, vote=vote, officer=officer)
    votes.officer_remove(actor=staff, vote=vote, officer=officer)
    assert not vote.officers.exists()
    with pytest.raises(InvalidTransition, match="нет в счётной"):
        votes.officer_remove(actor=staff, vote=vote, officer=officer)
    gone = UserFactory(is_active=False)
    with pytest.raises(DomainError, match="отключена"):
        votes.officer_add(actor=staff, vote=vote, officer=gone)
    closed = votes.vote_move(actor=staff, vote=close_now(vote), name="close")
    with pytest.raises(InvalidTransition, match="итоги опубликованы"):
        votes.officer_add(actor=staff, vote=closed, officer=officer)


def test_vote_create_refuses_an_unknown_use():
    now = timezone.now()
    with pytest.raises(DomainError) as caught:
        votes.vote_create(
            actor=coordinator(), title="Голосование", kind="approval", opens_at=now,
            closes_at=now + timedelta(days=1), use="nonsense",
        )  # fmt: skip
    assert "use" in caught.value.field_errors
    assert not VoteOption.objects.exists()


def test_a_counting_commission_has_fifty_members_at_most():
    vote = running_vote()
    vote.officers.add(*[UserFactory() for _n in range(50)])
    with pytest.raises(InvalidTransition, match="уже 50 человек"):
        votes.officer_add(actor=coordinator(), vote=vote, officer=UserFactory())
    assert vote.officers.count() == 50
