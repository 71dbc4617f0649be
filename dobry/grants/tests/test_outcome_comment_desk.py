"""The organisers' desk of reported project comments (`/grants/project-comments/` and
`GET /api/v1/grant-project-comments/reported`) and the notice that a comment was newly
reported: told once to each person who moderates it (`permissions.project_comment_moderators`,
the same people `can_moderate_project` allows), not again for a second report; each
organiser sees only their own competitions' comments, officials all."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.communications.models import Notification
from dobry.core.errors import PermissionDenied
from dobry.grants import permissions
from dobry.grants.models import ProjectComment
from dobry.grants.services import outcomes
from dobry.grants.tests.outcomes import finished_project, official_of

pytestmark = pytest.mark.django_db
API = "/api/v1"
DESK = "/grants/project-comments/"
KIND = "grant_project_comment_reported"


def _reported(project=None, reason="грубость"):
    project = project or finished_project()
    comment = outcomes.project_comment_add(actor=UserFactory(), agreement=project, text="Ерунда")
    outcomes.project_comment_report(actor=UserFactory(), comment=comment, reason=reason)
    return project, comment


def _told(user) -> int:
    return Notification.objects.filter(user=user, kind=KIND).count()


def test_the_moderators_are_exactly_those_the_permission_allows():
    project = finished_project()
    manager = official_of(project)
    other_manager = official_of(finished_project())
    official = UserFactory(is_official=True)
    gone = UserFactory(is_official=True, is_active=False)
    resident = UserFactory()
    moderators = set(permissions.project_comment_moderators(project))
    assert {manager, official} <= moderators
    assert not {other_manager, gone, resident} & moderators
    for user in moderators:
        assert permissions.can_moderate_project(user, project)
    for user in (other_manager, resident):
        assert not permissions.can_moderate_project(user, project)


def test_a_newly_reported_comment_is_told_once_to_each_moderator():
    project = finished_project()
    manager = official_of(project)
    stranger = UserFactory()
    _project, comment = _reported(project)
    assert _told(manager) == 1
    assert _told(stranger) == 0
    note = Notification.objects.get(user=manager, kind=KIND)
    assert note.url == DESK
    # A second report of a comment already in the queue tells nobody again.
    outcomes.project_comment_report(actor=UserFactory(), comment=comment, reason="ещё")
    assert _told(manager) == 1


def test_a_comment_kept_and_reported_again_is_news_again():
    project = finished_project()
    manager = official_of(project)
    _project, comment = _reported(project)
    outcomes.project_comment_move(actor=manager, comment=comment, name="keep")
    outcomes.project_comment_report(actor=UserFactory(), comment=comment)
    assert _told(manager) == 2


def test_a_refused_report_tells_nobody():
    project = finished_project()
    manager = official_of(project)
    comment = outcomes.project_comment_add(actor=UserFactory(), agreement=project, text="Ну")
    with pytest.raises(PermissionDenied):  # its own author may not report it
        outcomes.project_comment_report(actor=comment.author, comment=comment)
    assert _told(manager) == 0


def test_the_desk_is_for_those_who_run_competitions(client, login_as):
    _reported()
    assert client.get(DESK).status_code == 302
    client = login_as(UserFactory())
    assert client.get(DESK).status_code == 403


def test_an_organiser_sees_only_their_competitions_reported_comments(client, login_as):
    mine, comment = _reported(reason="оскорбление")
    _theirs, other = _reported()
    manager = official_of(mine)
    client = login_as(manager)
    page = client.get(DESK).content.decode()
    assert "оскорбление" in page
    assert f"/grants/project-comments/{comment.pk}/move/" in page
    assert f"/grants/project-comments/{other.pk}/move/" not in page
    assert f"/grants/projects/{mine.pk}/#comments" in page


def test_an_official_sees_every_competitions_reported_comments(client, login_as):
    _mine, comment = _reported()
    _theirs, other = _reported()
    client = login_as(UserFactory(is_official=True))
    page = client.get(DESK).content.decode()
    for found in (comment, other):
        assert f"/grants/project-comments/{found.pk}/move/" in page


def test_hiding_from_the_desk_takes_the_comment_off_it(client, login_as):
    project, comment = _reported()
    manager = official_of(project)
    client = login_as(manager)
    response = client.post(
        f"/grants/project-comments/{comment.pk}/move/", {"move": "hide", "next": DESK}
    )
    assert response.status_code == 302
    assert response["Location"] == DESK
    comment.refresh_from_db()
    assert comment.status == ProjectComment.Status.HIDDEN
    assert f"/grants/project-comments/{comment.pk}/move/" not in client.get(DESK).content.decode()


def test_an_empty_desk_says_so(client, login_as):
    client = login_as(UserFactory(is_official=True))
    assert "Жалоб нет." in client.get(DESK).content.decode()


def test_the_api_lists_the_organisers_reported_comments_with_the_reasons():
    project, comment = _reported(reason="спам")
    _reported()
    data = bearer(official_of(project)).get(f"{API}/grant-project-comments/reported").json()
    assert data["count"] == 1
    [item] = data["items"]
    assert (item["id"], item["status"], item["project_id"]) == (comment.pk, "reported", project.pk)
    assert item["project_title"] == project.application.title
    assert [report["reason"] for report in item["reports"]] == ["спам"]


def test_the_api_list_refuses_residents_and_anonymous():
    _reported()
    assert Client().get(f"{API}/grant-project-comments/reported").status_code == 401
    response = bearer(UserFactory()).get(f"{API}/grant-project-comments/reported")
    assert response.status_code == 403
    assert response.json()["message"] == "Жалобы на комментарии разбирают организаторы конкурсов."


@pytest.mark.parametrize("many", [1, 6])
def test_the_desk_and_the_api_cost_the_same_queries_for_one_and_many(client, login_as, many):
    official = UserFactory(is_official=True)
    for _ in range(many):
        _reported()
    client = login_as(official)
    api = bearer(official)
    with CaptureQueriesContext(connection) as page:
        assert client.get(DESK).status_code == 200
    with CaptureQueriesContext(connection) as listed:
        assert api.get(f"{API}/grant-project-comments/reported").status_code == 200
    assert len(page) <= 12
    assert len(listed) <= 12
