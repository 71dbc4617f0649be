"""The public side of a finished project: residents' ratings, comments and their
moderation, the grantee's summary and photos (issue 15, «public evaluation»).

A rating is taken under the agreement's row lock: the account's rating is looked up and
written (created or changed) in one locked transaction, so two tabs rating at the same
instant leave one rating — the later one's stars — and nobody sees an error; the
database's unique constraint keeps one rating per account whatever happens."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core import moderation
from dobry.core.audit import log_action
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.files import delete_stored_file
from dobry.core.locking import locked
from dobry.core.permissions import require
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.uploads import Upload, public_image
from dobry.grants import notifications as kinds
from dobry.grants import permissions
from dobry.grants.models import (
    RATING_MAX,
    RATING_MIN,
    Agreement,
    ProjectComment,
    ProjectCommentReport,
    ProjectPhoto,
    ProjectRating,
    ProjectSummary,
)

# A summary shows a handful of photos, as a report's publications section would.
PHOTOS_MAX = 12


@dataclass(frozen=True)
class RatingSummary:
    """The residents' ratings of a project: `average` stars to one decimal (None with no
    ratings), `count` of ratings, `counts` of each number of stars (1…5)."""

    average: Decimal | None
    count: int
    counts: dict[int, int]


def rating_summary(agreement: Agreement) -> RatingSummary:
    """Average, count and the count of each score, in one query."""
    rows = (
        ProjectRating.objects.filter(agreement=agreement)
        .values("score")
        .annotate(n=Count("pk"))
        .order_by("score")
    )
    counts = dict.fromkeys(range(RATING_MIN, RATING_MAX + 1), 0)
    for row in rows:
        counts[row["score"]] = row["n"]
    count = sum(counts.values())
    average = None
    if count:
        total = sum(score * n for score, n in counts.items())
        average = (Decimal(total) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return RatingSummary(average=average, count=count, counts=counts)


def _score(score: object) -> int:
    if isinstance(score, bool) or not isinstance(score, int):
        score = None
    if score is None or not RATING_MIN <= score <= RATING_MAX:
        message = _("Оценка — целое число от %(low)s до %(high)s.") % {
            "low": RATING_MIN,
            "high": RATING_MAX,
        }
        raise DomainError(message, field_errors={"score": [message]})
    return score


def _rating_of(agreement: Agreement, actor: User) -> ProjectRating | None:
    return ProjectRating.objects.filter(agreement=agreement, author=actor).first()


def project_rate(*, actor: User, agreement: Agreement, score: int) -> ProjectRating:
    """Rate a finished project from 1 to 5 stars, or change the account's rating (one per
    account). Refusals: not signed in, an insider (403); not finished (409); stars out of
    range (422)."""
    score = _score(score)
    require(permissions.can_rate_project(actor, agreement))
    try:
        with locked(Agreement.objects.all(), agreement.pk) as fresh:
            rating = _rating_of(fresh, actor)
            if rating is None:
                rating = ProjectRating.objects.create(agreement=fresh, author=actor, score=score)
            elif rating.score != score:
                rating.score = score
                rating.save(update_fields=["score", "updated_at"])
            log_action(actor=actor, action="project.rate", obj=fresh, data={"score": score})
    except IntegrityError:
        # Only without the lock (see the module's docstring); the constraint still holds.
        raise InvalidTransition(_("Вы уже оценили этот проект.")) from None
    return rating


def project_unrate(*, actor: User, agreement: Agreement) -> None:
    """Take back the account's rating of the project (nothing to take back is no error)."""
    with transaction.atomic():
        deleted, _rows = ProjectRating.objects.filter(agreement=agreement, author=actor).delete()
        if deleted:
            log_action(actor=actor, action="project.unrate", obj=agreement)


def _tell_moderators(comment: ProjectComment) -> None:
    """A comment has just entered the organisers' queue: tell each of them once."""
    agreement = comment.agreement
    notify(
        kinds.PROJECT_COMMENT_REPORTED,
        permissions.project_comment_moderators(agreement),
        {"project": agreement.application.title, "text": str(comment)},
        url=reverse("grants:comment_desk"),
    )


COMMENTS = moderation.Moderation(
    comment=ProjectComment,
    subject="agreement",
    audit=moderation.CommentAudit(
        add="project.comment_add",
        report="project.comment_report",
        keep="project.comment_keep",
        hide="project.comment_hide",
        restore="project.comment_restore",
    ),
    can_report=permissions.can_report_project_comment,
    can_move=permissions.can_move_project_comment,
    on_reported=_tell_moderators,
)


def project_comment_add(*, actor: User, agreement: Agreement, text: str) -> ProjectComment:
    """A comment on a finished project, shown at once (organisers hide what is reported
    and abusive)."""
    return moderation.comment_add(  # type: ignore[no-any-return]
        moderation=COMMENTS,
        actor=actor,
        subject=agreement,
        text=text,
        allowed=permissions.can_comment_project(actor, agreement),
    )


def project_comment_report(
    *, actor: User, comment: ProjectComment, reason: str = ""
) -> ProjectCommentReport:
    """Report a comment as abusive: the first report puts it in the organisers' queue
    and tells them (one report per person and comment)."""
    return moderation.comment_report(  # type: ignore[no-any-return]
        moderation=COMMENTS, actor=actor, comment=comment, reason=reason
    )


def project_comment_move(*, actor: User, comment: ProjectComment, name: str) -> ProjectComment:
    """An organiser keeps, hides or restores a comment; keeping clears its reports."""
    return moderation.comment_move(  # type: ignore[no-any-return]
        moderation=COMMENTS, actor=actor, comment=comment, name=name
    )


def project_summary_save(*, actor: User, agreement: Agreement, text: str) -> ProjectSummary:
    """The grantee's public summary of results, written or rewritten (shown once the
    project is finished)."""
    require(permissions.can_edit_summary(actor, agreement))
    require_within_limits({"text": (text, text_limit(ProjectSummary, "text"))})
    if not text.strip():
        message = _("Напишите, что сделано в проекте и что из этого вышло.")
        raise DomainError(message, field_errors={"text": [message]})
    with transaction.atomic():
        summary, _created = ProjectSummary.objects.update_or_create(
            agreement=agreement, defaults={"text": text.strip()}
        )
        log_action(actor=actor, action="project.summary", obj=agreement)
    return summary


def project_photo_add(
    *, actor: User, agreement: Agreement, upload: Upload, alt: str
) -> ProjectPhoto:
    """A photo of the results (PNG, JPEG or WebP, re-encoded without metadata) with its
    description for those who do not see it."""
    require(permissions.can_edit_summary(actor, agreement))
    require_within_limits({"alt": (alt, text_limit(ProjectPhoto, "alt"))})
    if not alt.strip():
        message = _("Опишите фото для тех, кто его не видит.")
        raise DomainError(message, field_errors={"alt": [message]})
    try:
        image = public_image(upload, field="photo")
    except ValidationError as error:
        raise DomainError(_("Фото не загружено."), field_errors=error.message_dict) from None
    with locked(Agreement.objects.all(), agreement.pk) as fresh:
        if fresh.photos.count() >= PHOTOS_MAX:
            raise DomainError(_("Фото к итогам — не больше чем %(count)s.") % {"count": PHOTOS_MAX})
        photo = ProjectPhoto(agreement=fresh, alt=alt.strip())
        photo.photo.save(image.name or "image.png", image, save=False)
        photo.save()
        log_action(actor=actor, action="project.photo_add", obj=fresh)
    return photo


def project_photo_delete(*, actor: User, photo: ProjectPhoto) -> None:
    """Remove a photo of the results, its file too."""
    require(permissions.can_edit_summary(actor, photo.agreement))
    with transaction.atomic():
        delete_stored_file(photo.photo)
        photo.delete()
        log_action(actor=actor, action="project.photo_delete", obj=photo.agreement)


__all__ = [
    "PHOTOS_MAX",
    "RatingSummary",
    "project_comment_add",
    "project_comment_move",
    "project_comment_report",
    "project_photo_add",
    "project_photo_delete",
    "project_rate",
    "project_summary_save",
    "project_unrate",
    "rating_summary",
]
