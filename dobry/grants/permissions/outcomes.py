"""Who may do what on the public side of a finished project: its page, the grantee's
summary, residents' ratings and comments and their moderation (issue 15)."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dobry.accounts.models import User
from dobry.core.moderation import reported_comments
from dobry.core.permissions import ALLOW, Actor, Decision, deny, not_now
from dobry.core.workflow import Move
from dobry.grants.models import (
    PROJECT_COMMENT_WORKFLOW,
    Agreement,
    Competition,
    GrantReport,
    ProjectComment,
    ProjectPhoto,
    ReportDue,
)
from dobry.grants.permissions import (
    REPORTING,
    _authenticated,
    can_create_competition,
    can_manage,
    can_view_results,
    is_applicant,
)
from dobry.organizations.models import Membership


def is_finished(agreement: Agreement) -> bool:
    """Finished: the agreement is closed, or its final report accepted (the acceptance
    closes a signed agreement; a terminated one with an accepted final report counts)."""
    if agreement.status == Agreement.Status.CLOSED:
        return True
    return agreement.reports.filter(
        kind=ReportDue.Kind.FINAL, status=GrantReport.Status.ACCEPTED
    ).exists()


def can_view_outcome(user: Actor, agreement: Agreement) -> Decision:
    """The project's public page: everyone who sees the competition's published results
    (the project is named there); its summary, ratings and comments once it is finished."""
    return can_view_results(user, agreement.application.competition)


def get_outcome_for_user(user: Actor, pk: int) -> Agreement:
    """The project (its agreement) for the public page and the API: 404 while the
    competition's results are not published or to whoever may not see them."""
    agreement = get_object_or_404(
        Agreement.objects.select_related("application__competition", "application__organization"),
        pk=pk,
    )
    if not can_view_outcome(user, agreement):
        raise Http404
    return agreement


def is_insider(user: Actor, agreement: Agreement) -> bool:
    """Those who made or judged the project: the applicant, any member of the grantee
    organisation, its experts and the competition's organisers. They answer residents but
    do not rate the project — a rating is the residents' view from outside."""
    if not _authenticated(user):
        return False
    application = agreement.application
    if application.applicant_id == user.pk or can_manage(user, application.competition):
        return True
    if (
        application.organization_id
        and Membership.objects.filter(
            organization_id=application.organization_id, user_id=user.pk or 0
        ).exists()
    ):
        return True
    return application.reviews.filter(expert__user_id=user.pk or 0).exists()


def _finished(agreement: Agreement, refusal: str | Promise) -> Decision:
    if not is_finished(agreement):
        return not_now(refusal)
    return ALLOW


def can_rate_project(user: Actor, agreement: Agreement) -> Decision:
    """A signed-in resident rates a finished project (and changes their rating); those who
    made or judged it (`is_insider`) do not."""
    if not _authenticated(user):
        return deny(_("Войдите, чтобы оценить проект."))
    if not (
        finished := _finished(
            agreement, _("Проект ещё идёт: оценить его можно после принятия итогового отчёта.")
        )
    ):
        return finished
    if is_insider(user, agreement):
        return deny(
            _(
                "Проект оценивают жители: его команда, эксперты и организаторы конкурса не оценивают."
            )
        )
    return ALLOW


def can_comment_project(user: Actor, agreement: Agreement) -> Decision:
    """Any signed-in person comments a finished project; the grantee answers there too."""
    if not _authenticated(user):
        return deny(_("Войдите, чтобы написать комментарий."))
    return _finished(
        agreement, _("Проект ещё идёт: обсуждение откроется после принятия итогового отчёта.")
    )


def can_moderate_project(user: Actor, agreement: Agreement) -> Decision:
    """The competition's organisers moderate the comments on its projects."""
    if can_manage(user, agreement.application.competition):
        return ALLOW
    return deny(_("Комментарии модерируют организаторы конкурса."))


def project_comment_moderators(agreement: Agreement) -> QuerySet[User]:
    """Everyone `can_moderate_project` allows, as active accounts: the competition's own
    organisers, the administration's officials and platform admins (told of a comment
    newly reported)."""
    competition_id = agreement.application.competition_id
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_official=True) | Q(is_superuser=True) | Q(managed_competitions__pk=competition_id)
        )
        .distinct()
        .order_by("pk")
    )


def can_moderate_projects(user: Actor) -> Decision:
    """The desk of reported project comments: whoever runs at least one competition."""
    if can_create_competition(user) or (
        _authenticated(user) and Competition.objects.filter(managers__pk=user.pk or 0).exists()
    ):
        return ALLOW
    return deny(_("Жалобы на комментарии разбирают организаторы конкурсов."))


def reported_project_comments(user: Actor) -> QuerySet[ProjectComment]:
    """The reported comments `user` moderates, the longest waiting first: every
    competition's for officials and admins, their own competitions' for organisers."""
    comments = reported_comments(ProjectComment, "agreement__application").select_related(
        "agreement__application__competition"
    )
    if can_create_competition(user):
        return comments
    return comments.filter(agreement__application__competition__managers__pk=user.pk or 0)


def can_report_project_comment(user: Actor, comment: ProjectComment) -> Decision:
    if not _authenticated(user):
        return deny(_("Войдите, чтобы пожаловаться."))
    if comment.author_id == user.pk:
        return deny(_("На свой комментарий жаловаться не нужно."))
    if comment.status == ProjectComment.Status.HIDDEN:
        return not_now(_("Комментарий уже скрыт."))
    return ALLOW


def can_move_project_comment(user: Actor, comment: ProjectComment, move: Move) -> Decision:
    if move.name == "report":
        return can_report_project_comment(user, comment)
    return can_moderate_project(user, comment.agreement)


def project_comment_moves(user: Actor, comment: ProjectComment) -> list[Move]:
    return PROJECT_COMMENT_WORKFLOW.moves_for(user, comment, can_move_project_comment)


def visible_project_comments(user: Actor, agreement: Agreement) -> QuerySet[ProjectComment]:
    """Published and reported comments (a report hides nothing until a moderator
    decides); moderators also see hidden ones."""
    comments = ProjectComment.objects.filter(agreement=agreement)
    if can_moderate_project(user, agreement):
        return comments
    return comments.exclude(status=ProjectComment.Status.HIDDEN)


def get_project_comment_for_user(user: Actor, pk: int) -> ProjectComment:
    """A comment `user` may see (hidden ones: moderators only); 404 otherwise."""
    comment = get_object_or_404(
        ProjectComment.objects.select_related("agreement__application__competition"), pk=pk
    )
    if not can_view_outcome(user, comment.agreement):
        raise Http404
    hidden = comment.status == ProjectComment.Status.HIDDEN
    if hidden and not can_moderate_project(user, comment.agreement):
        raise Http404
    return comment


def get_project_photo_for_user(user: Actor, pk: int) -> ProjectPhoto:
    """A photo of a project's results whose project `user` may see (404 otherwise), with
    its project loaded for the grantee's check (`can_edit_summary`)."""
    photo = get_object_or_404(ProjectPhoto.objects.only("pk", "agreement_id", "photo"), pk=pk)
    photo.agreement = get_outcome_for_user(user, photo.agreement_id)
    return photo


def can_edit_summary(user: Actor, agreement: Agreement) -> Decision:
    """The grantee (the applicant, the organisation's owners and editors) writes the
    public summary with the final report or after it is accepted: on a signed or closed
    agreement."""
    if not is_applicant(user, agreement.application):
        return deny(_("Итоги проекта пишет получатель гранта."))
    if agreement.status not in REPORTING:
        return not_now(_("Итоги пишут по подписанному соглашению."))
    return ALLOW
