"""Published results as open data: the page, CSV, JSON and the API show every ranked
application's rank, score, request and grant — never before publication, never a
resident's name, never an expert's comment; the application's own score follows the
same rule."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client

from dobry.accounts.tests.factories import UserFactory
from dobry.grants import results
from dobry.grants.models import Application, Competition
from dobry.grants.services import applications, assignments, decisions
from dobry.grants.tests.factories import (
    admitted_application,
    complete_content,
    decide,
    expert_pool,
    open_competition,
    score_all,
)
from dobry.grants.tests.test_api import bearer

pytestmark = pytest.mark.django_db


def _resident_application(competition, official, amount: int) -> Application:
    resident = UserFactory(first_name="Мария", last_name="Соседкина")
    application = applications.application_create(user=resident, competition=competition)
    applications.application_save(
        user=resident,
        application=application,
        title="Скамейки во дворе",
        content=complete_content(amount),
    )
    applications.application_submit(user=resident, application=application)
    return applications.application_screen(
        actor=official, application=application, decision=Application.Status.ADMITTED
    )


def _decide(official, competition, made, scores, *, publish=True):
    expert_pool(competition, official, 2)
    assignments.assign_experts(actor=official, competition=competition)
    for application, score in zip(made, scores, strict=True):
        for review in application.reviews.all():
            score_all(review, score, comment="Секретное мнение эксперта.")
    return decide(competition, official, publish=publish)


@pytest.fixture
def published(official):
    """Fund 300 000: «Первый» (score 90) gets its 200 000; «Второй» (70) the remaining
    100 000 of its 150 000 as a partial grant; «Третий» (50) nothing."""
    competition = open_competition(official, budget=300_000)
    made = [
        admitted_application(competition, official, amount=200_000, title="Первый"),
        admitted_application(competition, official, amount=150_000, title="Второй"),
        admitted_application(competition, official, amount=50_000, title="Третий"),
    ]
    return _decide(official, competition, made, [9, 7, 5]), made


def _urls(competition) -> list[str]:
    return [
        f"/grants/{competition.pk}/results/",
        f"/grants/{competition.pk}/results.csv",
        f"/grants/{competition.pk}/results.json",
        f"/api/v1/competitions/{competition.pk}/results",
    ]


def test_nothing_is_open_before_publication_even_to_organisers(official, login_as):
    competition = open_competition(official, budget=300_000)
    made = [admitted_application(competition, official, amount=100_000)]
    competition = _decide(official, competition, made, [8], publish=False)
    for url in _urls(competition):
        assert Client().get(url).status_code == 404, url
        assert login_as(official).get(url).status_code == 404, url


def test_the_results_of_an_unknown_competition_are_not_found(client):
    for url in _urls(Competition(pk=999999)):
        assert client.get(url).status_code == 404


def test_the_json_tells_ranks_scores_and_grants(published):
    competition, (first, second, third) = published
    data = Client().get(f"/grants/{competition.pk}/results.json").json()
    rows = [
        (r["rank"], r["number"], r["score"], r["requested"], r["awarded"], r["tier"])
        for r in data["applications"]
    ]
    assert rows == [
        (1, first.number, "90.00", "200000.00", "200000.00", "ranking"),
        (2, second.number, "70.00", "150000.00", "100000.00", "ranking"),
        (3, third.number, "50.00", "50000.00", "0.00", ""),
    ]
    assert (data["budget"], data["awarded_total"], data["lottery_seed"]) == (
        "300000.00",
        "300000.00",
        "",  # no lottery: no seed to show
    )
    assert data["applications"][0]["applicant"] == str(first.organization)


def test_the_api_gives_the_same_rows_as_the_page(published):
    competition, _made = published
    api = Client().get(f"/api/v1/competitions/{competition.pk}/results").json()
    page = Client().get(f"/grants/{competition.pk}/results.json").json()
    assert [r["number"] for r in api["applications"]] == [r["number"] for r in page["applications"]]
    assert [Decimal(r["awarded"]) for r in api["applications"]] == [
        Decimal(r["awarded"]) for r in page["applications"]
    ]
    assert Decimal(api["awarded_total"]) == Decimal(300_000)


def test_the_csv_is_for_spreadsheets_and_has_no_comments(published):
    competition, (first, _second, _third) = published
    response = Client().get(f"/grants/{competition.pk}/results.csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="competition-{competition.pk}-results.csv"'
    )
    body = response.content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(body)))
    assert tuple(header) == results.CSV_HEADER
    assert header[4:7] == ["score", "requested", "awarded"]
    assert rows[0][:3] == ["1", first.number, "Первый"]
    # amounts one way: a grant of nothing beside a grant kept with kopecks reads alike
    assert [row[4:7] for row in rows] == [
        ["90", "200000", "200000"],
        ["70", "150000", "100000"],
        ["50", "50000", "0"],
    ]
    assert "Секретное мнение" not in body


def test_the_page_shows_the_fund_and_no_expert_comments(published):
    competition, _made = published
    page = Client().get(f"/grants/{competition.pk}/results/").content.decode()
    assert "Распределено 300\xa0000,00 ₽ из фонда 300\xa0000,00 ₽." in page
    assert "Секретное мнение" not in page
    assert "Зерно жребия" not in page


def test_residents_are_not_named_in_the_results(official):
    competition = open_competition(official, kind=Competition.Kind.INDIVIDUALS, budget=300_000)
    application = _resident_application(competition, official, 100_000)
    competition = _decide(official, competition, [application], [8])
    data = Client().get(f"/grants/{competition.pk}/results.json").json()
    assert data["applications"][0]["applicant"] == ""
    assert data["applications"][0]["title"] == "Скамейки во дворе"
    page = Client().get(f"/grants/{competition.pk}/results/").content.decode()
    assert "Соседкина" not in page
    body = Client().get(f"/grants/{competition.pk}/results.csv").content.decode("utf-8-sig")
    assert "Соседкина" not in body


def test_a_lottery_competition_publishes_its_seed(official):
    competition = open_competition(
        official,
        budget=300_000,
        min_grant=60_000,
        lottery_winners=1,
        lottery_amount=Decimal(40_000),
        lottery_seed="тираж-весна",
    )
    # the ranking has 300 000 − 40 000 = 260 000: «Большой» takes it all, «Малый» is drawn
    made = [
        admitted_application(competition, official, amount=260_000, title="Большой"),
        admitted_application(competition, official, amount=60_000, title="Малый"),
    ]
    competition = _decide(official, competition, made, [9, 6])
    data = Client().get(f"/grants/{competition.pk}/results.json").json()
    assert data["lottery_seed"] == "тираж-весна"
    assert [(r["title"], r["awarded"], r["tier"]) for r in data["applications"]] == [
        ("Большой", "260000.00", "ranking"),
        ("Малый", "40000.00", "lottery"),
    ]
    page = Client().get(f"/grants/{competition.pk}/results/").content.decode()
    assert "Зерно жребия: «тираж-весна»." in page
    assert "(по жребию)" in page


@pytest.mark.parametrize("count", [1, 6])
def test_the_results_keep_a_fixed_query_count(official, django_assert_max_num_queries, count):
    competition = open_competition(official, budget=1_000_000)
    made = [
        admitted_application(competition, official, amount=50_000, title=f"Проект {n}")
        for n in range(count)
    ]
    competition = _decide(official, competition, made, [7] * count)
    for url in _urls(competition):
        with django_assert_max_num_queries(6):
            response = Client().get(url)
        assert response.status_code == 200, url


def test_the_applications_score_is_for_organisers_until_publication(official):
    competition = open_competition(official, budget=300_000)
    made = [admitted_application(competition, official, amount=100_000)]
    competition = _decide(official, competition, made, [8], publish=False)
    (application,) = made
    url = f"/api/v1/applications/{application.pk}"
    own = bearer(application.applicant).get(url).json()
    assert (own["score"], own["awarded_amount"]) == (None, None)
    staff = bearer(official).get(url).json()
    assert (staff["score"], staff["awarded_amount"]) == ("80.0000", "100000.00")
    decisions.results_publish(actor=official, competition=competition)
    after = bearer(application.applicant).get(url).json()
    assert (after["score"], after["awarded_amount"]) == ("80.0000", "100000.00")


def test_the_applicant_reads_the_reviews_after_publication(official, login_as):
    competition = open_competition(official, budget=300_000, blind_review=True)
    made = [admitted_application(competition, official, amount=100_000)]
    competition = _decide(official, competition, made, [8], publish=False)
    (application,) = made
    url = f"/api/v1/applications/{application.pk}/reviews"
    assert bearer(application.applicant).get(url).status_code == 403
    assert (
        login_as(application.applicant).get(application.get_absolute_url()).context["reviews"]
        is None
    )
    decisions.results_publish(actor=official, competition=competition)
    seen = bearer(application.applicant).get(url).json()
    assert [(r["expert"], r["total"], r["comment"]) for r in seen] == [
        ("Эксперт 1", "80.00", ""),
        ("Эксперт 2", "80.00", ""),
    ]
    assert all(set(r["comments"].values()) == {"Секретное мнение эксперта."} for r in seen)
    page = login_as(application.applicant).get(application.get_absolute_url())
    assert [r["expert"] for r in page.context["reviews"]] == ["Эксперт 1", "Эксперт 2"]
    staff = bearer(official).get(url).json()
    assert {r["expert"] for r in staff} == {
        r.expert.user.display_name for r in application.reviews.all()
    }
