"""Who may do what in a grant competition: one place, plain functions."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import ALLOW, Actor, Decision, deny, not_now
from dobry.core.workflow import Move
from dobry.grants import stages
from dobry.grants.models import (
    AGREEMENT_WORKFLOW,
    AMENDMENT_WORKFLOW,
    APPLICATION_WORKFLOW,
    REPORT_WORKFLOW,
    REVIEW_WORKFLOW,
    SCREENING_MOVES,
    TRANCHE_WORKFLOW,
    Agreement,
    Amendment,
    Application,
    Competition,
    GrantReport,
    Review,
    Tranche,
)
from dobry.organizations.models import Membership


def _authenticated(user: Actor) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_create_competition(user: Actor) -> Decision:
    if _authenticated(user) and (
        getattr(user, "is_official", False) or getattr(user, "is_superuser", False)
    ):
        return ALLOW
    return deny(_("Конкурсы объявляют сотрудники администрации."))


def can_keep_work_calendar(user: Actor) -> Decision:
    """The production calendar's transfers of days off are kept by the administration's
    staff (officials) and platform admins: every competition's dates are counted in it."""
    if can_create_competition(user):
        return ALLOW
    return deny(_("Производственный календарь ведут сотрудники администрации."))


def can_manage(user: Actor, competition: Competition) -> Decision:
    """Officials, platform admins and the competition's own organisers (e.g. the youth
    centre for the individuals' contest) run a competition."""
    if can_create_competition(user):
        return ALLOW
    if _authenticated(user) and competition.managers.filter(pk=user.pk).exists():
        return ALLOW
    return deny(_("Конкурсом управляют его организаторы и сотрудники администрации."))


# The organisers' actions, each allowed by the competition's stage (`stages`).
ACTIONS = {
    "terms": stages.terms,
    "announce": stages.announcement,
    "criteria": stages.criteria,
    "experts": stages.expert_pool,
    "screen": stages.screening,
    "assign": stages.assignment,
    "assign_expert": stages.expert_assignment,
    "allocate": stages.allocation,
    "meet": stages.meeting,
    "decide": stages.decision,
    "publish_results": stages.publication,
}


def can_act(user: Actor, competition: Competition, action: str) -> Decision:
    """May `user` take the organisers' `action` now: a manager, at a stage that allows it."""
    managing = can_manage(user, competition)
    if not managing:
        return managing
    return ACTIONS[action](competition)


def competition_actions(user: Actor, competition: Competition) -> dict[str, Decision]:
    """Every organisers' action with its decision, for a page to offer exactly those
    allowed (and say why the others are not)."""
    managing = can_manage(user, competition)
    return {
        action: stage(competition) if managing else managing for action, stage in ACTIONS.items()
    }


def can_view_competition(user: Actor, competition: Competition) -> Decision:
    if competition.status != Competition.Status.DRAFT or can_manage(user, competition):
        return ALLOW
    return deny(_("Конкурс ещё не объявлен."))


def can_view_results(user: Actor, competition: Competition) -> Decision:
    """The published results (page, CSV, open data, API): everyone who sees the
    competition, once the organisers have published them."""
    if not (visible := can_view_competition(user, competition)):
        return visible
    if competition.status != Competition.Status.RESULTS:
        return deny(_("Итоги конкурса ещё не опубликованы."))
    return ALLOW


# What a caller of `get_competition_for_user` wants to do with the competition.
COMPETITION_ACCESS = ("view", "results", "manage")


def get_competition_for_user(user: Actor, pk: int, *, action: str = "view") -> Competition:
    """The competition for a page or an API operation — the one check both make: 404 when
    `user` may not see it (a draft to anyone but its organisers) or, for `results`, while
    its results are unpublished; for `manage`, 403 with the reason to one who does not
    run it. What the stage allows now is the services' (409) or `can_act`'s to say."""
    if action not in COMPETITION_ACCESS:
        raise ValueError(f"Unknown access to a competition: {action!r}")
    competition = get_object_or_404(Competition, pk=pk)
    view = can_view_results if action == "results" else can_view_competition
    if not view(user, competition):
        raise Http404
    if action == "manage" and not (managing := can_manage(user, competition)):
        raise PermissionDenied(str(managing.reason))
    return competition


def visible_competitions(user: Actor) -> QuerySet[Competition]:
    """The list form of `can_view_competition`: announced ones, and drafts to those who
    manage them."""
    if can_create_competition(user):
        return Competition.objects.all()
    condition = ~Q(status=Competition.Status.DRAFT)
    if _authenticated(user) and user.pk is not None:
        condition |= Q(managers=user.pk)
    return Competition.objects.filter(condition).distinct()


def is_applicant(user: Actor, application: Application) -> bool:
    """The person who applied, or an editor of the applying organisation."""
    if not _authenticated(user):
        return False
    if application.applicant_id == user.pk:
        return True
    return bool(
        application.organization_id
        and Membership.objects.filter(
            organization_id=application.organization_id,
            user_id=user.pk or 0,
            role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
        ).exists()
    )


def expert_review(user: Actor, application: Application) -> Review | None:
    """The user's own review of the application, if they are one of its experts."""
    if not _authenticated(user):
        return None
    return (
        application.reviews.active()
        .filter(expert__user_id=user.pk or 0)
        .select_related("expert")
        .first()
    )


def can_view_application(user: Actor, application: Application) -> Decision:
    """Who reads an application and its attachments — the one rule for the page, the API
    and the file view. A draft is the applicant's working copy: only the applicant and
    the applying organisation's owners and editors read it; organisers (officials,
    platform admins included) see an application from its submission on (152-ФЗ art. 5
    part 7: no personal data in a draft reaches staff who have no purpose for it yet;
    support looks at it when the applicant shares it, not by default)."""
    if is_applicant(user, application):
        return ALLOW
    if application.status == Application.Status.DRAFT:
        return deny(_("Черновик заявки видят только заявитель и редакторы его организации."))
    if can_manage(user, application.competition):
        return ALLOW
    review = expert_review(user, application)
    if review is not None and review.declared_at is not None:
        return ALLOW
    if review is not None:
        return deny(_("Сначала подтвердите, что у вас нет конфликта интересов."))
    return deny(_("Заявку видят заявитель, организаторы конкурса и назначенные эксперты."))


def visible_applications(user: Actor) -> QuerySet[Application]:
    """The list form of `can_view_application`: the applicant's (and the applying
    organisation's editors') own; past the draft, the competition's organisers' and its
    experts' who declared no conflict."""
    if not _authenticated(user) or user.pk is None:
        return Application.objects.none()
    own = Q(applicant_id=user.pk) | Q(
        organization__in=Membership.objects.filter(
            user_id=user.pk, role__in=(Membership.Role.OWNER, Membership.Role.EDITOR)
        ).values("organization")
    )
    if can_create_competition(user):
        return Application.objects.filter(own | ~Q(status=Application.Status.DRAFT))
    managed = Q(competition__in=Competition.objects.filter(managers=user.pk).values("pk"))
    reviewed = Q(
        pk__in=Review.objects.active()
        .filter(expert__user_id=user.pk, declared_at__isnull=False)
        .values("application")
    )
    return Application.objects.filter(
        own | (~Q(status=Application.Status.DRAFT) & (managed | reviewed))
    )


def get_application_for_user(user: Actor, pk: int) -> Application:
    """The application if `user` may see it — or is one of its experts, who may still have
    to declare conflicts before reading it; 404 for everyone else."""
    application = get_object_or_404(
        Application.objects.select_related("competition", "organization", "applicant"), pk=pk
    )
    if can_view_application(user, application) or expert_review(user, application):
        return application
    raise Http404


def can_edit_application(user: Actor, application: Application) -> Decision:
    if is_applicant(user, application):
        return ALLOW
    return deny(_("Заявку меняет только заявитель."))


def can_move_application(user: Actor, application: Application, move: Move) -> Decision:
    """The applicant submits and withdraws (withdraws while the call is open, submits
    while the application may be edited); the organisers screen."""
    if move.name in SCREENING_MOVES:
        return can_manage(user, application.competition)
    if not (decision := can_edit_application(user, application)):
        return decision
    if move.name == "withdraw":
        if timezone.now() >= application.competition.applications_close:
            return deny(_("Приём заявок закончился: отозвать заявку нельзя."))
        return ALLOW
    return stages.editing(application)


def application_moves(user: Actor, application: Application) -> list[Move]:
    """The moves `user` may make on the application now: its page's buttons."""
    return APPLICATION_WORKFLOW.moves_for(user, application, can_move_application)


def sees_expert_names(user: Actor, application: Application) -> bool:
    """Experts are anonymous to applicants (as in the Presidential Grants Fund): the
    applicant reads «Эксперт 1, 2, 3»; organisers see names; fellow experts see them
    unless the competition reviews blind."""
    if can_manage(user, application.competition):
        return True
    if is_applicant(user, application):
        return False
    return not application.competition.blind_review


def can_see_reviews(user: Actor, application: Application) -> Decision:
    """Organisers see every review; an expert sees the others' only after submitting
    their own; the applicant sees the submitted reviews once the results are out."""
    if can_manage(user, application.competition):
        return ALLOW
    review = expert_review(user, application)
    if review is not None:
        if review.status == Review.Status.SUBMITTED:
            return ALLOW
        return deny(_("Оценки других экспертов видны после отправки своей."))
    if (
        is_applicant(user, application)
        and application.competition.status == Competition.Status.RESULTS
    ):
        return ALLOW
    return deny(_("Оценки заявки видят организаторы конкурса."))


def can_review(user: Actor, review: Review) -> Decision:
    if _authenticated(user) and review.expert.user_id == user.pk:
        return ALLOW
    return deny(_("Оценку ставит назначенный эксперт."))


def get_review_for_user(user: Actor, pk: int) -> Review:
    """The expert's own review (with its application and competition); 404 for anyone else,
    the competition's managers included — they see reviews through the application."""
    review = get_object_or_404(
        Review.objects.select_related("application__competition", "expert"), pk=pk
    )
    if not can_review(user, review):
        raise Http404
    return review


def can_recuse(user: Actor, review: Review) -> Decision:
    """May `user` set the review aside now for a conflict of interest found late — the one
    check of the recusal page, its links and the API (`reviews.review_recuse`). Who: the
    expert themself, or the competition's managers (`deny` otherwise, 403). When
    (`not_now`, 409): while the competition runs (`stages.screening`: not once the
    commission decided or the results are out), and from a review's status the workflow's
    «recuse» leaves (assigned or submitted; not one already set aside)."""
    competition = review.application.competition
    own = _authenticated(user) and review.expert.user_id == user.pk
    if not own and not can_manage(user, competition):
        return deny(_("Отвести эксперта может он сам или организатор конкурса."))
    stage = stages.screening(competition)
    if not stage:
        return not_now(stage.reason)
    move = REVIEW_WORKFLOW.move("recuse")
    if review.status not in move.sources:
        return not_now(move.refused or _("Эксперта отвести нельзя."))
    return ALLOW


# --- after the award: agreements, tranches, amendments ---------------------------------------


def can_manage_agreement(user: Actor, agreement: Agreement) -> Decision:
    """Those who run the competition keep its agreements: sign, pay, approve changes."""
    if can_manage(user, agreement.application.competition):
        return ALLOW
    return deny(_("Соглашения ведут организаторы конкурса и сотрудники администрации."))


def can_view_agreement(user: Actor, agreement: Agreement) -> Decision:
    """The grantee (the applicant, the applying organisation's owners and editors) and
    those who run the competition: the page, the DOCX, the API and the signed scan."""
    if is_applicant(user, agreement.application) or can_manage(
        user, agreement.application.competition
    ):
        return ALLOW
    return deny(_("Соглашение видят получатель гранта и организаторы конкурса."))


AGREEMENT_ACCESS = ("view", "manage")


def get_agreement_for_user(user: Actor, pk: int, *, action: str = "view") -> Agreement:
    """The agreement for a page or an API operation: 404 to whoever may not see it; for
    `manage`, 403 with the reason to the grantee."""
    if action not in AGREEMENT_ACCESS:
        raise ValueError(f"Unknown access to an agreement: {action!r}")
    agreement = get_object_or_404(
        Agreement.objects.select_related(
            "application__competition", "application__organization", "application__applicant"
        ),
        pk=pk,
    )
    if not can_view_agreement(user, agreement):
        raise Http404
    if action == "manage" and not (managing := can_manage_agreement(user, agreement)):
        raise PermissionDenied(str(managing.reason))
    return agreement


def visible_agreements(user: Actor) -> QuerySet[Agreement]:
    """The list form of `can_view_agreement`."""
    if not _authenticated(user) or user.pk is None:
        return Agreement.objects.none()
    if can_create_competition(user):
        return Agreement.objects.all()
    own = Q(application__in=Application.objects.of(user).values("pk"))
    managed = Q(
        application__competition__in=Competition.objects.filter(managers=user.pk).values("pk")
    )
    return Agreement.objects.filter(own | managed)


def can_move_agreement(user: Actor, agreement: Agreement, move: Move) -> Decision:
    """Signing is recorded, and an agreement terminated, by those who keep it."""
    return can_manage_agreement(user, agreement)


def agreement_moves(user: Actor, agreement: Agreement) -> list[Move]:
    return AGREEMENT_WORKFLOW.moves_for(user, agreement, can_move_agreement)


def can_move_tranche(user: Actor, tranche: Tranche, move: Move) -> Decision:
    """The grantee or staff request a tranche; staff record that it was paid; both only
    under a signed agreement."""
    agreement = tranche.agreement
    if move.name == "pay":
        if not (decision := can_manage_agreement(user, agreement)):
            return decision
    elif not can_view_agreement(user, agreement):
        return deny(_("Транш запрашивает получатель гранта или организатор конкурса."))
    if agreement.status != Agreement.Status.SIGNED:
        return not_now(_("Транши — по подписанному соглашению."))
    return ALLOW


def tranche_moves(user: Actor, tranche: Tranche) -> list[Move]:
    return TRANCHE_WORKFLOW.moves_for(user, tranche, can_move_tranche)


def can_propose_amendment(user: Actor, agreement: Agreement) -> Decision:
    """The grantee or staff propose a change to a signed agreement."""
    if not can_view_agreement(user, agreement):
        return deny(_("Изменение предлагает получатель гранта или организатор конкурса."))
    if agreement.status != Agreement.Status.SIGNED:
        return not_now(_("Изменения вносят в подписанное соглашение."))
    return ALLOW


def can_move_amendment(user: Actor, amendment: Amendment, move: Move) -> Decision:
    """Staff approve or reject a proposed change."""
    return can_manage_agreement(user, amendment.agreement)


def amendment_moves(user: Actor, amendment: Amendment) -> list[Move]:
    return AMENDMENT_WORKFLOW.moves_for(user, amendment, can_move_amendment)


# --- the grantee's reports ----------------------------------------------------------------------

REPORTING = (Agreement.Status.SIGNED, Agreement.Status.CLOSED)


def can_view_report(user: Actor, report: GrantReport) -> Decision:
    """Whoever sees the agreement sees its reports, their versions and files: the grantee
    and those who run the competition."""
    if can_view_agreement(user, report.agreement):
        return ALLOW
    return deny(_("Отчёт видят получатель гранта и организаторы конкурса."))


def can_open_report(user: Actor, agreement: Agreement) -> Decision:
    """The grantee starts a report on a signed agreement."""
    if not is_applicant(user, agreement.application):
        return deny(_("Отчёт пишет получатель гранта."))
    if agreement.status != Agreement.Status.SIGNED:
        return not_now(_("Отчёты сдают по подписанному соглашению."))
    return ALLOW


def can_edit_report(user: Actor, report: GrantReport) -> Decision:
    """The grantee fills a draft or a returned report and attaches files to it."""
    if not is_applicant(user, report.agreement.application):
        return deny(_("Отчёт пишет получатель гранта."))
    if report.status not in (GrantReport.Status.DRAFT, GrantReport.Status.RETURNED):
        return not_now(_("Отчёт сдан: его не меняют, пока его не вернут на доработку."))
    if report.agreement.status not in REPORTING:
        return not_now(_("Отчёты сдают по подписанному соглашению."))
    return ALLOW


def can_move_report(user: Actor, report: GrantReport, move: Move) -> Decision:
    """The grantee submits; those who run the competition accept or return."""
    if move.name == "submit":
        return can_edit_report(user, report)
    if not can_manage_agreement(user, report.agreement):
        return deny(_("Отчёт принимают организаторы конкурса."))
    return ALLOW


def report_moves(user: Actor, report: GrantReport) -> list[Move]:
    return REPORT_WORKFLOW.moves_for(user, report, can_move_report)


def get_report_for_user(user: Actor, pk: int) -> GrantReport:
    """The report for a page or an API operation: 404 to whoever may not see it."""
    report = get_object_or_404(
        GrantReport.objects.select_related(
            "agreement__application__competition",
            "agreement__application__organization",
            "agreement__application__applicant",
        ),
        pk=pk,
    )
    if not can_view_report(user, report):
        raise Http404
    return report


def visible_reports(user: Actor) -> QuerySet[GrantReport]:
    """The list form of `can_view_report`."""
    return GrantReport.objects.filter(agreement__in=visible_agreements(user).values("pk"))


def managed_agreements(user: Actor) -> QuerySet[Agreement]:
    """The list form of `can_manage_agreement`: the agreements the person keeps."""
    if not _authenticated(user) or user.pk is None:
        return Agreement.objects.none()
    if can_create_competition(user):
        return Agreement.objects.all()
    return Agreement.objects.filter(
        application__competition__in=Competition.objects.filter(managers=user.pk).values("pk")
    )


def can_keep_reports(user: Actor) -> Decision:
    """The queue of reports: the administration's staff and competitions' organisers."""
    if can_create_competition(user) or (
        _authenticated(user) and Competition.objects.filter(managers=user.pk or 0).exists()
    ):
        return ALLOW
    return deny(_("Отчёты проверяют организаторы конкурсов и сотрудники администрации."))


def can_link_project(user: Actor, agreement: Agreement) -> Decision:
    """The grantee or the organisers name the project's events and programmes, under a
    signed agreement."""
    if not can_view_agreement(user, agreement):
        return deny(_("Связи проекта указывают получатель гранта и организаторы конкурса."))
    if agreement.status != Agreement.Status.SIGNED:
        return not_now(_("Связи проекта указывают по подписанному соглашению."))
    return ALLOW


# The public side of a finished project, kept in its own module (this one is long enough).
from dobry.grants.permissions.outcomes import (  # noqa: E402, I001
    can_comment_project as can_comment_project,
    can_moderate_projects as can_moderate_projects,
    project_comment_moderators as project_comment_moderators,
    reported_project_comments as reported_project_comments,
    can_edit_summary as can_edit_summary,
    can_moderate_project as can_moderate_project,
    can_move_project_comment as can_move_project_comment,
    can_rate_project as can_rate_project,
    can_report_project_comment as can_report_project_comment,
    can_view_outcome as can_view_outcome,
    get_outcome_for_user as get_outcome_for_user,
    get_project_comment_for_user as get_project_comment_for_user,
    get_project_photo_for_user as get_project_photo_for_user,
    is_finished as is_finished,
    is_insider as is_insider,
    project_comment_moves as project_comment_moves,
    visible_project_comments as visible_project_comments,
)
