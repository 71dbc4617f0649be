"""Who may do what with city initiatives: one function per object and action.

Initiatives, their timeline, team, links and published comments are public. Any signed-in
resident posts an initiative, supports it (once), follows it, joins its team and comments.
The author — or an editor of the initiative group behind it — edits it and moves it
through its stages; coordinators of the resource centre do too, take it into the centre,
answer it publicly when it reaches the support threshold, and moderate comments."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.civic.models import Comment, Initiative, TeamMember
from dobry.civic.models.initiatives import InitiativeQuerySet
from dobry.civic.models.votes import ResidentVerification, Vote, VoteQuerySet
from dobry.core.permissions import ALLOW, Actor, Decision, deny, not_now
from dobry.core.permissions import require as require
from dobry.core.workflow import Move
from dobry.organizations.permissions import is_reviewer, membership_of

SIGN_IN = _("Войдите, чтобы участвовать в инициативах.")
# Stages in which an initiative still gathers people and support.
OPEN_STAGES = (
    Initiative.Status.IDEA,
    Initiative.Status.GATHERING,
    Initiative.Status.RESOURCE_CENTRE,
    Initiative.Status.IN_PROGRESS,
)


def is_coordinator(user: Actor) -> bool:
    return is_reviewer(user)


def _signed_in(user: Actor) -> bool:
    return bool(user.is_authenticated and user.pk is not None and user.is_active)


def is_author(user: Actor, initiative: Initiative) -> bool:
    """The resident who posted it, or an editor of the initiative group behind it."""
    if not _signed_in(user):
        return False
    if initiative.author_id is not None and initiative.author_id == user.pk:
        return True
    if initiative.group is None:
        return False
    membership = membership_of(user, initiative.group)
    return membership is not None and membership.can_edit


def is_team_member(user: Actor, initiative: Initiative) -> bool:
    return (
        _signed_in(user)
        and TeamMember.objects.current()
        .filter(initiative=initiative, user_id=int(user.pk or 0))
        .exists()
    )


def can_view_initiative(user: Actor, initiative: Initiative) -> Decision:
    return ALLOW


def visible_initiatives(user: Actor) -> InitiativeQuerySet:
    """The list form of `can_view_initiative`: every initiative is public."""
    return Initiative.objects.all()


def can_create_initiative(user: Actor) -> Decision:
    return ALLOW if _signed_in(user) else deny(SIGN_IN)


def can_edit_initiative(user: Actor, initiative: Initiative) -> Decision:
    if is_author(user, initiative) or is_coordinator(user):
        return ALLOW
    return deny(_("Инициативу правят её автор и координаторы ресурсного центра."))


def can_move_initiative(user: Actor, initiative: Initiative, move: Move) -> Decision:
    """Only the resource centre takes an initiative in; the other stages are the
    author's and the centre's."""
    if move.target == Initiative.Status.RESOURCE_CENTRE:
        if is_coordinator(user):
            return ALLOW
        return deny(_("Инициативу берут в работу координаторы ресурсного центра."))
    return can_edit_initiative(user, initiative)


def can_post_result(user: Actor, initiative: Initiative) -> Decision:
    """The author, the team and coordinators add results and photos to the timeline."""
    if can_edit_initiative(user, initiative) or is_team_member(user, initiative):
        return ALLOW
    return deny(_("Результаты добавляют автор, команда и координаторы."))


def can_support(user: Actor, initiative: Initiative) -> Decision:
    """Other residents support an initiative (issue 16: «Others support it»): its author is
    behind it already, and the threshold counts how many more people want it."""
    if not _signed_in(user):
        return deny(SIGN_IN)
    if is_author(user, initiative):  # the resident who posted it, or its group's editors
        return deny(_("Это ваша инициатива: её поддерживают другие жители."))
    if initiative.status not in OPEN_STAGES:
        return not_now(_("Инициатива уже воплощена: поддержка не нужна."))
    return ALLOW


def can_follow(user: Actor, initiative: Initiative) -> Decision:
    return ALLOW if _signed_in(user) else deny(SIGN_IN)


def can_join_team(user: Actor, initiative: Initiative) -> Decision:
    if not _signed_in(user):
        return deny(SIGN_IN)
    if initiative.status not in OPEN_STAGES:
        return not_now(_("Инициатива уже воплощена: команда больше не набирается."))
    return ALLOW


def can_comment(user: Actor, initiative: Initiative) -> Decision:
    return ALLOW if _signed_in(user) else deny(SIGN_IN)


def can_report_comment(user: Actor, comment: Comment) -> Decision:
    if not _signed_in(user):
        return deny(SIGN_IN)
    if comment.author_id == user.pk:
        return deny(_("На свой комментарий жаловаться нельзя."))
    if comment.status == Comment.Status.HIDDEN:
        return not_now(_("Комментарий уже скрыт."))
    return ALLOW


def can_moderate(user: Actor) -> Decision:
    if is_coordinator(user):
        return ALLOW
    return deny(_("Комментарии модерируют координаторы ресурсного центра."))


def can_move_comment(user: Actor, comment: Comment, move: Move) -> Decision:
    if move.name == "report":
        return can_report_comment(user, comment)
    return can_moderate(user)


def can_respond(user: Actor, initiative: Initiative) -> Decision:
    """Coordinators answer an initiative once it reached the support threshold."""
    if not is_coordinator(user):
        return deny(_("Отвечают координаторы ресурсного центра."))
    if initiative.threshold_reached_at is None:
        return not_now(_("Инициатива ещё не набрала нужную поддержку."))
    return ALLOW


def can_link(user: Actor, initiative: Initiative) -> Decision:
    """The author and coordinators link what came of the initiative."""
    return can_edit_initiative(user, initiative)


def visible_comments(user: Actor, initiative: Initiative) -> QuerySet[Comment]:
    """Comments shown on the initiative: published and reported ones (a report does not
    hide a comment until a coordinator decides); coordinators also see hidden ones."""
    comments = Comment.objects.filter(initiative=initiative)
    if is_coordinator(user):
        return comments
    return comments.exclude(status=Comment.Status.HIDDEN)


def get_initiative_for_user(user: Actor, pk: int, *, action: str = "view") -> Initiative:
    """The initiative if `user` may `action` («view» or «edit») it; 404, 403."""
    initiative = (
        Initiative.objects.select_related("district", "group", "author").filter(pk=pk).first()
    )
    if initiative is None or not can_view_initiative(user, initiative):
        raise Http404
    if action == "edit":
        decision = can_edit_initiative(user, initiative)
        if not decision:
            raise PermissionDenied(str(decision.reason))
    return initiative


def get_comment_for_user(user: Actor, pk: int) -> Comment:
    """A comment `user` may see (hidden ones: coordinators only); 404 otherwise."""
    comment = Comment.objects.select_related("initiative", "author").filter(pk=pk).first()
    if comment is None:
        raise Http404
    if comment.status == Comment.Status.HIDDEN and not is_coordinator(user):
        raise Http404
    return comment


# Residents' votes. Anyone reads an announced vote and, once it is closed, its tally; live
# counts are shown to nobody. Verified residents vote; coordinators prepare votes, confirm
# residents, announce and close votes and read the list of who voted (never what anyone
# chose); a vote's officers and coordinators enter paper ballots from a polling point.
SIGN_IN_TO_VOTE = _("Войдите, чтобы голосовать.")
MANAGE_VOTES = _("Голосования готовят и подводят координаторы ресурсного центра.")


def is_verified_resident(user: Actor) -> bool:
    return (
        _signed_in(user) and ResidentVerification.objects.filter(user_id=int(user.pk or 0)).exists()
    )


def can_manage_votes(user: Actor) -> Decision:
    return ALLOW if is_coordinator(user) else deny(MANAGE_VOTES)


def can_verify_residents(user: Actor) -> Decision:
    if is_coordinator(user):
        return ALLOW
    return deny(_("Жителей для голосования подтверждают координаторы ресурсного центра."))


def can_view_vote(user: Actor, vote: Vote) -> Decision:
    if vote.status != Vote.Status.DRAFT or is_coordinator(user):
        return ALLOW
    return deny(_("Голосование ещё готовится."))


def visible_votes(user: Actor) -> VoteQuerySet:
    """The list form of `can_view_vote`."""
    return Vote.objects.all() if is_coordinator(user) else Vote.objects.public()


def vote_is_running(vote: Vote, now: datetime | None = None) -> bool:
    moment = now or timezone.now()
    return vote.status == Vote.Status.OPEN and vote.opens_at <= moment < vote.closes_at


def _running(vote: Vote) -> Decision:
    if vote.status == Vote.Status.CLOSED:
        return not_now(_("Голосование закончено: итоги опубликованы."))
    if vote.status != Vote.Status.OPEN or timezone.now() < vote.opens_at:
        return not_now(_("Голосование ещё не началось."))
    if timezone.now() >= vote.closes_at:
        return not_now(_("Голосование закончилось: итоги скоро опубликуют."))
    return ALLOW


def can_cast(user: Actor, vote: Vote) -> Decision:
    if not _signed_in(user):
        return deny(SIGN_IN_TO_VOTE)
    if not is_verified_resident(user):
        return deny(
            _(
                "Голосуют подтверждённые жители. Подтвердите номер телефона кодом из СМС или "
                "обратитесь к координатору ресурсного центра."
            )
        )
    return _running(vote)


def is_officer(user: Actor, vote: Vote) -> bool:
    return _signed_in(user) and (
        is_coordinator(user) or vote.officers.filter(pk=int(user.pk or 0)).exists()
    )


def paper_ballots_until(vote: Vote) -> datetime:
    """The last moment of a vote's paper ballots, when the scheduler closes it: its closing
    moment, or `DOBRY_VOTE_PAPER_HOURS` later when it has officers whose polling points'
    boxes are entered after the end."""
    if vote.officers.exists():
        return vote.closes_at + timedelta(hours=settings.DOBRY_VOTE_PAPER_HOURS)
    return vote.closes_at


def can_enter_paper(user: Actor, vote: Vote) -> Decision:
    """Paper ballots of a polling point are entered while the vote is announced, also after
    its last day for the boxes to be counted — until `paper_ballots_until`, not for as long
    as the scheduler happens to leave the vote unclosed."""
    if not is_officer(user, vote):
        return deny(_("Бумажные бюллетени вносят члены счётной комиссии и координаторы."))
    if vote.status == Vote.Status.CLOSED:
        return not_now(_("Голосование закончено: итоги опубликованы."))
    if vote.status != Vote.Status.OPEN or timezone.now() < vote.opens_at:
        return not_now(_("Голосование ещё не началось."))
    if timezone.now() >= vote.closes_at and timezone.now() >= paper_ballots_until(vote):
        return not_now(_("Время внесения бумажных бюллетеней прошло: итоги скоро опубликуют."))
    return ALLOW


def can_see_voters(user: Actor, vote: Vote) -> Decision:
    """Who voted (the day and the way, never the choice): coordinators and officials."""
    if is_coordinator(user) or (_signed_in(user) and getattr(user, "is_official", False)):
        return ALLOW
    return deny(_("Список проголосовавших видят координаторы и сотрудники администрации."))


def can_see_tally(user: Actor, vote: Vote) -> Decision:
    """The counts of every option, to everyone, once the vote is closed — to no one before."""
    if vote.status == Vote.Status.CLOSED:
        return ALLOW
    return not_now(_("Итоги покажут, когда голосование закончится."))


def vote_has_opened(vote: Vote, now: datetime | None = None) -> bool:
    """Voting has opened: the vote is announced and its opening moment has come (or it is
    closed). From then on its options and rules are what residents vote by."""
    moment = now or timezone.now()
    return vote.status == Vote.Status.CLOSED or (
        vote.status == Vote.Status.OPEN and vote.opens_at <= moment
    )


def can_prepare_vote(user: Actor, vote: Vote) -> Decision:
    """Coordinators change a vote's rules and options while it is being prepared, and after
    announcing it until its opening moment; never once voting has opened (409)."""
    if not is_coordinator(user):
        return deny(MANAGE_VOTES)
    if vote_has_opened(vote):
        return not_now(
            _(
                "Голосование уже началось: его варианты и правила не меняются, "
                "чтобы все голосовали по одним правилам."
            )
        )
    return ALLOW


def can_manage_officers(user: Actor, vote: Vote) -> Decision:
    """Coordinators name the vote's officers (paper ballots) until its tally is published:
    a polling point may open during the vote."""
    if not is_coordinator(user):
        return deny(MANAGE_VOTES)
    if vote.status == Vote.Status.CLOSED:
        return not_now(_("Голосование закончено: итоги опубликованы."))
    return ALLOW


def can_move_vote(user: Actor, vote: Vote, move: Move) -> Decision:
    """Coordinators announce a vote with its options, and close it once its last day has
    passed."""
    if not is_coordinator(user):
        return deny(MANAGE_VOTES)
    if move.name == "announce" and vote.options.count() < 2:
        return not_now(_("Добавьте хотя бы два варианта, чтобы объявить голосование."))
    if move.name == "close" and timezone.now() < vote.closes_at:
        return not_now(_("Голосование ещё идёт: итоги подводят после его окончания."))
    return ALLOW


def get_vote_for_user(user: Actor, pk: int, *, action: str = "view") -> Vote:
    """The vote if `user` may see it; 404 otherwise (a draft is the coordinators'). With
    `action="prepare"` (its rules, options and officers), 403 to anyone but coordinators."""
    vote = Vote.objects.select_related("competition").filter(pk=pk).first()
    if vote is None or not can_view_vote(user, vote):
        raise Http404
    if action == "prepare":
        decision = can_manage_votes(user)
        if not decision:
            raise PermissionDenied(str(decision.reason))
    return vote
