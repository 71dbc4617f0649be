"""The competition's rules hold for any ranking, not only the hand-computed cases of
`test_rules.py`: money is never created or lost, nobody gets more than asked, the passing
score and the rule's order are kept, the lottery is a fair, reproducible draw."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dobry.core.errors import DomainError
from dobry.grants.rules import (
    Rule,
    Scored,
    allocate,
    lottery,
    normalised_totals,
    rank,
    residents_vote_points,
)

START = datetime(2026, 3, 1, tzinfo=UTC)
roubles = st.integers(min_value=0, max_value=500).map(lambda n: Decimal(n * 1000))
scores = st.integers(min_value=0, max_value=100).map(Decimal)


@st.composite
def rankings(draw: st.DrawFn) -> list[Scored]:
    count = draw(st.integers(min_value=0, max_value=12))
    items = [
        Scored(n, draw(scores), START + timedelta(minutes=draw(st.integers(0, 500))), draw(roubles))
        for n in range(count)
    ]
    return rank(items)


def _run(ranking, budget, passing, minimum, partial, rule):
    return allocate(
        ranking,
        budget=budget,
        passing_score=passing,
        min_grant=minimum,
        partial_allowed=partial,
        rule=rule,
    )


common = {
    "ranking": rankings(),
    "budget": roubles,
    "passing": scores,
    "minimum": roubles,
    "partial": st.booleans(),
    "rule": st.sampled_from(list(Rule)),
}


@settings(max_examples=300, deadline=None)
@given(**common)
def test_money_is_kept_and_nobody_gets_more_than_asked(
    ranking, budget, passing, minimum, partial, rule
):
    result = _run(ranking, budget, passing, minimum, partial, rule)
    granted = sum((a.amount for a in result.awards), Decimal(0))
    assert granted + result.remaining == budget
    assert result.remaining >= 0
    asked = {item.application_id: item.requested for item in ranking}
    for award in result.awards:
        assert award.amount <= asked[award.application_id]
        assert award.partial == (award.amount < asked[award.application_id])
        if award.partial:
            assert partial
            assert award.amount >= minimum
    assert sum(1 for a in result.awards if a.partial) <= 1


@settings(max_examples=300, deadline=None)
@given(**common)
def test_every_application_is_placed_once_by_the_passing_score_in_rank_order(
    ranking, budget, passing, minimum, partial, rule
):
    result = _run(ranking, budget, passing, minimum, partial, rule)
    awarded = [a.application_id for a in result.awards]
    placed = awarded + result.reserve + result.below_passing
    assert sorted(placed) == sorted(item.application_id for item in ranking)
    below = {item.application_id for item in ranking if item.score < passing}
    assert set(result.below_passing) == below
    order = [item.application_id for item in ranking]
    assert awarded == [pk for pk in order if pk in set(awarded)]
    assert result.reserve == [pk for pk in order if pk in set(result.reserve)]


@settings(max_examples=300, deadline=None)
@given(**common)
def test_greedy_leaves_in_reserve_only_what_no_longer_fits(
    ranking, budget, passing, minimum, partial, rule
):
    result = _run(ranking, budget, passing, minimum, partial, Rule.RANK_GREEDY)
    asked = {item.application_id: item.requested for item in ranking}
    for pk in result.reserve:
        assert asked[pk] > result.remaining  # it would fit what is left, it would be funded
    if partial and result.reserve:
        assert result.remaining < minimum or result.remaining == 0


@settings(max_examples=300, deadline=None)
@given(**common)
def test_stop_funds_nothing_after_the_first_that_does_not_fit(
    ranking, budget, passing, minimum, partial, rule
):
    result = _run(ranking, budget, passing, minimum, partial, Rule.RANK_STOP)
    passing_order = [item.application_id for item in ranking if item.score >= passing]
    awarded = [a.application_id for a in result.awards]
    assert passing_order[: len(awarded)] == awarded  # a prefix: nothing funded after a gap


@settings(max_examples=200, deadline=None)
@given(
    ids=st.lists(st.integers(min_value=1, max_value=10_000), max_size=30),
    winners=st.integers(min_value=0, max_value=40),
    seed=st.text(min_size=1, max_size=20),
)
def test_the_lottery_draws_distinct_entrants_the_same_way_in_any_order(ids, winners, seed):
    drawn = lottery(ids, winners, seed)
    assert len(drawn) == min(winners, len(set(ids)))
    assert len(set(drawn)) == len(drawn)
    assert set(drawn) <= set(ids)
    assert lottery(list(reversed(ids)) + ids, winners, seed) == drawn


@settings(max_examples=200, deadline=None)
@given(
    ballots=st.integers(min_value=1, max_value=100_000),
    share=st.floats(min_value=0, max_value=1),
    points=st.integers(min_value=0, max_value=100).map(Decimal),
)
def test_residents_points_grow_with_votes_and_stay_within_the_criterion(ballots, share, points):
    votes = int(ballots * share)
    given_points = residents_vote_points(votes, ballots, points)
    assert 0 <= given_points <= points
    assert residents_vote_points(ballots, ballots, points) == points.quantize(Decimal("0.0001"))
    if votes < ballots:
        assert residents_vote_points(votes + 1, ballots, points) >= given_points
    with pytest.raises(DomainError):
        residents_vote_points(ballots + 1, ballots, points)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.tuples(st.integers(1, 3), st.integers(1, 8)), roubles, max_size=20))
def test_normalised_totals_centre_each_experts_own_scores(totals):
    normalised = normalised_totals(totals)
    assert set(normalised) == set(totals)
    for expert in {e for e, _a in totals}:
        values = [v for (e, _a), v in normalised.items() if e == expert]
        if all(v is not None for v in values) and values:
            assert abs(sum(values) / len(values)) < 1e-9
