"""Comments on a finished project and their moderation (`services.outcomes`): shown at
once, reported once per person, kept, hidden and restored by the competition's organisers
only; who sees a hidden comment."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dobry.accounts.tests.factories import UserFactory
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.models import AuditEntry
from dobry.grants import permissions
from dobry.grants.models import ProjectComment, ProjectCommentReport
from dobry.grants.services import outcomes
from dobry.grants.tests.outcomes import finished_project, grantee_of, official_of, running_project

pytestmark = pytest.mark.django_db


def _commented():
    project = finished_project()
    comment = outcomes.project_comment_add(
        actor=UserFactory(), agreement=project, text="  Спасибо за двор!  "
    )
    return project, comment


def test_a_comment_is_published_at_once_trimmed_and_audited():
    project, comment = _commented()
    assert (comment.text, comment.status) == ("Спасибо за двор!", ProjectComment.Status.PUBLISHED)
    assert list(permissions.visible_project_comments(AnonymousUser(), project)) == [comment]
    assert AuditEntry.objects.filter(action="project.comment_add").count() == 1


def test_the_grantee_answers_in_the_comments():
    project = finished_project()
    answer = outcomes.project_comment_add(
        actor=grantee_of(project.application), agreement=project, text="Приходите ещё."
    )
    assert answer.pk


def test_a_running_project_has_no_discussion_yet():
    with pytest.raises(InvalidTransition) as refused:
        outcomes.project_comment_add(actor=UserFactory(), agreement=running_project(), text="Ну?")
    assert "обсуждение откроется" in refused.value.message


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_comment_is_refused_at_its_field(text):
    with pytest.raises(DomainError) as refused:
        outcomes.project_comment_add(actor=UserFactory(), agreement=finished_project(), text=text)
    assert refused.value.field_errors == {"text": ["Напишите комментарий."]}


def test_a_comment_over_its_limit_is_refused_not_cut():
    with pytest.raises(DomainError) as refused:
        outcomes.project_comment_add(
            actor=UserFactory(), agreement=finished_project(), text="а" * 2001
        )
    assert "text" in refused.value.field_errors
    assert not ProjectComment.objects.exists()


def test_a_report_marks_the_comment_and_is_taken_once_per_person():
    _project, comment = _commented()
    reporter = UserFactory()
    outcomes.project_comment_report(actor=reporter, comment=comment, reason="Реклама")
    comment.refresh_from_db()
    assert comment.status == ProjectComment.Status.REPORTED
    with pytest.raises(InvalidTransition) as refused:
        outcomes.project_comment_report(actor=reporter, comment=comment)
    assert refused.value.message == "Вы уже пожаловались на этот комментарий."
    outcomes.project_comment_report(actor=UserFactory(), comment=comment)
    assert ProjectCommentReport.objects.count() == 2


def test_nobody_reports_their_own_comment():
    _project, comment = _commented()
    with pytest.raises(PermissionDenied):
        outcomes.project_comment_report(actor=comment.author, comment=comment)


def test_organisers_keep_a_reported_comment_and_its_reports_go():
    project, comment = _commented()
    outcomes.project_comment_report(actor=UserFactory(), comment=comment)
    kept = outcomes.project_comment_move(actor=official_of(project), comment=comment, name="keep")
    assert kept.status == ProjectComment.Status.PUBLISHED
    assert not ProjectCommentReport.objects.exists()


def test_a_hidden_comment_is_seen_by_moderators_only_until_restored():
    project, comment = _commented()
    moderator = official_of(project)
    outcomes.project_comment_move(actor=moderator, comment=comment, name="hide")
    assert list(permissions.visible_project_comments(UserFactory(), project)) == []
    assert list(permissions.visible_project_comments(moderator, project)) == [comment]
    with pytest.raises(InvalidTransition):
        outcomes.project_comment_report(actor=UserFactory(), comment=comment)
    outcomes.project_comment_move(actor=moderator, comment=comment, name="restore")
    assert list(permissions.visible_project_comments(AnonymousUser(), project)) == [comment]


@pytest.mark.parametrize("who", ["resident", "grantee", "author"])
def test_only_organisers_moderate(who):
    project, comment = _commented()
    actor = {
        "resident": UserFactory(),
        "grantee": grantee_of(project.application),
        "author": comment.author,
    }[who]
    with pytest.raises(PermissionDenied):
        outcomes.project_comment_move(actor=actor, comment=comment, name="hide")
    comment.refresh_from_db()
    assert comment.status == ProjectComment.Status.PUBLISHED


def test_a_move_from_the_wrong_state_is_refused():
    project, comment = _commented()
    with pytest.raises(InvalidTransition):
        outcomes.project_comment_move(actor=official_of(project), comment=comment, name="restore")


def test_report_is_not_a_moderators_move():
    project, comment = _commented()
    with pytest.raises(DomainError):
        outcomes.project_comment_move(actor=official_of(project), comment=comment, name="report")
