"""The rules of a municipal grant competition, exactly as published, so that anyone can
check the results by hand: an expert's total, an application's score, when a further
expert is needed, the ranking, the allocation of the budget and the lottery tier.

Plain functions over plain values — no database — so each rule is tested on
hand-computed cases (tests/test_rules.py) and reused by the pages, the API and the
protocol alike."""

import hashlib
import statistics
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from dobry.core.errors import DomainError


@dataclass(frozen=True)
class Criterion:
    id: int
    weight: Decimal
    max_score: int


def max_total(criteria: Sequence[Criterion]) -> Decimal:
    """The greatest total one expert can give: Σ weight × maximum score."""
    return sum((c.weight * c.max_score for c in criteria), Decimal(0))


def expert_total(criteria: Sequence[Criterion], scores: Mapping[int, int]) -> Decimal:
    """An expert's total: Σ weight × score over every criterion (each scored, in range)."""
    missing = [c.id for c in criteria if c.id not in scores]
    if missing:
        raise DomainError(f"Not every criterion is scored: {missing}.")
    for criterion in criteria:
        if not 0 <= scores[criterion.id] <= criterion.max_score:
            raise DomainError(
                f"Criterion {criterion.id}: the score must be 0–{criterion.max_score}."
            )
    return sum((c.weight * scores[c.id] for c in criteria), Decimal(0))


def application_score(totals: Sequence[Decimal]) -> Decimal | None:
    """The mean of the submitted experts' totals (None until one has submitted)."""
    if not totals:
        return None
    return sum(totals, Decimal(0)) / len(totals)


def residents_vote_points(votes: int, ballots: int, max_points: Decimal) -> Decimal:
    """The criterion «Народная поддержка»: the competition's greatest points for it times
    the share of the vote's ballots that chose the application — max_points × votes ÷
    ballots, to four decimals (0 when nobody voted). An application every voter chose gets
    the whole; one nobody chose, nothing."""
    if ballots <= 0 or votes <= 0:
        return Decimal(0)
    if votes > ballots:
        raise DomainError("More votes for an option than ballots.")
    return (max_points * votes / ballots).quantize(Decimal("0.0001"))


def needs_another_expert(
    totals: Sequence[Decimal], criteria: Sequence[Criterion], threshold_percent: Decimal
) -> bool:
    """The spread (max − min) of the totals exceeds the divergence threshold, a percentage
    of the maximum possible total."""
    if len(totals) < 2:
        return False
    return max(totals) - min(totals) > max_total(criteria) * threshold_percent / 100


@dataclass(frozen=True)
class Scored:
    application_id: int
    score: Decimal
    submitted_at: datetime
    requested: Decimal = Decimal(0)


def rank(applications: Iterable[Scored]) -> list[Scored]:
    """By score, descending; ties by earlier submission."""
    return sorted(applications, key=lambda a: (-a.score, a.submitted_at))


def normalised_totals(
    totals: Mapping[tuple[Hashable, int], Decimal],
) -> dict[tuple[Hashable, int], float | None]:
    """Each total as a z-score among its expert's own totals, to spot harsh or lenient
    experts (information only). Keys are (expert, application); None where an expert
    scored fewer than two applications or gave all the same total."""
    by_expert: dict[Hashable, list[float]] = {}
    for (expert, _application), total in totals.items():
        by_expert.setdefault(expert, []).append(float(total))
    result: dict[tuple[Hashable, int], float | None] = {}
    for (expert, application), total in totals.items():
        values = by_expert[expert]
        spread = statistics.pstdev(values) if len(values) > 1 else 0.0
        result[(expert, application)] = (
            (float(total) - statistics.fmean(values)) / spread if spread else None
        )
    return result


class Rule(StrEnum):
    RANK_GREEDY = "rank_greedy"
    RANK_STOP = "rank_stop"


@dataclass(frozen=True)
class Award:
    application_id: int
    amount: Decimal
    partial: bool


@dataclass
class Allocation:
    awards: list[Award] = field(default_factory=list)
    reserve: list[int] = field(default_factory=list)  # passing but unfunded, in rank order
    below_passing: list[int] = field(default_factory=list)
    remaining: Decimal = Decimal(0)


def allocate(
    ranking: Sequence[Scored],
    *,
    budget: Decimal,
    passing_score: Decimal,
    min_grant: Decimal,
    partial_allowed: bool,
    rule: Rule,
) -> Allocation:
    """Walk the ranking. Below the passing score: skipped. The requested amount fits the
    remaining budget: awarded. Otherwise, with partial funding on and a remainder of at
    least the minimum grant, the remainder is awarded as a partial grant; else the
    application is skipped (`rank_greedy` goes on, `rank_stop` stops — after the partial
    grant, if any). Passing applications left unfunded form the reserve in rank order."""
    result = Allocation(remaining=budget)
    stopped = False
    for item in ranking:
        if item.score < passing_score:
            result.below_passing.append(item.application_id)
            continue
        if stopped:
            result.reserve.append(item.application_id)
            continue
        if item.requested <= result.remaining:
            result.awards.append(Award(item.application_id, item.requested, partial=False))
            result.remaining -= item.requested
            continue
        if partial_allowed and result.remaining >= min_grant and result.remaining > 0:
            result.awards.append(Award(item.application_id, result.remaining, partial=True))
            result.remaining = Decimal(0)
        else:
            result.reserve.append(item.application_id)
        if rule == Rule.RANK_STOP:
            stopped = True
    return result


def lottery(application_ids: Iterable[int], winners: int, seed: str) -> list[int]:
    """The lottery tier: `winners` applications drawn with a published seed. Each
    application's ticket is SHA-256 of "seed:id" in hex; the lowest tickets win — anyone
    can re-run the draw with any SHA-256 tool."""
    tickets = sorted(
        (hashlib.sha256(f"{seed}:{pk}".encode()).hexdigest(), pk) for pk in set(application_ids)
    )
    return [pk for _ticket, pk in tickets[:winners]]
