"""An application and its reviews are locked in one order on every path that holds both —
the application, then the review (`assignments.lock_review`): screening (which deletes the
assigned reviews) and scoring or recusal (which rescore the application) never deadlock,
and two experts submitting at once rescore one after the other."""

import pytest

from dobry.core.tests.row_locks import first_lock, row_locks
from dobry.grants.models import Application, Review
from dobry.grants.services import applications, assignments, reviews
from dobry.grants.tests.factories import (
    admitted_application,
    expert_pool,
    open_competition,
    score_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 3)
    assignments.assign_experts(actor=official, competition=competition)
    return application


def test_submitting_scores_locks_the_application_before_the_review(application):
    with row_locks() as taken:
        score_all(application.reviews.first(), 7)
    assert first_lock(taken, Application) < first_lock(taken, Review)


def test_a_recusal_locks_the_application_before_the_review(application, official):
    with row_locks() as taken:
        reviews.review_recuse(
            actor=official, review=application.reviews.first(), reason="Учредитель заявителя"
        )
    assert first_lock(taken, Application) < first_lock(taken, Review)


def test_unassigning_locks_the_application_before_the_review(application, official):
    with row_locks() as taken:
        assignments.review_unassign(actor=official, review=application.reviews.first())
    assert first_lock(taken, Application) < first_lock(taken, Review)


def test_not_admitting_locks_the_application_before_its_reviews(application, official):
    with row_locks() as taken:
        applications.application_screen(
            actor=official,
            application=application,
            decision=Application.Status.NOT_ADMITTED,
            reason="duplicate",
        )
    assert first_lock(taken, Application) < first_lock(taken, Review)
