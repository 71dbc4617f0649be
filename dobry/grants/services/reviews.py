"""An expert's review: the declaration of conflicts, scoring, recusal, and the reminders
before a review is due. Who reviews what is in `assignments`."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.request_values import parse_integer
from dobry.core.text_limits import SHORT, length_errors, text_limit
from dobry.grants import notifications as kinds
from dobry.grants import permissions, rules
from dobry.grants.models import (
    REVIEW_WORKFLOW,
    Application,
    Competition,
    Criterion,
    Review,
)
from dobry.grants.services.assignments import (
    create_reviews,
    excluded_experts,
    expert_loads,
    lock_review,
    pick_experts,
    rescore,
    rule_criteria,
)

R = Review.Status
COMMENT_LIMIT = SHORT  # a comment on one criterion


def review_recuse(*, actor: User, review: Review, reason: str) -> Review:
    """A conflict of interest found after the declaration (even after scoring): the expert,
    or a manager of the competition, sets the review aside with a reason. The review keeps
    its scores for the record but leaves the mean (status «конфликт интересов»), the
    application is rescored, a replacement expert without conflicts is assigned when one is
    free, and an audit entry records who, why and the total set aside.

    Raises PermissionDenied for anyone else, DomainError without a reason,
    InvalidTransition for a review already set aside or once the commission has decided.
    """
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Укажите причину отвода эксперта."),
            field_errors={"reason": [_("Обязательное поле.")]},
        )
    review = Review.objects.select_related("application__competition", "expert").get(pk=review.pk)
    allowed = permissions.can_recuse(actor, review)
    if not allowed and not allowed.not_now:
        raise PermissionDenied(str(allowed.reason))
    if not allowed:
        raise InvalidTransition(str(allowed.reason))
    application = review.application
    competition = application.competition
    with transaction.atomic():
        review = lock_review(review)
        move = REVIEW_WORKFLOW.check(review.status, "recuse", reason=reason)
        set_aside = review.total
        review.status, review.conflict_reason = move.target, reason
        review.save(update_fields=["status", "conflict_reason"])
        replacement = create_reviews(
            application,
            pick_experts(expert_loads(competition), excluded_experts(application), 1),
            for_divergence=review.for_divergence,
        )
        rescore(application)
        log_action(
            actor=actor,
            action="review.recuse",
            obj=application,
            data={
                "review": review.pk,
                "expert": review.expert.user_id,
                "by": "expert" if review.expert.user_id == actor.pk else "staff",
                "reason": reason,
                "total_set_aside": str(set_aside) if set_aside is not None else None,
                "replacement": [r.expert.user_id for r in replacement],
            },
        )
    return review


def _own_review(user: User, application: Application) -> Review:
    review = permissions.expert_review(user, application)
    if review is None:
        raise PermissionDenied(_("Эта заявка вам не назначена."))
    return review


def conflict_declare(
    *, user: User, application: Application, conflict: bool, reason: str = ""
) -> Review:
    """Before opening an application the expert declares whether they have a conflict of
    interest. A conflict hands the application to another expert."""
    review = _own_review(user, application)
    if review.declared_at is not None:
        raise InvalidTransition(_("Вы уже подтвердили отсутствие конфликта интересов."))
    if conflict and not reason.strip():
        raise DomainError(
            _("Коротко опишите конфликт интересов."),
            field_errors={"reason": [_("Обязательное поле.")]},
        )
    with transaction.atomic():
        review = lock_review(review)
        if not conflict:
            review.declared_at = timezone.now()
            review.save(update_fields=["declared_at"])
            log_action(actor=user, action="review.no_conflict", obj=application)
            return review
        move = REVIEW_WORKFLOW.check(review.status, "declare_conflict", reason=reason)
        review.status, review.conflict_reason = move.target, reason.strip()
        review.save(update_fields=["status", "conflict_reason"])
        log_action(actor=user, action="review.conflict", obj=application)
        replacement = pick_experts(
            expert_loads(application.competition), excluded_experts(application), 1
        )
        create_reviews(application, replacement, for_divergence=review.for_divergence)
    return review


def _clean_scores(
    known: Mapping[str, Criterion], scores: Mapping[str, object] | Mapping[int, object]
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Scores by criterion id (str) as whole numbers within each criterion's maximum; blanks
    are left out. Returns (scores, errors by `scores.<id>`)."""
    clean: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for key, value in scores.items():
        criterion = known.get(str(key))
        if criterion is None:
            errors[f"scores.{key}"] = [_("Нет такого критерия.")]
            continue
        if value in (None, ""):
            continue
        try:
            number = parse_integer(str(value))
        except ValueError:
            number = -1
        if not 0 <= number <= criterion.max_score:
            errors[f"scores.{key}"] = [
                _("Балл — целое число от 0 до %(max)s.") % {"max": criterion.max_score}
            ]
            continue
        clean[str(key)] = number
    return clean, errors


def _unfinished(
    competition: Competition,
    known: Mapping[str, Criterion],
    scores: Mapping[str, int],
    comments: Mapping[str, str],
) -> dict[str, list[str]]:
    """What a submitted review still lacks: a score for every criterion, and a comment for
    each score below the competition's `comment_below`."""
    errors: dict[str, list[str]] = {}
    for key in known:
        if key not in scores:
            errors[f"scores.{key}"] = [_("Поставьте балл.")]
        elif scores[key] < competition.comment_below and key not in comments:
            errors[f"comments.{key}"] = [
                ngettext(
                    "Объясните оценку ниже %(score)s балла.",
                    "Объясните оценку ниже %(score)s баллов.",
                    competition.comment_below,
                )
                % {"score": competition.comment_below}
            ]
    return errors


def review_save(
    *,
    user: User,
    review: Review,
    scores: Mapping[str, object] | Mapping[int, object],
    comments: Mapping[str, str] | Mapping[int, str] | None = None,
    comment: str = "",
    submit: bool = False,
) -> Review:
    """Keep the expert's scores; on submit, check every criterion is scored (a comment is
    required below the competition's threshold), fix the total and re-score the application.
    `scores` and `comments` are by criterion id; blank scores and comments are left out.
    PermissionDenied for anyone but the assigned expert; InvalidTransition before the
    conflict declaration, after submission or past the due time; DomainError with field
    errors (`scores.<id>`, `comments.<id>`, `comment`) for bad or missing marks."""
    review = _reviewable(user, review)
    application = review.application
    criteria = list(application.competition.criteria.all())
    marks = _checked_marks(application.competition, criteria, scores, comments, comment)
    if submit:
        marks.require_complete()
    with transaction.atomic():
        review = lock_review(review)
        move = REVIEW_WORKFLOW.check(review.status, "submit")
        review.scores, review.comments, review.comment = marks.scores, marks.comments, comment
        fields = ["scores", "comments", "comment"]
        if submit:
            review.total = rules.expert_total(
                rule_criteria(criteria), {int(k): v for k, v in marks.scores.items()}
            )
            review.status, review.submitted_at = move.target, timezone.now()
            fields += ["total", "status", "submitted_at"]
        review.save(update_fields=fields)
        if submit:
            log_action(
                actor=user,
                action="review.submit",
                obj=application,
                data={"review": review.pk, "total": str(review.total)},
            )
            rescore(application)
    return review


def _reviewable(user: User, review: Review) -> Review:
    """The review read afresh, once its expert may still change it."""
    review = Review.objects.select_related("expert", "application__competition").get(pk=review.pk)
    if not permissions.can_review(user, review):
        raise PermissionDenied(str(permissions.can_review(user, review).reason))
    if review.declared_at is None:
        raise InvalidTransition(_("Сначала подтвердите, что у вас нет конфликта интересов."))
    # scores are kept while the review may still be submitted
    REVIEW_WORKFLOW.check(review.status, "submit")
    if timezone.now() >= review.due_at:
        raise InvalidTransition(_("Срок экспертизы истёк."))
    return review


@dataclass(frozen=True)
class _Marks:
    """An expert's marks as kept: whole scores and trimmed comments by criterion id (str)."""

    competition: Competition
    known: Mapping[str, Criterion]
    scores: dict[str, int]
    comments: dict[str, str]

    def require_complete(self) -> None:
        """For a submission: DomainError unless every criterion has its score and comment."""
        errors = _unfinished(self.competition, self.known, self.scores, self.comments)
        if errors:
            raise DomainError(_("Проверьте оценки."), field_errors=errors)


def _checked_marks(
    competition: Competition,
    criteria: list[Criterion],
    scores: Mapping[str, object] | Mapping[int, object],
    comments: Mapping[str, str] | Mapping[int, str] | None,
    comment: str,
) -> _Marks:
    """The marks cleaned; DomainError for a score out of range or a text over its limit."""
    known = {str(c.pk): c for c in criteria}
    clean_scores, errors = _clean_scores(known, scores)
    clean_comments = {
        str(key): str(text).strip()
        for key, text in (comments or {}).items()
        if str(key) in known and str(text or "").strip()
    }
    # a comment over its limit is refused at its field, never cut (issue 11)
    errors |= length_errors(
        {f"comments.{key}": (text, COMMENT_LIMIT) for key, text in clean_comments.items()}
        | {"comment": (comment, text_limit(Review, "comment"))}
    )
    if errors:
        raise DomainError(_("Проверьте оценки."), field_errors=errors)
    return _Marks(competition, known, clean_scores, clean_comments)


def remind_reviewers(*, now: object = None) -> int:
    """Tell each expert with unsubmitted reviews, once, in the last three days before
    each review is due (its own due time: a replacement's comes after the competition's
    deadline). Returns how many experts were reminded."""
    moment = now or timezone.now()
    pending = (
        Review.objects.filter(
            status=R.ASSIGNED,
            reminded_at__isnull=True,
            due_at__gt=moment,
            due_at__lte=moment + timedelta(days=3),  # type: ignore[operator]
        )
        .select_related("expert__user", "application__competition")
        .order_by("due_at", "pk")
    )
    by_expert: dict[tuple[int, int], list[Review]] = {}
    for review in pending:
        by_expert.setdefault((review.expert.user_id, review.application.competition_id), []).append(
            review
        )
    for reviews in by_expert.values():
        competition = reviews[0].application.competition
        with transaction.atomic():
            notify(
                kinds.REVIEW_REMINDER,
                [reviews[0].expert.user],
                {"competition": competition, "pending": len(reviews), "due": reviews[0].due_at},
                url=reviews[0].get_absolute_url(),
            )
            Review.objects.filter(pk__in=[r.pk for r in reviews]).update(reminded_at=moment)
    return len(by_expert)
