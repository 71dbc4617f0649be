"""A vote its competition's rules make a criterion feeds the experts' ranking: each
application gets «Народная поддержка» = the criterion's greatest points × the share of
ballots that chose it (grants.rules.residents_vote_points), stored when the vote closes —
never before, so live counts stay hidden — and shown in the ranking with its source."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import login
from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.civic.models import Vote
from dobry.civic.services import votes
from dobry.civic.tests.factories import close_now, coordinator, verified_resident
from dobry.core.errors import DomainError
from dobry.grants import rules, selectors
from dobry.grants.models import ResidentsVoteScore
from dobry.grants.tests.factories import (
    close_applications,
    open_competition,
    scored_applications,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("votes_for", "ballots", "max_points", "points"),
    [
        (0, 0, Decimal(10), Decimal(0)),  # nobody voted
        (0, 40, Decimal(10), Decimal(0)),
        (40, 40, Decimal(10), Decimal(10)),  # every voter chose it
        (30, 40, Decimal(10), Decimal("7.5")),
        (1, 3, Decimal(10), Decimal("3.3333")),
        (2, 3, Decimal(20), Decimal("13.3333")),
        (7, 8, Decimal("2.5"), Decimal("2.1875")),
    ],
)
def test_the_rule_gives_the_share_of_the_greatest_points(votes_for, ballots, max_points, points):
    assert rules.residents_vote_points(votes_for, ballots, max_points) == points


def test_the_rule_refuses_more_votes_than_ballots():
    with pytest.raises(DomainError):
        rules.residents_vote_points(5, 4, Decimal(10))


def _competition_with_a_vote(max_points=Decimal(10), use="criterion"):
    official = UserFactory(is_official=True, is_coordinator=True)
    competition = open_competition(official)
    # two experts give 6 and 5 per criterion: the first leads by the experts alone
    first, second = scored_applications(competition, official, [(6, 100_000), (5, 100_000)])
    close_applications(competition)
    now = timezone.now()
    vote = votes.vote_create(
        actor=official, title="Народный выбор", kind="approval", max_choices=1,
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
        competition=competition, use=use, criterion_points=max_points,
    )  # fmt: skip
    vote = votes.vote_move(actor=official, vote=vote, name="announce")
    return competition, vote, first, second, official


def _cast(vote, application, count):
    option = vote.options.get(application=application)
    for _n in range(count):
        votes.ballot_cast(actor=verified_resident(), vote=vote, option_ids=[option.pk])


def test_closing_the_vote_feeds_the_ranking_and_can_change_the_order():
    competition, vote, first, second, official = _competition_with_a_vote(Decimal(50))
    _cast(vote, second, 3)
    _cast(vote, first, 1)
    before = selectors.ranking(competition)
    assert [r.application for r in before] == [first, second]
    assert all(r.residents is None for r in before)  # live counts stay hidden
    assert not ResidentsVoteScore.objects.exists()
    votes.vote_move(actor=official, vote=close_now(vote), name="close")
    after = {r.application: r for r in selectors.ranking(competition)}
    assert after[second].residents.points == Decimal("37.5")  # 50 × 3/4
    assert after[first].residents.points == Decimal("12.5")  # 50 × 1/4
    assert after[second].residents.share == Decimal("75.0")
    assert after[second].score == after[second].expert_score + Decimal("37.5")
    assert [r.application for r in selectors.ranking(competition)] == [second, first]
    assert after[second].residents.source == "Народный выбор"
    assert after[second].residents.source_url == f"/votes/{vote.pk}/"


def test_the_automatic_close_feeds_it_too():
    _competition, vote, first, _second, _official = _competition_with_a_vote()
    _cast(vote, first, 2)
    votes.votes_close_due(now=vote.closes_at)
    assert ResidentsVoteScore.objects.get(application=first).points == Decimal(10)


def test_a_separate_award_does_not_touch_the_ranking():
    competition, vote, first, _second, official = _competition_with_a_vote(use="award")
    _cast(vote, first, 2)
    votes.vote_move(actor=official, vote=close_now(vote), name="close")
    assert not ResidentsVoteScore.objects.exists()
    assert all(r.residents is None for r in selectors.ranking(competition))


def test_a_criterion_needs_its_points_from_the_rules():
    official = UserFactory(is_official=True, is_coordinator=True)
    competition = open_competition(official)
    now = timezone.now()
    for points in (Decimal(0), Decimal(-1), Decimal(101)):
        with pytest.raises(DomainError) as caught:
            votes.vote_create(
                actor=official, title="Выбор", kind="approval", opens_at=now,
                closes_at=now + timedelta(days=1), competition=competition, use="criterion",
                criterion_points=points,
            )  # fmt: skip
        assert "criterion_points" in caught.value.field_errors
    award = votes.vote_create(
        actor=official, title="Выбор", kind="approval", opens_at=now,
        closes_at=now + timedelta(days=1), competition=competition, criterion_points=Decimal(5),
    )  # fmt: skip
    assert award.criterion_points == 0  # an award keeps no points


def test_organisers_see_the_points_and_their_source_on_the_ranking_page_and_api():
    competition, vote, first, _second, official = _competition_with_a_vote(Decimal(10))
    _cast(vote, first, 1)
    page = login(official).get(f"/grants/{competition.pk}/ranking/").content.decode()
    # nothing of the vote while it runs: no column, no points (live counts stay hidden)
    assert "Народная поддержка" not in page
    assert "+10 из 10" not in page
    votes.vote_move(actor=official, vote=close_now(vote), name="close")
    page = login(official).get(f"/grants/{competition.pk}/ranking/").content.decode()
    assert "Народная поддержка" in page
    assert "+10 из 10 (100% голосов)" in page
    assert f'href="/votes/{vote.pk}/"' in page
    rows = bearer(official).get(f"/api/v1/competitions/{competition.pk}/ranking").json()
    row = next(r for r in rows["items"] if r["application_id"] == first.pk)
    assert (row["residents_points"], row["residents_share"]) == ("10.0000", "100.0")
    assert row["residents_source"] == "Народный выбор"


def test_the_criterion_points_are_set_on_the_preparation_page():
    _competition, vote, *_rest = _competition_with_a_vote()
    vote.status = Vote.Status.DRAFT
    vote.save()
    response = login(coordinator()).post(
        f"/votes/{vote.pk}/prepare/",
        {
            "title": vote.title, "max_choices": "1", "opens_at": "2027-04-01T10:00",
            "closes_at": "2027-04-10T20:00", "use": "criterion", "criterion_points": "15,5",
        },
    )  # fmt: skip
    assert response.status_code == 302
    vote.refresh_from_db()
    assert vote.criterion_points == Decimal("15.5")
    refused = login(coordinator()).post(
        f"/votes/{vote.pk}/prepare/",
        {
            "title": vote.title, "max_choices": "1", "opens_at": "2027-04-01T10:00",
            "closes_at": "2027-04-10T20:00", "use": "criterion", "criterion_points": "",
        },
    )  # fmt: skip
    assert "наибольший балл критерия" in refused.content.decode()
