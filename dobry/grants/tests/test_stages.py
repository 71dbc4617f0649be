"""Each organiser's action is offered exactly when the competition's stage allows it, and
the server refuses it otherwise — on the page, on a POST and in the API (issue 11 §6:
after the results were published the manage page still offered to edit criteria and
allocate)."""

from decimal import Decimal

import pytest

from dobry.grants.models import AllocationRun, Competition, Criterion, Expert, Review
from dobry.grants.tests.factories import (
    admitted_application,
    close_applications,
    decide,
    expert_pool,
    open_competition,
    score_all,
    scored_applications,
)
from dobry.grants.tests.test_api import bearer

pytestmark = pytest.mark.django_db
JSON = "application/json"

EDIT_OFFERS = (
    "Изменить условия",
    "Добавить критерий",
    "Добавить эксперта",
    "Распределить заявки между экспертами",
    "вывести из пула",
)


@pytest.fixture
def published(official):
    competition = open_competition(official, budget=Decimal(300_000))
    scored_applications(competition, official, [(9, 200_000), (7, 150_000)])
    return decide(competition, official)


def test_after_the_results_the_manage_page_offers_no_edits(login_as, official, published):
    client = login_as(official)
    page = client.get(f"/grants/{published.pk}/manage/").content.decode()
    for offer in EDIT_OFFERS:
        assert offer not in page
    assert f"/grants/{published.pk}/criteria/" not in page
    assert "Итоги конкурса опубликованы: это уже не меняется." in page
    ranking = client.get(f"/grants/{published.pk}/ranking/").content.decode()
    assert "Итоговое распределение</button>" not in ranking
    assert "Пробное распределение</button>" not in ranking
    commission = client.get(f"/grants/{published.pk}/commission/").content.decode()
    assert "Опубликовать итоги" not in commission
    assert "Утвердить решение комиссии" not in commission


def test_after_the_results_the_edit_pages_answer_403_with_the_reason(login_as, official, published):
    client = login_as(official)
    criterion = published.criteria.first()
    for url in (
        f"/grants/{published.pk}/edit/",
        f"/grants/{published.pk}/criteria/new/",
        f"/grants/{published.pk}/criteria/{criterion.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Итоги конкурса опубликованы" in response.content.decode()
    response = client.post(
        f"/grants/{published.pk}/criteria/new/",
        {"title": "Новый", "weight": "1", "max_score": "10"},
    )
    assert response.status_code == 403
    assert not Criterion.objects.filter(title="Новый").exists()
    response = client.post(f"/grants/{published.pk}/criteria/{criterion.pk}/delete/")
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_after_the_results_posts_are_refused_and_change_nothing(login_as, official, published):
    client = login_as(official)
    runs = AllocationRun.objects.count()
    response = client.post(f"/grants/{published.pk}/allocation/", {"final": "1"}, follow=True)
    assert "Итоги конкурса опубликованы" in response.content.decode()
    assert AllocationRun.objects.count() == runs
    reviews = Review.objects.count()
    response = client.post(f"/grants/{published.pk}/assign/", follow=True)
    assert "Итоги конкурса опубликованы" in response.content.decode()
    assert Review.objects.count() == reviews
    experts = Expert.objects.filter(is_active=True).count()
    expert = Expert.objects.filter(competition=published).first()
    client.post(f"/grants/{published.pk}/experts/{expert.pk}/remove/")
    assert Expert.objects.filter(is_active=True).count() == experts
    response = client.post(f"/grants/{published.pk}/results/publish/", follow=True)
    assert "Итоги уже опубликованы." in response.content.decode()


def test_after_the_results_the_api_answers_409(official, published):
    staff = bearer(official)
    criterion = published.criteria.first()
    refused = [
        staff.post(
            f"/api/v1/competitions/{published.pk}/criteria",
            {"title": "Новый", "weight": "1", "max_score": 10},
            content_type=JSON,
        ),
        staff.put(
            f"/api/v1/criteria/{criterion.pk}",
            {"title": "Иначе", "weight": "2", "max_score": 10},
            content_type=JSON,
        ),
        staff.patch(f"/api/v1/competitions/{published.pk}", {"title": "Иначе"}, content_type=JSON),
        staff.post(
            f"/api/v1/competitions/{published.pk}/allocation", {"final": True}, content_type=JSON
        ),
        staff.post(f"/api/v1/competitions/{published.pk}/assign"),
        staff.post(f"/api/v1/competitions/{published.pk}/results/publish"),
    ]
    assert [response.status_code for response in refused] == [409] * len(refused)
    assert "Итоги конкурса опубликованы" in refused[0].json()["message"]
    criterion.refresh_from_db()
    assert criterion.title != "Иначе"
    assert Competition.objects.get(pk=published.pk).title != "Иначе"


def test_criteria_are_offered_until_the_first_score_then_refused(login_as, official):
    competition = open_competition(official)
    application = admitted_application(competition, official)
    expert_pool(competition, official, 2)
    client = login_as(official)
    page = client.get(f"/grants/{competition.pk}/manage/").content.decode()
    assert "Добавить критерий" in page
    assert "Изменить условия" in page
    from dobry.grants.services import assignments

    assignments.assign_experts(actor=official, competition=competition)
    score_all(application.reviews.first(), 8)
    page = client.get(f"/grants/{competition.pk}/manage/").content.decode()
    assert "Добавить критерий" not in page
    assert "Эксперты уже ставят оценки: критерии менять нельзя." in page
    assert "Изменить условия" in page  # the terms still change until the decision
    assert client.get(f"/grants/{competition.pk}/criteria/new/").status_code == 403
    response = bearer(official).post(
        f"/api/v1/competitions/{competition.pk}/criteria",
        {"title": "Новый", "weight": "1", "max_score": 10},
        content_type=JSON,
    )
    assert response.status_code == 409


def test_allocation_is_offered_only_after_the_call_closes(login_as, official):
    competition = open_competition(official)
    client = login_as(official)
    page = client.get(f"/grants/{competition.pk}/ranking/").content.decode()
    assert "Итоговое распределение</button>" not in page
    assert "Распределять гранты можно после окончания приёма заявок." in page
    close_applications(competition)
    page = client.get(f"/grants/{competition.pk}/ranking/").content.decode()
    assert "Итоговое распределение</button>" in page


def test_the_manage_pages_refuse_anonymous_and_outsiders(client, login_as, outsider, published):
    for url in (f"/grants/{published.pk}/manage/", f"/grants/{published.pk}/edit/"):
        assert client.get(url).status_code == 302
        assert login_as(outsider).get(url).status_code == 403
    assert bearer(outsider).post(f"/api/v1/competitions/{published.pk}/assign").status_code == 403
