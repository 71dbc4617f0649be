"""An application returned for corrections comes back before the review ends: the deadline
of the corrections lies after now and no later than the competition's review deadline —
the same refusal on the page and in the API (`applications.application_screen`)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import bearer
from dobry.core.errors import DomainError
from dobry.grants.models import Application
from dobry.grants.services import applications
from dobry.grants.tests.factories import open_competition, submitted_application
from dobry.grants.tests.pages import local_input

pytestmark = pytest.mark.django_db
A = Application.Status
JSON = "application/json"


@pytest.fixture
def submitted(official):
    competition = open_competition(official)
    application, _leader = submitted_application(competition)
    return application


def test_a_deadline_past_the_review_is_refused_naming_the_review_deadline(official, submitted):
    late = submitted.competition.review_deadline + timedelta(minutes=1)
    with pytest.raises(DomainError) as refused:
        applications.application_screen(
            actor=official,
            application=submitted,
            decision=A.RETURNED,
            reason="documents",
            returned_until=late,
        )
    [message] = refused.value.field_errors["returned_until"]
    assert message.startswith("Срок доработки — не позже окончания экспертизы (")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.returned_until) == (A.SUBMITTED, None)


def test_the_review_deadline_itself_is_taken(official, submitted):
    deadline = submitted.competition.review_deadline
    returned = applications.application_screen(
        actor=official,
        application=submitted,
        decision=A.RETURNED,
        reason="documents",
        returned_until=deadline,
    )
    assert (returned.status, returned.returned_until) == (A.RETURNED, deadline)


def test_the_page_shows_the_refusal_at_the_field(official, submitted, login_as):
    late = submitted.competition.review_deadline + timedelta(days=30)
    response = login_as(official).post(
        f"/grants/applications/{submitted.pk}/screening/",
        {"decision": "returned", "reason": "documents", "returned_until": local_input(late)},
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["returned_until"]
    assert "не позже окончания экспертизы" in message
    submitted.refresh_from_db()
    assert submitted.status == A.SUBMITTED


def test_the_api_answers_422_at_the_field(official, submitted):
    late = submitted.competition.review_deadline + timedelta(days=365 * 3)
    response = bearer(official).post(
        f"/api/v1/applications/{submitted.pk}/screening",
        {"decision": "returned", "reason": "documents", "returned_until": late.isoformat()},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert "не позже окончания экспертизы" in response.json()["errors"]["returned_until"][0]
    submitted.refresh_from_db()
    assert submitted.status == A.SUBMITTED


def test_a_deadline_within_the_review_is_kept_through_the_api(official, submitted):
    until = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    response = bearer(official).post(
        f"/api/v1/applications/{submitted.pk}/screening",
        {"decision": "returned", "reason": "documents", "returned_until": until.isoformat()},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    submitted.refresh_from_db()
    assert (submitted.status, submitted.returned_until) == (A.RETURNED, until)
