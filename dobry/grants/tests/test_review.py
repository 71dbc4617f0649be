import statistics
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.grants import permissions
from dobry.grants.models import Expert, Review
from dobry.grants.services import assignments, reviews
from dobry.grants.tests.factories import (
    admitted_application,
    expert_pool,
    open_competition,
    score_all,
)
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _review_counts(competition) -> list[int]:
    return [
        expert.reviews.active().count() for expert in competition.experts.filter(is_active=True)
    ]


def test_assignment_gives_each_application_its_experts_with_balanced_load(official):
    competition = open_competition(official)
    applications = [admitted_application(competition, official) for _ in range(7)]
    expert_pool(competition, official, 5)
    assignments.assign_experts(actor=official, competition=competition)
    for application in applications:
        assert application.reviews.count() == 2
    loads = _review_counts(competition)
    average = statistics.fmean(loads)  # 14 reviews over 5 experts = 2.8
    assert all(abs(load - average) <= 1 for load in loads), loads
    # assigning again changes nothing: every application has its experts
    assert assignments.assign_experts(actor=official, competition=competition) == []


def test_a_member_of_the_applicant_is_never_assigned(official):
    competition = open_competition(official)
    applications = [admitted_application(competition, official) for _ in range(6)]
    experts = expert_pool(competition, official, 3)
    insider = experts[0]
    MembershipFactory(
        organization=applications[0].organization, user=insider.user, role=Membership.Role.MEMBER
    )
    applications[1].applicant = insider.user
    applications[1].save()
    assignments.assign_experts(actor=official, competition=competition)
    assert not applications[0].reviews.filter(expert=insider).exists()
    assert not applications[1].reviews.filter(expert=insider).exists()
    assert applications[0].reviews.count() == 2
    with pytest.raises(DomainError, match="связан с заявителем"):
        assignments.review_assign(actor=official, application=applications[0], expert=insider)


def test_too_few_free_experts_is_said_plainly(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    (expert,) = expert_pool(competition, official, 1)
    with pytest.raises(DomainError, match=application.number):
        assignments.assign_experts(actor=official, competition=competition)
    assert application.reviews.get().expert == expert


def test_a_declared_conflict_hands_the_application_to_another_expert(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 3)
    assignments.assign_experts(actor=official, competition=competition)
    first = application.reviews.first()
    assert not permissions.can_view_application(first.expert.user, application)
    with pytest.raises(DomainError):
        reviews.conflict_declare(user=first.expert.user, application=application, conflict=True)
    reviews.conflict_declare(
        user=first.expert.user, application=application, conflict=True, reason="Моя сестра"
    )
    assert application.reviews.active().count() == 2
    assert application.reviews.get(expert=first.expert).status == Review.Status.CONFLICT
    assert first.expert.user not in [r.expert.user for r in application.reviews.active()]
    assert not permissions.can_view_application(first.expert.user, application)


def test_an_expert_sees_others_scores_only_after_submitting(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    first, second = application.reviews.all()
    score_all(first, 8)
    reviews.conflict_declare(user=second.expert.user, application=application, conflict=False)
    assert not permissions.can_see_reviews(second.expert.user, application)
    assert permissions.can_see_reviews(first.expert.user, application)
    score_all(second, 7)
    assert permissions.can_see_reviews(second.expert.user, application)


def test_scores_are_checked_and_a_low_score_needs_a_comment(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    review = application.reviews.first()
    user = review.expert.user
    criteria = list(competition.criteria.all())
    with pytest.raises(InvalidTransition, match="конфликта"):
        reviews.review_save(user=user, review=review, scores={})
    reviews.conflict_declare(user=user, application=application, conflict=False)
    with pytest.raises(PermissionDenied):
        reviews.review_save(user=UserFactory(), review=review, scores={})
    with pytest.raises(DomainError) as error:
        reviews.review_save(user=user, review=review, scores={criteria[0].pk: 11})
    assert f"scores.{criteria[0].pk}" in error.value.field_errors
    draft = reviews.review_save(user=user, review=review, scores={criteria[0].pk: 3})
    assert draft.status == Review.Status.ASSIGNED
    assert draft.scores == {str(criteria[0].pk): 3}
    scores = {c.pk: 8 for c in criteria} | {criteria[0].pk: 3}
    with pytest.raises(DomainError) as error:
        reviews.review_save(user=user, review=review, scores=scores, submit=True)
    assert set(error.value.field_errors) == {f"comments.{criteria[0].pk}"}
    done = reviews.review_save(
        user=user,
        review=review,
        scores=scores,
        comments={criteria[0].pk: "Проблема описана общими словами."},
        submit=True,
    )
    assert done.total == Decimal(3 + 8 * 9)
    application.refresh_from_db()
    assert application.score == Decimal(75)
    with pytest.raises(InvalidTransition):
        reviews.review_save(user=user, review=review, scores=scores, submit=True)


def test_diverging_totals_add_a_third_expert_and_the_score_becomes_the_mean_of_all(official):
    competition = open_competition(official, divergence_percent=Decimal(30))
    application = admitted_application(competition, official)
    expert_pool(competition, official, 3)
    assignments.assign_experts(actor=official, competition=competition)
    first, second = application.reviews.all()
    score_all(first, 9)  # total 90 of 100
    score_all(second, 5)  # total 50: spread 40 > 30 % of 100
    third = application.reviews.get(for_divergence=True)
    assert third.expert not in (first.expert, second.expert)
    score_all(third, 7)
    application.refresh_from_db()
    assert application.score == Decimal(70)  # (90 + 50 + 70) / 3
    assert application.reviews.count() == 3  # added once, not again


def test_totals_within_the_threshold_add_no_one(official):
    competition = open_competition(official, divergence_percent=Decimal(30))
    application = admitted_application(competition, official)
    expert_pool(competition, official, 3)
    assignments.assign_experts(actor=official, competition=competition)
    first, second = application.reviews.all()
    score_all(first, 8)
    score_all(second, 5)  # spread 30, not above 30
    assert application.reviews.count() == 2
    application.refresh_from_db()
    assert application.score == Decimal("65")


def test_reminders_go_once_to_experts_with_unsubmitted_reviews(official):
    from datetime import timedelta

    from django.utils import timezone

    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    score_all(application.reviews.first(), 8)
    soon = competition.review_deadline - timedelta(days=2)
    assert reviews.remind_reviewers(now=competition.review_deadline - timedelta(days=5)) == 0
    assert reviews.remind_reviewers(now=soon) == 1
    assert reviews.remind_reviewers(now=soon) == 0
    assert timezone.now() < competition.review_deadline


def test_removing_an_expert_frees_their_unstarted_reviews(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    experts = expert_pool(competition, official, 3, sector=Expert.Sector.BUSINESS)
    assignments.assign_experts(actor=official, competition=competition)
    leaving = application.reviews.first().expert
    assignments.expert_remove(actor=official, expert=leaving)
    assert application.reviews.count() == 1
    assignments.assign_experts(actor=official, competition=competition)
    assert application.reviews.count() == 2
    assert leaving not in [r.expert for r in application.reviews.all()]
    assert len(experts) == 3


def test_no_scoring_after_the_review_deadline(official):
    from dobry.grants.tests.factories import end_review

    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    review = application.reviews.first()
    reviews.conflict_declare(user=review.expert.user, application=application, conflict=False)
    end_review(competition)
    with pytest.raises(InvalidTransition, match="Срок экспертизы истёк"):
        reviews.review_save(user=review.expert.user, review=review, scores={})
    competition.refresh_from_db()
    with pytest.raises(InvalidTransition):
        assignments.assign_experts(actor=official, competition=competition)
