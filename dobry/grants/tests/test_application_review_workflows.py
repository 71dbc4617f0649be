"""Grant applications and expert reviews move by APPLICATION_WORKFLOW and
REVIEW_WORKFLOW: the services check each move against the table, the application page
offers «Отозвать заявку» exactly when the move is allowed, the screening decisions and the
names of the states come from the workflows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.core.errors import DomainError, InvalidTransition
from dobry.grants import permissions, results
from dobry.grants.forms import ScreeningForm
from dobry.grants.models import APPLICATION_WORKFLOW, REVIEW_WORKFLOW, Application, Review
from dobry.grants.services import applications, assignments, reviews
from dobry.grants.tests.factories import (
    admitted_application,
    close_applications,
    expert_pool,
    open_competition,
    submitted_application,
)

pytestmark = pytest.mark.django_db
A = Application.Status
R = Review.Status


def test_the_tables():
    assert APPLICATION_WORKFLOW.table == {
        A.DRAFT: frozenset({A.SUBMITTED}),
        A.SUBMITTED: frozenset({A.WITHDRAWN, A.ADMITTED, A.RETURNED, A.NOT_ADMITTED}),
        A.WITHDRAWN: frozenset({A.SUBMITTED}),
        A.RETURNED: frozenset({A.SUBMITTED, A.NOT_ADMITTED}),
        A.ADMITTED: frozenset({A.NOT_ADMITTED}),
    }
    assert REVIEW_WORKFLOW.table == {
        R.ASSIGNED: frozenset({R.SUBMITTED, R.CONFLICT}),
        R.SUBMITTED: frozenset({R.CONFLICT}),
    }
    assert {m.name for m in REVIEW_WORKFLOW.moves if m.needs_reason} == {
        "declare_conflict",
        "recuse",
    }


def test_the_screening_decisions_are_the_workflows(official):
    decisions = dict(ScreeningForm().fields["decision"].choices)
    assert decisions == {
        move.target: move.label
        for move in APPLICATION_WORKFLOW.moves
        if move.name in ("admit", "return", "not_admit")
    }


def test_the_applicant_is_offered_withdrawing_while_the_call_is_open(official):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    names = lambda user: [m.name for m in permissions.application_moves(user, application)]  # noqa: E731
    assert names(leader) == ["withdraw"]
    assert names(official) == ["admit", "return", "not_admit"]
    close_applications(competition)
    application.refresh_from_db()
    assert names(leader) == []


def test_the_page_shows_withdraw_only_when_it_is_allowed(official, login_as):
    competition = open_competition(official)
    application, leader = submitted_application(competition)
    url = application.get_absolute_url()
    withdraw = f'action="/grants/applications/{application.pk}/withdraw/"'
    assert withdraw in login_as(leader).get(url).content.decode()
    close_applications(competition)
    assert withdraw not in login_as(leader).get(url).content.decode()


def test_a_screening_decision_the_table_refuses_names_both_states(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    with pytest.raises(InvalidTransition, match="«допущена» в «возвращена на доработку»"):
        applications.application_screen(
            actor=official,
            application=application,
            decision=A.RETURNED,
            reason=Application.Reason.DOCUMENTS,
            returned_until=timezone.now() + timedelta(days=3),
        )


def test_the_applicant_reads_the_status_from_the_workflow(official):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    assert results.status_label(application, staff=False) == APPLICATION_WORKFLOW.public_name(
        A.SUBMITTED
    )


def test_a_review_set_aside_is_not_set_aside_again(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    [expert] = expert_pool(competition, official, 1)
    close_applications(competition)
    review = assignments.review_assign(actor=official, application=application, expert=expert)
    with pytest.raises(DomainError, match="причину отвода"):
        reviews.review_recuse(actor=official, review=review, reason=" ")
    reviews.review_recuse(actor=official, review=review, reason="Учредитель заявителя")
    review.refresh_from_db()
    assert review.status == R.CONFLICT
    with pytest.raises(InvalidTransition, match="уже отведён"):
        reviews.review_recuse(actor=official, review=review, reason="Ещё раз")
