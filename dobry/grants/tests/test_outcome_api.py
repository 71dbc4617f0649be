"""A funded project's public side through the API (`/api/v1/grant-projects/…`): the same
access, permission functions and services as its page, for every role; refusals are
structured (403, 404, 409, 422), never a 500; lists cost the same queries for one row and
for many; every operation is in the OpenAPI schema."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.grants.models import Competition, ProjectComment, ProjectRating, ProjectSummary
from dobry.grants.services import outcomes
from dobry.grants.tests.outcomes import finished_project, grantee_of, official_of, running_project

pytestmark = pytest.mark.django_db
API = "/api/v1"


def put(client, path, body):
    return client.put(f"{API}{path}", body, content_type="application/json")


def post(client, path, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def test_anonymous_reads_a_finished_project_with_its_summary_and_ratings():
    project = finished_project()
    ProjectSummary.objects.create(agreement=project, text="Провели 12 встреч.")
    for score in (5, 4):
        outcomes.project_rate(actor=UserFactory(), agreement=project, score=score)
    data = Client().get(f"{API}/grant-projects/{project.pk}").json()
    assert data["finished"] is True
    assert data["title"] == project.application.title
    assert data["summary"]["text"] == "Провели 12 встреч."
    ratings = data["ratings"]
    assert (ratings["average"], ratings["count"], ratings["mine"]) == ("4.5", 2, None)
    assert ratings["counts"] == {"1": 0, "2": 0, "3": 0, "4": 1, "5": 1}
    assert ratings["can_rate"] is False
    assert ratings["reason"] == "Войдите, чтобы оценить проект."


def test_a_running_project_has_no_summary_nor_ratings_yet():
    data = Client().get(f"{API}/grant-projects/{running_project().pk}").json()
    assert (data["finished"], data["summary"], data["ratings"]) == (False, None, None)


def test_a_project_of_unpublished_results_is_not_found():
    project = finished_project()
    Competition.objects.filter(pk=project.application.competition_id).update(
        status=Competition.Status.DECIDED
    )
    for path in ("", "/ratings", "/comments"):
        assert Client().get(f"{API}/grant-projects/{project.pk}{path}").status_code == 404
    assert (
        put(bearer(UserFactory()), f"/grant-projects/{project.pk}/rating", {"score": 5}).status_code
        == 404
    )


def test_an_outside_resident_rates_changes_and_takes_back():
    project, resident = finished_project(), UserFactory()
    client = bearer(resident)
    response = put(client, f"/grant-projects/{project.pk}/rating", {"score": 2})
    assert response.status_code == 200
    assert (response.json()["mine"], response.json()["count"]) == (2, 1)
    response = put(client, f"/grant-projects/{project.pk}/rating", {"score": 4})
    assert (response.json()["mine"], response.json()["count"]) == (4, 1)
    assert ProjectRating.objects.get().score == 4
    mine = client.get(f"{API}/grant-projects/{project.pk}/ratings").json()
    assert (mine["mine"], mine["can_rate"]) == (4, True)
    response = client.delete(f"{API}/grant-projects/{project.pk}/rating")
    assert (response.json()["mine"], response.json()["count"]) == (None, 0)


def test_anonymous_cannot_rate():
    project = finished_project()
    assert put(Client(), f"/grant-projects/{project.pk}/rating", {"score": 5}).status_code == 401
    assert not ProjectRating.objects.exists()


@pytest.mark.parametrize("who", ["grantee", "organiser"])
def test_insiders_are_refused_with_the_reason(who):
    project = finished_project()
    user = grantee_of(project.application) if who == "grantee" else official_of(project)
    response = put(bearer(user), f"/grant-projects/{project.pk}/rating", {"score": 5})
    assert response.status_code == 403
    assert "не оценивают" in response.json()["message"]
    assert not ProjectRating.objects.exists()


def test_a_running_project_is_a_409_with_the_reason():
    project = running_project()
    response = put(bearer(UserFactory()), f"/grant-projects/{project.pk}/rating", {"score": 5})
    assert response.status_code == 409
    assert response.json()["message"] == (
        "Проект ещё идёт: оценить его можно после принятия итогового отчёта."
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"score": 0},
        {"score": 6},
        {"score": "пять"},
        {"score": 4.5},
        {"score": None},
        {"score": 10**30},
        {"score": 5, "extra": 1},
        [],
    ],
)
def test_hostile_ratings_are_a_422(body):
    project = finished_project()
    response = put(bearer(UserFactory()), f"/grant-projects/{project.pk}/rating", body)
    assert response.status_code == 422
    assert not ProjectRating.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/grant-projects/0",
        "/grant-projects/-1",
        "/grant-projects/x",
        "/grant-projects/99999999999999999999/ratings",
    ],
)
def test_hostile_ids_are_not_a_500(path):
    assert Client().get(f"{API}{path}").status_code in (404, 422)


def test_comments_are_listed_posted_reported_and_moderated():
    project = finished_project()
    author, reporter = bearer(UserFactory()), bearer(UserFactory())
    response = post(author, f"/grant-projects/{project.pk}/comments", {"text": "Спасибо!"})
    assert response.status_code == 201
    pk = response.json()["id"]
    assert response.json()["project_id"] == project.pk
    response = post(reporter, f"/grant-project-comments/{pk}/report", {"reason": "Спам"})
    assert (response.status_code, response.json()["status"]) == (201, "reported")
    assert post(reporter, f"/grant-project-comments/{pk}/report").status_code == 409
    assert post(reporter, f"/grant-project-comments/{pk}/hide").status_code == 403
    moderator = bearer(official_of(project))
    assert post(moderator, f"/grant-project-comments/{pk}/hide").json()["status"] == "hidden"
    listed = Client().get(f"{API}/grant-projects/{project.pk}/comments").json()
    assert listed["items"] == []
    listed = moderator.get(f"{API}/grant-projects/{project.pk}/comments").json()
    assert [c["text"] for c in listed["items"]] == ["Спасибо!"]
    assert post(reporter, f"/grant-project-comments/{pk}/report").status_code == 404
    assert post(moderator, f"/grant-project-comments/{pk}/restore").json()["status"] == "published"


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "ж" * 2001}, {"text": 5}])
def test_hostile_comments_are_a_422(body):
    project = finished_project()
    response = post(bearer(UserFactory()), f"/grant-projects/{project.pk}/comments", body)
    assert response.status_code == 422
    assert not ProjectComment.objects.exists()


def test_a_comment_on_a_running_project_is_a_409():
    project = running_project()
    response = post(bearer(UserFactory()), f"/grant-projects/{project.pk}/comments", {"text": "?"})
    assert response.status_code == 409


def test_the_grantee_writes_the_summary_others_may_not():
    project = finished_project()
    path = f"/grant-projects/{project.pk}/summary"
    assert put(bearer(UserFactory()), path, {"text": "Чужое."}).status_code == 403
    assert put(bearer(official_of(project)), path, {"text": "Чужое."}).status_code == 403
    assert put(Client(), path, {"text": "Чужое."}).status_code == 401
    response = put(bearer(grantee_of(project.application)), path, {"text": "Наши итоги."})
    assert (response.status_code, response.json()["text"]) == (200, "Наши итоги.")
    assert put(bearer(grantee_of(project.application)), path, {"text": ""}).status_code == 422


def _count(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"{API}{path}").status_code == 200
    return len(captured)


def _busy(project, n):
    for index in range(n):
        outcomes.project_rate(actor=UserFactory(), agreement=project, score=index % 5 + 1)
        outcomes.project_comment_add(actor=UserFactory(), agreement=project, text=f"№ {index}.")


@pytest.mark.parametrize("path", ["", "/ratings", "/comments"])
def test_the_reads_cost_the_same_queries_for_one_and_many(path):
    project = finished_project()
    client = bearer(UserFactory())
    _busy(project, 1)
    _count(client, f"/grant-projects/{project.pk}{path}")  # the token's first use is noted once
    few = _count(client, f"/grant-projects/{project.pk}{path}")
    _busy(project, 9)
    assert _count(client, f"/grant-projects/{project.pk}{path}") == few
    assert few <= 14


def test_every_operation_is_in_the_openapi_schema():
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    assert set(paths[f"{API}/grant-projects/{{pk}}/rating"]) == {"put", "delete"}
    for path in (
        "/grant-projects/{pk}",
        "/grant-projects/{pk}/ratings",
        "/grant-projects/{pk}/summary",
        "/grant-projects/{pk}/comments",
        "/grant-project-comments/{pk}/report",
        "/grant-project-comments/{pk}/hide",
        "/grant-project-comments/{pk}/keep",
        "/grant-project-comments/{pk}/restore",
    ):
        assert f"{API}{path}" in paths, path
