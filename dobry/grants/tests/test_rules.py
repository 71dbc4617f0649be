"""The competition rules on cases computed by hand (the numbers in the comments)."""

import hashlib
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from dobry.core.errors import DomainError
from dobry.grants.rules import (
    Award,
    Criterion,
    Rule,
    Scored,
    allocate,
    application_score,
    expert_total,
    lottery,
    max_total,
    needs_another_expert,
    normalised_totals,
    rank,
)

CRITERIA = [Criterion(1, D("1"), 10), Criterion(2, D("2"), 10), Criterion(3, D("0.5"), 10)]


def test_an_experts_total_is_the_weighted_sum():
    assert max_total(CRITERIA) == D("35")  # 10 + 20 + 5
    assert expert_total(CRITERIA, {1: 8, 2: 6, 3: 4}) == D("22")  # 8 + 12 + 2


@pytest.mark.parametrize("scores", [{1: 8, 2: 6}, {1: 11, 2: 6, 3: 4}, {1: -1, 2: 6, 3: 4}])
def test_every_criterion_is_scored_within_its_range(scores):
    with pytest.raises(DomainError):
        expert_total(CRITERIA, scores)


def test_the_score_is_the_mean_and_a_wide_spread_calls_another_expert():
    assert application_score([]) is None
    assert application_score([D("22"), D("28")]) == D("25")
    # threshold 20 % of 35 = 7: a spread of 6 is fine, 8 is not, exactly 7 is fine
    assert not needs_another_expert([D("22"), D("28")], CRITERIA, D("20"))
    assert needs_another_expert([D("20"), D("28")], CRITERIA, D("20"))
    assert not needs_another_expert([D("21"), D("28")], CRITERIA, D("20"))
    assert not needs_another_expert([D("5")], CRITERIA, D("20"))
    # the third expert's total joins the mean: (20 + 28 + 27) / 3 = 25
    assert application_score([D("20"), D("28"), D("27")]) == D("25")


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 12, 0, tzinfo=UTC)


def test_ranking_by_score_then_earlier_submission():
    items = [Scored(1, D("20"), at(3)), Scored(2, D("25"), at(5)), Scored(3, D("20"), at(1))]
    assert [a.application_id for a in rank(items)] == [2, 3, 1]


RANKING = [  # already ranked: id, score, requested
    Scored(1, D("30"), at(1), D("400")),
    Scored(2, D("28"), at(1), D("500")),
    Scored(3, D("26"), at(1), D("100")),
    Scored(4, D("24"), at(1), D("300")),
    Scored(5, D("10"), at(1), D("50")),  # below the passing score of 15
]


def run(*, budget: str, min_grant: str, partial: bool, rule: Rule):
    """Allocate RANKING with a passing score of 15."""
    return allocate(
        RANKING,
        budget=D(budget),
        passing_score=D("15"),
        min_grant=D(min_grant),
        partial_allowed=partial,
        rule=rule,
    )


def test_rank_greedy_skips_what_does_not_fit_and_goes_on():
    # budget 1000: 1 gets 400 (600 left); 2 wants 500 → fits (100 left); 3 wants 100 → fits
    # (0 left); 4 wants 300 → no partial (0 < min) → reserve; 5 below passing.
    result = run(budget="1000", min_grant="50", partial=True, rule=Rule.RANK_GREEDY)
    assert result.awards == [
        Award(1, D("400"), False),
        Award(2, D("500"), False),
        Award(3, D("100"), False),
    ]
    assert result.reserve == [4]
    assert result.below_passing == [5]
    assert result.remaining == D("0")


def test_rank_greedy_without_partial_funding_funds_a_smaller_one_further_down():
    # budget 800: 1 gets 400 (400 left); 2 wants 500 → skipped (reserve); 3 gets 100
    # (300 left); 4 wants 300 → fits (0 left).
    result = run(budget="800", min_grant="50", partial=False, rule=Rule.RANK_GREEDY)
    assert [(a.application_id, a.amount) for a in result.awards] == [
        (1, D("400")),
        (3, D("100")),
        (4, D("300")),
    ]
    assert result.reserve == [2]


def test_rank_greedy_gives_the_remainder_as_a_partial_grant_when_it_is_enough():
    # budget 800, partial on, min 200: 1 gets 400 (400 left); 2 wants 500 → partial 400
    # (0 left); 3 and 4 → reserve.
    result = run(budget="800", min_grant="200", partial=True, rule=Rule.RANK_GREEDY)
    assert result.awards == [Award(1, D("400"), False), Award(2, D("400"), True)]
    assert result.reserve == [3, 4]


def test_rank_greedy_no_partial_below_the_minimum_grant():
    # budget 800, partial on, min 450: 2 would get 400 < 450 → skipped; 3 gets 100, 4 300.
    result = run(budget="800", min_grant="450", partial=True, rule=Rule.RANK_GREEDY)
    assert [(a.application_id, a.amount, a.partial) for a in result.awards] == [
        (1, D("400"), False),
        (3, D("100"), False),
        (4, D("300"), False),
    ]
    assert result.reserve == [2]


def test_rank_stop_stops_at_the_first_that_does_not_fit():
    # budget 800, no partial: 1 gets 400; 2 does not fit → stop; 2, 3, 4 → reserve.
    result = run(budget="800", min_grant="50", partial=False, rule=Rule.RANK_STOP)
    assert result.awards == [Award(1, D("400"), False)]
    assert result.reserve == [2, 3, 4]
    assert result.below_passing == [5]
    assert result.remaining == D("400")


def test_rank_stop_after_the_partial_grant():
    # budget 800, partial on, min 200: 1 gets 400; 2 gets 400 partial → stop; 3, 4 reserve.
    result = run(budget="800", min_grant="200", partial=True, rule=Rule.RANK_STOP)
    assert result.awards == [Award(1, D("400"), False), Award(2, D("400"), True)]
    assert result.reserve == [3, 4]


def test_normalised_totals_show_a_harsh_expert():
    totals = {
        ("harsh", 1): D("10"),
        ("harsh", 2): D("20"),
        ("kind", 1): D("30"),
        ("kind", 2): D("30"),
        ("single", 3): D("25"),
    }
    z = normalised_totals(totals)
    assert z[("harsh", 1)] == pytest.approx(-1.0)  # mean 15, population stdev 5
    assert z[("harsh", 2)] == pytest.approx(1.0)
    assert z[("kind", 1)] is None  # all the same: nothing to compare
    assert z[("single", 3)] is None


def test_the_lottery_is_reproducible_from_its_seed_by_hand():
    ids = [11, 12, 13, 14, 15, 16]
    drawn = lottery(ids, 2, "protocol-7-2026")
    assert drawn == lottery(list(reversed(ids)), 2, "protocol-7-2026")
    by_hand = sorted(
        ids, key=lambda pk: hashlib.sha256(f"protocol-7-2026:{pk}".encode()).hexdigest()
    )
    assert drawn == by_hand[:2]
    assert len(set(drawn)) == 2
    others = {tuple(lottery(ids, 2, f"seed-{n}")) for n in range(20)}
    assert len(others) > 1  # the seed decides
    assert sorted(lottery(ids, 10, "x")) == ids  # more places than applications: all win
