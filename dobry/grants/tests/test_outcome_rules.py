"""The rules of a finished project's public side, as the permission functions decide them
(`permissions.outcomes`) and as the private files of an agreement follow them
(`grants.files`): who is an insider (no rating), who writes the summary and when, who
reports and moderates a comment, and who reads the agreement's signed scan."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.grants import permissions
from dobry.grants.models import Agreement, Expert, ProjectComment, ProjectPhoto, Review
from dobry.grants.services import outcomes
from dobry.grants.tests.agreements import draft_agreement, grantee_of
from dobry.grants.tests.outcomes import finished_project, official_of, running_project
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _expert_of(project: Agreement):
    """An expert who reviewed the project's application."""
    application = project.application
    expert = Expert.objects.create(
        competition=application.competition, user=UserFactory(), sector=Expert.Sector.NKO
    )
    Review.objects.create(application=application, expert=expert, due_at=timezone.now())
    return expert.user


def test_the_insiders_are_the_team_its_experts_and_the_organisers():
    project = finished_project()
    member = MembershipFactory(
        organization=project.application.organization, role=Membership.Role.EDITOR
    ).user
    insiders = [
        project.application.applicant,
        grantee_of(project.application),
        member,
        _expert_of(project),
        official_of(project),
        UserFactory(is_official=True),
    ]
    for user in insiders:
        assert permissions.is_insider(user, project), user
    for user in (UserFactory(), AnonymousUser()):
        assert not permissions.is_insider(user, project)


def test_an_insider_is_refused_a_rating_with_the_reason_a_resident_rates():
    project = finished_project()
    refused = permissions.can_rate_project(_expert_of(project), project)
    assert not refused
    assert not refused.not_now
    assert "Проект оценивают жители" in str(refused.reason)
    assert permissions.can_rate_project(UserFactory(), project)


def test_a_running_project_refuses_a_rating_for_now_not_forever():
    refused = permissions.can_rate_project(UserFactory(), running_project())
    assert refused.not_now
    assert "после принятия итогового отчёта" in str(refused.reason)


def test_anonymous_is_asked_to_sign_in_to_rate_or_comment():
    project = finished_project()
    assert str(permissions.can_rate_project(AnonymousUser(), project).reason) == (
        "Войдите, чтобы оценить проект."
    )
    assert str(permissions.can_comment_project(AnonymousUser(), project).reason) == (
        "Войдите, чтобы написать комментарий."
    )


def test_the_summary_is_the_grantees_on_a_signed_or_closed_agreement():
    project = finished_project()
    assert project.status == Agreement.Status.CLOSED
    assert permissions.can_edit_summary(grantee_of(project.application), project)
    for user in (UserFactory(), official_of(project), _expert_of(project)):
        refused = permissions.can_edit_summary(user, project)
        assert not refused
        assert str(refused.reason) == "Итоги проекта пишет получатель гранта."


def test_a_draft_agreement_has_no_summary_yet():
    agreement = draft_agreement()
    refused = permissions.can_edit_summary(grantee_of(agreement.application), agreement)
    assert refused.not_now
    assert str(refused.reason) == "Итоги пишут по подписанному соглашению."


def test_a_comment_is_reported_by_others_once_published_not_by_its_author():
    project = finished_project()
    author = UserFactory()
    comment = outcomes.project_comment_add(actor=author, agreement=project, text="Спасибо")
    assert not permissions.can_report_project_comment(author, comment)
    assert not permissions.can_report_project_comment(AnonymousUser(), comment)
    assert permissions.can_report_project_comment(UserFactory(), comment)
    comment.status = ProjectComment.Status.HIDDEN
    hidden = permissions.can_report_project_comment(UserFactory(), comment)
    assert hidden.not_now


def test_the_moves_a_moderator_and_a_resident_see_on_a_reported_comment():
    project = finished_project()
    comment = outcomes.project_comment_add(actor=UserFactory(), agreement=project, text="Ну")
    outcomes.project_comment_report(actor=UserFactory(), comment=comment)
    comment.refresh_from_db()
    moderator = [m.name for m in permissions.project_comment_moves(official_of(project), comment)]
    assert moderator == ["keep", "hide"]
    assert permissions.project_comment_moves(UserFactory(), comment) == []


def test_the_desk_is_refused_to_residents_experts_and_anonymous():
    project = finished_project()
    for user in (UserFactory(), _expert_of(project), AnonymousUser()):
        refused = permissions.can_moderate_projects(user)
        assert not refused
        assert list(permissions.reported_project_comments(user)) == []
    assert permissions.can_moderate_projects(official_of(project))


def test_a_hidden_comment_is_not_found_by_those_who_do_not_moderate():
    project = finished_project()
    comment = outcomes.project_comment_add(actor=UserFactory(), agreement=project, text="Ну")
    outcomes.project_comment_move(actor=official_of(project), comment=comment, name="hide")
    with pytest.raises(Http404):
        permissions.get_project_comment_for_user(comment.author, comment.pk)
    found = permissions.get_project_comment_for_user(official_of(project), comment.pk)
    assert found.status == ProjectComment.Status.HIDDEN


def test_a_photo_of_a_project_nobody_may_see_is_not_found():
    project = finished_project()
    photo = ProjectPhoto.objects.create(
        agreement=project, photo="grants/outcomes/a.png", alt="Двор"
    )
    assert permissions.get_project_photo_for_user(AnonymousUser(), photo.pk).agreement == project
    project.application.competition.status = "decided"
    project.application.competition.save(update_fields=["status"])
    with pytest.raises(Http404):
        permissions.get_project_photo_for_user(UserFactory(), photo.pk)
    with pytest.raises(Http404):
        permissions.get_project_photo_for_user(UserFactory(), 987654)


def test_the_agreement_and_its_signed_scan_are_read_by_the_grantee_and_the_organisers_only():
    project = running_project()
    for user in (grantee_of(project.application), official_of(project)):
        assert permissions.can_view_agreement(user, project)
    for user in (UserFactory(), _expert_of(project), AnonymousUser()):
        refused = permissions.can_view_agreement(user, project)
        assert not refused
        assert str(refused.reason) == "Соглашение видят получатель гранта и организаторы конкурса."
