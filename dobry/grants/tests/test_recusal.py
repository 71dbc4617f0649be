"""An expert who finds a conflict of interest after submitting scores recuses (or staff
set the review aside, with a reason): the score leaves the mean, the application is
rescored, a replacement is assigned, an audit entry is written — pages and API alike
(issue 11 §5)."""

from decimal import Decimal

import pytest

from dobry.accounts.services import api_token_create
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import AuditEntry
from dobry.grants.models import Review
from dobry.grants.services import assignments, reviews
from dobry.grants.tests.factories import (
    admitted_application,
    expert_pool,
    open_competition,
    score_all,
)

pytestmark = pytest.mark.django_db
R = Review.Status


@pytest.fixture
def scored(official):
    """An application scored 9 and 5 by two experts (mean 70), with a third expert free."""
    competition = open_competition(official, divergence_percent=100)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 3)
    first, second = (
        assignments.review_assign(actor=official, application=application, expert=e)
        for e in competition.experts.order_by("pk")[:2]
    )
    score_all(first, 9)
    score_all(second, 5)
    application.refresh_from_db()
    assert application.score == Decimal("70.00")
    return application, first, second


def test_an_expert_recuses_after_submitting_and_the_score_leaves_the_mean(scored):
    application, first, second = scored
    reviews.review_recuse(
        actor=first.expert.user, review=first, reason="Узнал, что руковожу партнёром заявителя"
    )
    first.refresh_from_db()
    application.refresh_from_db()
    assert first.status == R.CONFLICT
    assert first.total == Decimal("90.00")  # kept for the record, set aside
    assert application.score == Decimal("50.00")  # only the second expert counts now
    replacement = application.reviews.get(status=R.ASSIGNED)
    assert replacement.expert not in (first.expert, second.expert)
    entry = AuditEntry.objects.get(action="review.recuse")
    assert entry.actor == first.expert.user
    assert entry.data["reason"] == "Узнал, что руковожу партнёром заявителя"
    assert entry.data["total_set_aside"] == "90.00"
    assert entry.data["replacement"] == [replacement.expert.user_id]


def test_staff_set_a_submitted_review_aside_only_with_a_reason(scored, official):
    application, first, _second = scored
    with pytest.raises(DomainError, match="причину"):
        reviews.review_recuse(actor=official, review=first, reason="  ")
    reviews.review_recuse(actor=official, review=first, reason="Эксперт — учредитель заявителя")
    application.refresh_from_db()
    assert application.score == Decimal("50.00")
    assert AuditEntry.objects.get(action="review.recuse").data["by"] == "staff"


def test_nobody_else_may_set_a_review_aside(scored, outsider):
    _application, first, second = scored
    with pytest.raises(PermissionDenied):
        reviews.review_recuse(actor=outsider, review=first, reason="Хочу")
    with pytest.raises(PermissionDenied):
        reviews.review_recuse(actor=second.expert.user, review=first, reason="Хочу")


def test_a_review_set_aside_once_cannot_be_set_aside_again(scored):
    _application, first, _second = scored
    reviews.review_recuse(actor=first.expert.user, review=first, reason="Конфликт")
    with pytest.raises(InvalidTransition, match="уже отведён"):
        reviews.review_recuse(actor=first.expert.user, review=first, reason="Конфликт")


def test_without_a_free_expert_the_review_is_still_set_aside(official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    [expert] = expert_pool(competition, official, 1)
    review = assignments.review_assign(actor=official, application=application, expert=expert)
    score_all(review, 8)
    reviews.review_recuse(actor=expert.user, review=review, reason="Конфликт")
    application.refresh_from_db()
    assert application.score is None
    assert AuditEntry.objects.get(action="review.recuse").data["replacement"] == []


def test_the_expert_recuses_on_the_review_page(scored, login_as):
    _application, first, _second = scored
    client = login_as(first.expert.user)
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Отказаться от оценки" in page
    url = f"/grants/reviews/{first.pk}/recuse/"
    assert client.post(url, {"reason": ""}).status_code == 200  # the form with its error
    assert Review.objects.get(pk=first.pk).status == R.SUBMITTED
    response = client.post(url, {"reason": "Конфликт интересов"})
    assert response.status_code == 302
    assert Review.objects.get(pk=first.pk).status == R.CONFLICT


def test_staff_set_aside_on_the_screening_page(scored, login_as, official):
    application, first, _second = scored
    client = login_as(official)
    page = client.get(f"/grants/applications/{application.pk}/screening/").content.decode()
    assert f"/grants/reviews/{first.pk}/recuse/" in page
    response = client.post(f"/grants/reviews/{first.pk}/recuse/", {"reason": "Учредитель"})
    assert response.status_code == 302
    assert Review.objects.get(pk=first.pk).status == R.CONFLICT


def test_the_recusal_page_refuses_anonymous_and_outsiders(scored, client, login_as, outsider):
    _application, first, _second = scored
    url = f"/grants/reviews/{first.pk}/recuse/"
    assert client.post(url, {"reason": "x"}).status_code == 302  # to the login page
    assert login_as(outsider).post(url, {"reason": "x"}).status_code == 403
    assert (
        login_as(outsider).post("/grants/reviews/999999/recuse/", {"reason": "x"}).status_code
        == 404
    )
    assert Review.objects.get(pk=first.pk).status == R.SUBMITTED


def _bearer(user):
    from django.test import Client

    _token, raw = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_api_recusal(scored, outsider):
    application, first, _second = scored
    url = f"/api/v1/reviews/{first.pk}/recusal"
    assert (
        _bearer(outsider).post(url, {"reason": "x"}, content_type="application/json").status_code
        == 403
    )
    missing = _bearer(first.expert.user).post(url, {"reason": ""}, content_type="application/json")
    assert missing.status_code == 422
    done = _bearer(first.expert.user).post(
        url, {"reason": "Конфликт интересов"}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "conflict"
    application.refresh_from_db()
    assert application.score == Decimal("50.00")


# --- a finished competition: the page follows the API's one permission ----------------------
# (attacker's finding of issue 11: the form was shown for a finished competition while the
# API refused it)


@pytest.fixture
def finished(scored, official):
    from dobry.grants.tests.factories import decide

    application, first, second = scored
    decide(application.competition, official)
    first.refresh_from_db()
    return application, first, second


def test_a_finished_competition_offers_no_recusal_to_the_expert(finished, login_as):
    _application, first, _second = finished
    client = login_as(first.expert.user)
    review_page = client.get(first.get_absolute_url()).content.decode()
    assert "Отказаться от оценки" not in review_page
    form_page = client.get(f"/grants/reviews/{first.pk}/recuse/")
    assert form_page.status_code == 409
    body = form_page.content.decode()
    assert "Итоги конкурса опубликованы" in body
    assert 'name="reason"' not in body
    sent = client.post(f"/grants/reviews/{first.pk}/recuse/", {"reason": "Конфликт"})
    assert sent.status_code == 409
    assert Review.objects.get(pk=first.pk).status == R.SUBMITTED


def test_a_finished_competition_offers_no_recusal_to_staff(finished, login_as, official):
    application, first, _second = finished
    client = login_as(official)
    page = client.get(f"/grants/applications/{application.pk}/screening/").content.decode()
    assert f"/grants/reviews/{first.pk}/recuse/" not in page
    assert client.get(f"/grants/reviews/{first.pk}/recuse/").status_code == 409


def test_the_api_refuses_with_the_same_reason_as_the_page(finished, outsider):
    _application, first, _second = finished
    url = f"/api/v1/reviews/{first.pk}/recusal"
    refused = _bearer(first.expert.user).post(
        url, {"reason": "Конфликт"}, content_type="application/json"
    )
    assert refused.status_code == 409
    assert refused.json()["message"].startswith("Итоги конкурса опубликованы")
    # who before when: an outsider learns nothing of the competition's stage
    other = _bearer(outsider).post(url, {"reason": "x"}, content_type="application/json")
    assert other.status_code == 403


def test_a_review_set_aside_offers_no_second_recusal(scored, login_as):
    _application, first, _second = scored
    reviews.review_recuse(actor=first.expert.user, review=first, reason="Конфликт")
    response = login_as(first.expert.user).get(f"/grants/reviews/{first.pk}/recuse/")
    assert response.status_code == 409
    assert "Эксперт уже отведён от этой заявки." in response.content.decode()


@pytest.mark.parametrize("role", ["expert", "official"])
def test_the_permission_says_not_now_for_a_finished_competition(finished, official, role):
    from dobry.grants import permissions

    _application, first, _second = finished
    user = first.expert.user if role == "expert" else official
    decision = permissions.can_recuse(user, first)
    assert (decision.allowed, decision.not_now) == (False, True)
