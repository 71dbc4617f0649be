"""Allocation runs over real records, the lottery tier, the commission's decision."""

from decimal import Decimal

import pytest
from django.utils import timezone

from dobry.core.errors import DomainError, InvalidTransition
from dobry.grants import permissions, rules
from dobry.grants.models import Competition, Review
from dobry.grants.services import assignments, decisions
from dobry.grants.tests.factories import (
    admitted_application,
    close_applications,
    expert_pool,
    open_competition,
    score_all,
    scored_applications,
)
from dobry.resources.models import SupportRecord

pytestmark = pytest.mark.django_db


def _members(present: int, absent: int = 0) -> list[dict]:
    return [
        {"name": f"Член {n}", "sector": "nko", "present": n < present}
        for n in range(present + absent)
    ]


def test_final_allocation_follows_the_rule_and_keeps_a_reserve(official):
    competition = open_competition(
        official, budget=Decimal(300_000), passing_score=Decimal(50), min_grant=Decimal(40_000)
    )
    high, middle, low, failing = scored_applications(
        competition, official, [(9, 200_000), (8, 150_000), (7, 50_000), (4, 50_000)]
    )
    close_applications(competition)
    run = decisions.allocation_run(actor=official, competition=competition, final=True)
    awards = [(a["application"], Decimal(a["amount"]), a["partial"]) for a in run.result["awards"]]
    # 300 000: the first takes 200 000; 100 000 left ≥ 40 000 → the second gets it partly;
    # nothing left for the third, which goes to the reserve; the fourth is below passing.
    assert awards == [(high.pk, 200_000, False), (middle.pk, 100_000, True)]
    assert run.result["reserve"] == [low.pk]
    assert run.result["below_passing"] == [failing.pk]
    assert Decimal(run.result["remaining"]) == 0


def test_the_final_allocation_waits_for_every_review(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    score_all(application.reviews.first(), 8)
    close_applications(competition)
    trial = decisions.allocation_run(actor=official, competition=competition, final=False)
    assert trial.result["awards"][0]["application"] == application.pk
    with pytest.raises(DomainError, match=application.number):
        decisions.allocation_run(actor=official, competition=competition, final=True)


def test_the_lottery_tier_is_reproducible_from_the_published_seed(official):
    competition = open_competition(
        official,
        budget=Decimal(400_000),
        lottery_winners=2,
        lottery_amount=Decimal(50_000),
        lottery_min_score=Decimal(40),
        lottery_seed="тираж-2026",
    )
    made = scored_applications(
        competition,
        official,
        [(9, 300_000), (6, 100_000), (6, 90_000), (5, 80_000), (3, 70_000)],
    )
    close_applications(competition)
    run = decisions.allocation_run(actor=official, competition=competition, final=True)
    lottery = run.result["lottery"]
    # the ranking tier has 300 000 (400 000 − 2 × 50 000): only the first fits
    assert [a["application"] for a in run.result["awards"] if a["tier"] == "ranking"] == [
        made[0].pk
    ]
    eligible = [a.pk for a in made[1:4]]  # score ≥ 40 and not funded by rank
    assert lottery["eligible"] == sorted(eligible)
    assert lottery["winners"] == rules.lottery(eligible, 2, "тираж-2026")
    again = decisions.allocation_run(actor=official, competition=competition, final=True)
    assert again.result["lottery"]["winners"] == lottery["winners"]


def test_the_commission_needs_a_quorum_and_reasons_for_changes(official):
    competition = open_competition(official, budget=Decimal(300_000))
    first, second = scored_applications(competition, official, [(9, 200_000), (8, 150_000)])
    close_applications(competition)
    decisions.allocation_run(actor=official, competition=competition, final=True)
    thin = decisions.meeting_create(
        actor=official,
        competition=competition,
        held_at=timezone.now(),
        quorum=3,
        members=_members(present=2, absent=1),
    )
    with pytest.raises(DomainError, match="Нет кворума"):
        decisions.meeting_decide(actor=official, meeting=thin)
    meeting = decisions.meeting_create(
        actor=official,
        competition=competition,
        held_at=timezone.now(),
        quorum=2,
        members=_members(present=2, absent=1),
    )
    with pytest.raises(DomainError) as error:
        decisions.meeting_decide(
            actor=official,
            meeting=meeting,
            amendments=[{"application": second.pk, "amount": "90000", "reason": ""}],
        )
    assert "amendments.0.reason" in error.value.field_errors
    decisions.meeting_decide(
        actor=official,
        meeting=meeting,
        amendments=[
            {"application": second.pk, "amount": "90000", "reason": "Смета завышена на 10 000"}
        ],
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.awarded_amount, second.awarded_amount) == (200_000, 90_000)
    assert meeting.decision == "amended"
    support = SupportRecord.objects.get(source_kind="grant_application", source_pk=second.pk)
    assert support.kind == "financial"
    assert support.value_rub == 90_000
    competition.refresh_from_db()
    assert competition.status == Competition.Status.DECIDED
    with pytest.raises(InvalidTransition):
        decisions.allocation_run(actor=official, competition=competition, final=True)


def test_applicants_read_their_reviews_once_results_are_out(official):
    competition = open_competition(official, budget=Decimal(300_000), blind_review=True)
    (application,) = scored_applications(competition, official, [(7, 100_000)])
    leader = application.applicant
    assert not permissions.can_see_reviews(leader, application)
    close_applications(competition)
    decisions.allocation_run(actor=official, competition=competition, final=True)
    meeting = decisions.meeting_create(
        actor=official,
        competition=competition,
        held_at=timezone.now(),
        quorum=1,
        members=_members(present=1),
    )
    decisions.meeting_decide(actor=official, meeting=meeting)
    decisions.results_publish(actor=official, competition=competition)
    application.refresh_from_db()
    assert permissions.can_see_reviews(leader, application)
    from dobry.grants.results import visible_reviews

    seen = visible_reviews(leader, application)
    assert [r["expert"] for r in seen] == ["Эксперт 1", "Эксперт 2"]
    assert {r["total"] for r in seen} == {Decimal(70)}
    assert Review.objects.filter(application=application).count() == 2
