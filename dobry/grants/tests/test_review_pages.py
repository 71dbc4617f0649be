"""The expert's side: my reviews, the declaration of conflicts, the scoring form, what a
score may be, and that nobody else reaches an expert's review (pages and API)."""

from decimal import Decimal

import pytest
from django.test import Client

from dobry.core.errors import DomainError
from dobry.grants.models import Review
from dobry.grants.services import assignments, reviews
from dobry.grants.tests.factories import (
    admitted_application,
    expert_pool,
    open_competition,
    score_all,
)
from dobry.grants.tests.pages import said
from dobry.grants.tests.test_api import bearer

pytestmark = pytest.mark.django_db
R = Review.Status
JSON = "application/json"


@pytest.fixture
def assigned(official):
    """An admitted application with its two experts assigned, a third free in the pool."""
    competition = open_competition(official, comment_below=4)
    application = admitted_application(competition, official, title="Двор без мусора")
    expert_pool(competition, official, 3)
    assignments.assign_experts(actor=official, competition=competition)
    return application


def _declared(review):
    reviews.conflict_declare(
        user=review.expert.user, application=review.application, conflict=False
    )
    review.refresh_from_db()
    return review


def _form(criteria, value, **extra) -> dict:
    return {f"score_{c.pk}": value for c in criteria} | extra


@pytest.mark.parametrize("count", [1, 7])
def test_my_reviews_keep_a_fixed_query_count(
    official, login_as, django_assert_max_num_queries, count
):
    competition = open_competition(official)
    for _ in range(count):
        admitted_application(competition, official)
    expert, _other = expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    client = login_as(expert.user)
    with django_assert_max_num_queries(8):
        response = client.get("/grants/reviews/")
    assert len(response.context["page"]) == count


def test_my_reviews_list_only_my_own(assigned, login_as, outsider, client):
    mine = assigned.reviews.first()
    assert client.get("/grants/reviews/").status_code == 302
    assert list(login_as(outsider).get("/grants/reviews/").context["page"]) == []
    assert list(login_as(mine.expert.user).get("/grants/reviews/").context["page"]) == [mine]


def test_nobody_but_the_expert_opens_a_review(assigned, client, login_as, official, outsider):
    review = assigned.reviews.first()
    url = review.get_absolute_url()
    assert client.get(url).status_code == 302
    assert login_as(outsider).get(url).status_code == 404
    assert login_as(official).get(url).status_code == 404  # organisers read the desk
    assert login_as(assigned.applicant).get(url).status_code == 404
    assert login_as(review.expert.user).get("/grants/reviews/999999/").status_code == 404
    assert login_as(official).post(url, {"conflict": "no"}).status_code == 404
    review.refresh_from_db()
    assert review.declared_at is None


def test_a_conflict_declared_without_a_reason_is_asked_for_one(assigned, login_as):
    review = assigned.reviews.first()
    client = login_as(review.expert.user)
    response = client.post(review.get_absolute_url(), {"conflict": "yes", "reason": " "})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    malformed = client.post(review.get_absolute_url(), {"conflict": "perhaps"})
    assert "conflict" in malformed.context["form"].errors
    review.refresh_from_db()
    assert (review.status, review.declared_at) == (R.ASSIGNED, None)


def test_a_conflict_declared_on_the_page_passes_the_application_on(assigned, login_as):
    review = assigned.reviews.first()
    client = login_as(review.expert.user)
    response = client.post(
        review.get_absolute_url(), {"conflict": "yes", "reason": "Руковожу этой НКО"}
    )
    assert response.url == "/grants/reviews/"
    assert said(response) == ["Спасибо. Заявка передана другому эксперту."]
    assert assigned.reviews.active().count() == 2
    assert review.expert not in [r.expert for r in assigned.reviews.active()]
    page = client.get(review.get_absolute_url())
    assert next(t.name for t in page.templates) == "grants/review_conflict.html"
    assert "Руковожу этой НКО" in page.content.decode()


def test_no_conflict_opens_the_scoring_form(assigned, login_as):
    review = assigned.reviews.first()
    client = login_as(review.expert.user)
    response = client.post(review.get_absolute_url(), {"conflict": "no"})
    assert response.url == review.get_absolute_url()
    page = client.get(review.get_absolute_url())
    assert "Двор без мусора" in page.content.decode()
    assert len(page.context["form"].rows()) == 10
    assert page.context["others"] is None


def test_a_draft_score_is_kept_and_shown_again(assigned, login_as):
    review = _declared(assigned.reviews.first())
    criteria = list(assigned.competition.criteria.all())
    client = login_as(review.expert.user)
    response = client.post(
        review.get_absolute_url(),
        {f"score_{criteria[0].pk}": "6", f"comment_{criteria[0].pk}": "Хорошо", "comment": "Ок"},
    )
    assert said(response) == ["Черновик оценки сохранён."]
    review.refresh_from_db()
    assert (review.status, review.scores, review.comments, review.comment) == (
        R.ASSIGNED,
        {str(criteria[0].pk): 6},
        {str(criteria[0].pk): "Хорошо"},
        "Ок",
    )
    form = client.get(review.get_absolute_url()).context["form"]
    assert form[f"score_{criteria[0].pk}"].value() == 6
    assert form["comment"].value() == "Ок"


def test_submitting_shows_each_problem_at_its_criterion(assigned, login_as):
    review = _declared(assigned.reviews.first())
    criteria = list(assigned.competition.criteria.all())
    client = login_as(review.expert.user)
    data = _form(criteria[1:], 8) | {f"score_{criteria[1].pk}": "2", "submit": "1"}
    response = client.post(review.get_absolute_url(), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[f"score_{criteria[0].pk}"] == ["Поставьте балл."]
    assert errors[f"comment_{criteria[1].pk}"] == ["Объясните оценку ниже 4 баллов."]
    assert errors["__all__"] == ["Проверьте оценки."]
    review.refresh_from_db()
    assert (review.status, review.scores) == (R.ASSIGNED, {})


def test_a_score_out_of_the_list_is_a_form_error(assigned, login_as):
    review = _declared(assigned.reviews.first())
    criteria = list(assigned.competition.criteria.all())
    response = login_as(review.expert.user).post(
        review.get_absolute_url(), _form(criteria, "11", submit="1")
    )
    assert response.status_code == 200
    assert f"score_{criteria[0].pk}" in response.context["form"].errors
    review.refresh_from_db()
    assert review.status == R.ASSIGNED


def test_after_submitting_the_expert_sees_the_others_and_cannot_change(assigned, login_as):
    first, second = (_declared(r) for r in assigned.reviews.all())
    criteria = list(assigned.competition.criteria.all())
    client = login_as(first.expert.user)
    done = client.post(first.get_absolute_url(), _form(criteria, 7, submit="1"))
    assert said(done) == ["Оценка отправлена. Спасибо!"]
    score_all(second, 6)
    page = client.get(first.get_absolute_url())
    assert sorted(o["total"] for o in page.context["others"]) == [Decimal(60), Decimal(70)]
    client.post(first.get_absolute_url(), _form(criteria, 1, submit="1"))
    first.refresh_from_db()
    assert (first.total, first.status) == (Decimal(70), R.SUBMITTED)


@pytest.mark.parametrize("value", ["7.5", "٣", "-1", "семь", "10000000000000000000000"])
def test_a_score_is_a_whole_number_in_range(assigned, value):
    review = _declared(assigned.reviews.first())
    criterion = assigned.competition.criteria.first()
    with pytest.raises(DomainError) as error:
        reviews.review_save(user=review.expert.user, review=review, scores={criterion.pk: value})
    assert error.value.field_errors == {
        f"scores.{criterion.pk}": ["Балл — целое число от 0 до 10."]
    }
    review.refresh_from_db()
    assert review.scores == {}


def test_criteria_of_another_competition_are_refused_and_blanks_skipped(assigned, official):
    review = _declared(assigned.reviews.first())
    foreign = open_competition(official, title="Другой").criteria.first()
    own = list(assigned.competition.criteria.all())
    with pytest.raises(DomainError) as error:
        reviews.review_save(user=review.expert.user, review=review, scores={foreign.pk: 5})
    assert error.value.field_errors == {f"scores.{foreign.pk}": ["Нет такого критерия."]}
    kept = reviews.review_save(
        user=review.expert.user,
        review=review,
        scores={own[0].pk: "", own[1].pk: None, own[2].pk: "4"},
        comments={own[2].pk: "  Слабо  ", own[3].pk: "   ", foreign.pk: "Чужой"},
    )
    assert kept.scores == {str(own[2].pk): 4}
    assert kept.comments == {str(own[2].pk): "Слабо"}


def test_weights_make_the_total(official):
    competition = open_competition(official)
    first, second, *others = competition.criteria.all()
    from dobry.grants.services import competitions

    competitions.criterion_save(
        actor=official, competition=competition, criterion=first, title="А", weight=3, max_score=5
    )
    competitions.criterion_save(
        actor=official,
        competition=competition,
        criterion=second,
        title="Б",
        weight=Decimal("0.5"),
        max_score=10,
    )
    application = admitted_application(competition, official)
    (expert,) = expert_pool(competition, official, 1)
    review = _declared(
        assignments.review_assign(actor=official, application=application, expert=expert)
    )
    scores = {first.pk: 5, second.pk: 9} | {c.pk: 2 for c in others}
    done = reviews.review_save(
        user=expert.user,
        review=review,
        scores=scores,
        comments={c.pk: "Мало" for c in others},
        submit=True,
    )
    assert done.total == Decimal("35.5")  # 3 × 5 + 0.5 × 9 + 8 × 1 × 2
    application.refresh_from_db()
    assert application.score == Decimal("35.5")


def test_the_api_review_is_the_experts_alone(assigned, outsider, official):
    review = _declared(assigned.reviews.first())
    url = f"/api/v1/reviews/{review.pk}"
    assert Client().get(url).status_code == 401
    assert bearer(outsider).get(url).status_code == 404
    assert bearer(official).get(url).status_code == 404
    put = bearer(outsider).put(url, {"scores": {}}, content_type=JSON)
    assert put.status_code == 404
    own = bearer(review.expert.user).get(url).json()
    assert (own["declared"], own["status"], own["competition_id"]) == (
        True,
        "assigned",
        assigned.competition_id,
    )


def test_the_api_refuses_a_bad_score_with_its_field_and_keeps_the_draft(assigned):
    review = _declared(assigned.reviews.first())
    criterion = assigned.competition.criteria.first()
    expert = bearer(review.expert.user)
    url = f"/api/v1/reviews/{review.pk}"
    expert.put(url, {"scores": {str(criterion.pk): 5}}, content_type=JSON)
    refused = expert.put(url, {"scores": {str(criterion.pk): 12}}, content_type=JSON)
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == [f"scores.{criterion.pk}"]
    not_a_number = expert.put(url, {"scores": {str(criterion.pk): "пять"}}, content_type=JSON)
    assert not_a_number.status_code == 422
    review.refresh_from_db()
    assert review.scores == {str(criterion.pk): 5}


def test_the_api_declaration_is_for_the_assigned_expert(assigned, outsider, official):
    review = assigned.reviews.first()
    url = f"/api/v1/applications/{assigned.pk}/conflicts"
    assert Client().post(url, {"conflict": False}, content_type=JSON).status_code == 401
    assert bearer(outsider).post(url, {"conflict": False}, content_type=JSON).status_code == 404
    no_reason = bearer(review.expert.user).post(url, {"conflict": True}, content_type=JSON)
    assert no_reason.status_code == 422
    assert "reason" in no_reason.json()["errors"]
    done = bearer(review.expert.user).post(
        url, {"conflict": True, "reason": "Родственник"}, content_type=JSON
    )
    assert done.json()["status"] == "conflict"
    assert bearer(review.expert.user).get(f"/api/v1/applications/{assigned.pk}").status_code == 404
