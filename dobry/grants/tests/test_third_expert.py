"""The third-expert rule when no expert is free at the moment the totals diverge: the
extra expert is assigned later by «Распределить», and the final allocation waits for
them (docs/grants.md: «one more expert is assigned, once»)."""

from decimal import Decimal

import pytest

from dobry.core.errors import DomainError
from dobry.core.models import AuditEntry
from dobry.grants.services import assignments, decisions
from dobry.grants.tests.factories import (
    admitted_application,
    close_applications,
    expert_pool,
    open_competition,
    score_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def diverged(official):
    """Two experts, both taken: totals 90 and 50 diverge (40 > 30 % of 100) with nobody
    free to add."""
    competition = open_competition(official, divergence_percent=Decimal(30))
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    first, second = application.reviews.all()
    score_all(first, 9)
    score_all(second, 5)
    return competition, application


def test_with_nobody_free_the_divergence_is_logged_and_no_one_added(diverged):
    _competition, application = diverged
    assert application.reviews.count() == 2
    entry = AuditEntry.objects.get(action="application.divergence")
    assert entry.data == {"totals": ["90.00", "50.00"], "added": []}


def test_the_next_assignment_adds_the_third_expert_once(diverged, official):
    competition, application = diverged
    with pytest.raises(DomainError, match=application.number):
        assignments.assign_experts(actor=official, competition=competition)  # still nobody
    (newcomer,) = expert_pool(competition, official, 1)
    created = assignments.assign_experts(actor=official, competition=competition)
    assert [(r.expert, r.for_divergence) for r in created] == [(newcomer, True)]
    assert assignments.assign_experts(actor=official, competition=competition) == []
    score_all(created[0], 7)
    application.refresh_from_db()
    assert application.score == Decimal(70)  # (90 + 50 + 70) / 3
    assert application.reviews.count() == 3


def test_the_final_allocation_waits_for_the_third_expert(diverged, official):
    competition, application = diverged
    close_applications(competition)
    trial = decisions.allocation_run(actor=official, competition=competition, final=False)
    assert trial.result["ranking"] == [application.pk]
    with pytest.raises(DomainError, match=application.number):
        decisions.allocation_run(actor=official, competition=competition, final=True)
    (newcomer,) = expert_pool(competition, official, 1)
    (third,) = assignments.assign_experts(actor=official, competition=competition)
    score_all(third, 7)
    final = decisions.allocation_run(actor=official, competition=competition, final=True)
    assert final.result["scores"] == {str(application.pk): "70.0000"}
    assert third.expert == newcomer


def test_totals_within_the_threshold_need_no_one_later(official):
    competition = open_competition(official, divergence_percent=Decimal(30))
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    first, second = application.reviews.all()
    score_all(first, 8)
    score_all(second, 5)  # a spread of 30: not above 30 %
    expert_pool(competition, official, 1)
    assert assignments.assign_experts(actor=official, competition=competition) == []
    close_applications(competition)
    assert decisions.allocation_run(actor=official, competition=competition, final=True).final
