"""Supports, follows, the team and comments of an initiative.

A support is taken under the initiative's row lock: the support is counted and written in
one locked transaction, so the threshold is crossed — and the resource centre told — once,
however many residents support at the same instant; the database's unique constraint keeps
one support per account whatever happens (issue 16)."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.civic import notifications as kinds
from dobry.civic.models import (
    Comment,
    CommentReport,
    Initiative,
    Support,
    TeamMember,
)
from dobry.civic.permissions import (
    can_comment,
    can_follow,
    can_join_team,
    can_move_comment,
    can_report_comment,
    can_support,
    require,
)
from dobry.communications.services import notify
from dobry.core import moderation
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.locking import locked
from dobry.core.text_limits import require_within_limits, text_limit


def support_count(initiative: Initiative) -> int:
    """The supports that count now (not taken back)."""
    return Support.objects.current().filter(initiative=initiative).count()


def support_add(*, actor: User, initiative: Initiative) -> Support:
    """Support an initiative (once per account; a second is refused, 409). The support
    that reaches `DOBRY_INITIATIVE_SUPPORT_THRESHOLD` tells the resource centre, once."""
    require(can_support(actor, initiative))
    try:
        with locked(Initiative.objects.all(), initiative.pk) as fresh:
            require(can_support(actor, fresh))
            if Support.objects.current().filter(initiative=fresh, user=actor).exists():
                raise InvalidTransition(_("Вы уже поддержали эту инициативу."))
            support = Support.objects.create(initiative=fresh, user=actor)
            log_action(actor=actor, action="civic.support_add", obj=fresh)
            _check_threshold(fresh, support_count(fresh))
    except IntegrityError:  # the database's one support per account
        raise InvalidTransition(_("Вы уже поддержали эту инициативу.")) from None
    return support


def _check_threshold(initiative: Initiative, supports: int) -> None:
    """Inside the initiative's lock: the first time supports reach the threshold, mark
    it, set the day of the centre's answer and tell the coordinators."""
    if initiative.threshold_reached_at is not None:
        return
    if supports < settings.DOBRY_INITIATIVE_SUPPORT_THRESHOLD:
        return
    initiative.threshold_reached_at = timezone.now()
    initiative.response_due = local_today() + timedelta(
        days=settings.DOBRY_INITIATIVE_RESPONSE_DAYS
    )
    initiative.save(update_fields=["threshold_reached_at", "response_due", "updated_at"])
    log_action(
        actor=None, action="civic.threshold_reached", obj=initiative, data={"count": supports}
    )
    notify(
        kinds.INITIATIVE_THRESHOLD,
        User.objects.filter(is_active=True, is_coordinator=True),
        {"initiative": initiative, "supports": supports, "due": initiative.response_due},
        url=initiative.get_absolute_url(),
    )


def support_remove(*, actor: User, initiative: Initiative) -> None:
    """Take one's support back (the threshold, once reached, stays reached). The support is
    kept as withdrawn: the resident supported the initiative in its period, and indicator 3
    of that period counts them still; a new support later is a new row."""
    with transaction.atomic():
        removed = (
            Support.objects.current()
            .filter(initiative=initiative, user_id=actor.pk)
            .update(withdrawn_at=timezone.now())
        )
        if not removed:
            raise InvalidTransition(_("Вы не поддерживали эту инициативу."))
        log_action(actor=actor, action="civic.support_remove", obj=initiative)


def follow_set(*, actor: User, initiative: Initiative, follow: bool) -> bool:
    """Follow (or stop following) the initiative's updates; returns whether following."""
    require(can_follow(actor, initiative))
    if follow:
        initiative.follows.get_or_create(user=actor)
    else:
        initiative.follows.filter(user=actor).delete()
    return follow


def team_join(*, actor: User, initiative: Initiative, role: str) -> TeamMember:
    """Join the team with a role (or change one's role); joining follows too."""
    require(can_join_team(actor, initiative))
    if not role.strip():
        message = _("Напишите, чем займётесь в команде.")
        raise DomainError(message, field_errors={"role": [message]})
    require_within_limits({"role": (role, text_limit(TeamMember, "role"))})
    with transaction.atomic():
        member, _created = TeamMember.objects.update_or_create(
            initiative=initiative, user=actor, withdrawn_at=None, defaults={"role": role.strip()}
        )
        initiative.follows.get_or_create(user=actor)
        log_action(actor=actor, action="civic.team_join", obj=initiative)
    return member


def team_leave(*, actor: User, initiative: Initiative) -> None:
    """Leave the team. The place is kept as withdrawn, as a support taken back is
    (`support_remove`): joining again later is a new place."""
    with transaction.atomic():
        removed = (
            TeamMember.objects.current()
            .filter(initiative=initiative, user_id=actor.pk)
            .update(withdrawn_at=timezone.now(), updated_at=timezone.now())
        )
        if not removed:
            raise InvalidTransition(_("Вы не в команде этой инициативы."))
        log_action(actor=actor, action="civic.team_leave", obj=initiative)


COMMENTS = moderation.Moderation(
    comment=Comment,
    subject="initiative",
    audit=moderation.CommentAudit(
        add="civic.comment_add",
        report="civic.comment_report",
        keep="civic.comment_keep",
        hide="civic.comment_hide",
        restore="civic.comment_restore",
    ),
    can_report=can_report_comment,
    can_move=can_move_comment,
)


def comment_add(*, actor: User, initiative: Initiative, text: str) -> Comment:
    """A comment, shown at once (coordinators hide what is reported and abusive)."""
    return moderation.comment_add(  # type: ignore[no-any-return]
        moderation=COMMENTS,
        actor=actor,
        subject=initiative,
        text=text,
        allowed=can_comment(actor, initiative),
    )


def comment_report(*, actor: User, comment: Comment, reason: str = "") -> CommentReport:
    """Report a comment as abusive: it goes to the coordinators' queue (one report per
    person and comment)."""
    return moderation.comment_report(  # type: ignore[no-any-return]
        moderation=COMMENTS, actor=actor, comment=comment, reason=reason
    )


def comment_move(*, actor: User, comment: Comment, name: str) -> Comment:
    """A coordinator keeps, hides or restores a comment; keeping clears its reports."""
    return moderation.comment_move(  # type: ignore[no-any-return]
        moderation=COMMENTS, actor=actor, comment=comment, name=name
    )


__all__ = [
    "comment_add",
    "comment_move",
    "comment_report",
    "follow_set",
    "support_add",
    "support_count",
    "support_remove",
    "team_join",
    "team_leave",
]
