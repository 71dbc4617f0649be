"""Independent expert review: the pool, automatic assignment (balanced, never to a
conflicted expert), declarations of conflicts, scoring, and the extra expert that a
divergence of totals calls for."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.locking import lock_rows
from dobry.core.request_values import parse_integer
from dobry.core.text_limits import SHORT, length_errors, text_limit
from dobry.grants import notifications as kinds
from dobry.grants import permissions, rules, stages
from dobry.grants.deadlines import after_review_deadline, chosen_due_at, review_due_at
from dobry.grants.models import (
    REVIEW_WORKFLOW,
    Application,
    Competition,
    Criterion,
    Expert,
    Review,
)
from dobry.grants.selectors import divergence_pending
from dobry.organizations.models import Membership

R = Review.Status
COMMENT_LIMIT = SHORT  # a comment on one criterion


def _lock_review(review: Review) -> Review:
    """Lock a review and its application for the rest of the caller's transaction, in the
    one order every path that holds both takes: the application, then the review (a
    parent before its children, `core/locking.py`). Screening locks the application and
    deletes its assigned reviews, while scoring and recusal rescore the application from
    its reviews: taken the other way round the two deadlock, and two experts submitting
    at once would each average without the other's total. Returns the review read under
    the lock, with its application."""
    [application] = lock_rows(
        Application.objects.select_related("competition"), [review.application_id]
    )
    [locked] = lock_rows(Review.objects.select_related("expert"), [review.pk])
    locked.application = application
    return locked


def expert_add(*, actor: User, competition: Competition, user: User, sector: str) -> Expert:
    """Seat a person in the competition's pool; they get the expert role if they lacked it."""
    if sector not in Expert.Sector.values:
        raise DomainError(
            _("Укажите, кого представляет эксперт."),
            field_errors={"sector": [_("Выберите из списка.")]},
        )
    stages.require(stages.expert_pool(competition))
    with transaction.atomic():
        expert, created = Expert.objects.get_or_create(
            competition=competition, user=user, defaults={"sector": sector}
        )
        if not created:
            if expert.is_active:
                raise DomainError(_("Этот человек уже в пуле экспертов конкурса."))
            expert.is_active, expert.sector = True, sector
            expert.save(update_fields=["is_active", "sector"])
        if not user.is_expert:
            user.is_expert = True
            user.save(update_fields=["is_expert"])
        log_action(
            actor=actor,
            action="competition.expert_add",
            obj=competition,
            data={"expert": user.pk, "sector": sector},
        )
    return expert


def expert_remove(*, actor: User, expert: Expert) -> Expert:
    """Out of the pool: their unsubmitted reviews go back to assignment."""
    stages.require(stages.expert_pool(expert.competition))
    with transaction.atomic():
        expert.is_active = False
        expert.save(update_fields=["is_active"])
        dropped = expert.reviews.filter(status=R.ASSIGNED).delete()[0]
        log_action(
            actor=actor,
            action="competition.expert_remove",
            obj=expert.competition,
            data={"expert": expert.user_id, "unassigned": dropped},
        )
    return expert


def conflicted_user_ids(application: Application) -> set[int]:
    """People who may never review this application: the applicant and the members of
    the applying organisation."""
    people = {application.applicant_id} if application.applicant_id else set()
    if application.organization_id:
        people |= set(
            Membership.objects.filter(organization_id=application.organization_id).values_list(
                "user_id", flat=True
            )
        )
    return people


def _excluded_experts(application: Application) -> set[int]:
    """Experts who are already on the application (in any state, including a declared
    conflict) or who are members of the applicant."""
    conflicted = conflicted_user_ids(application)
    taken = set(application.reviews.values_list("expert_id", flat=True))
    return taken | {
        pk
        for pk, user_id in application.competition.experts.values_list("pk", "user_id")
        if user_id in conflicted
    }


def expert_loads(competition: Competition) -> Counter[int]:
    experts = competition.experts.filter(is_active=True).annotate(
        load=Count("reviews", filter=~Q(reviews__status=R.CONFLICT))
    )
    return Counter({expert.pk: expert.load for expert in experts})


def _pick(loads: Counter[int], excluded: set[int], count: int) -> list[int]:
    """The `count` least-loaded experts outside `excluded`, ties by seat order."""
    free = sorted((load, pk) for pk, load in loads.items() if pk not in excluded)
    return [pk for _load, pk in free[:count]]


def _create_reviews(
    application: Application,
    expert_ids: Iterable[int],
    *,
    for_divergence: bool = False,
    due_at: datetime | None = None,
) -> list[Review]:
    """Reviews due at `due_at`, by default when a review assigned now is due: the
    competition's deadline, or a replacement's default day once that has passed."""
    due = due_at or review_due_at(application.competition)
    reviews = [
        Review.objects.create(
            application=application, expert_id=pk, for_divergence=for_divergence, due_at=due
        )
        for pk in expert_ids
    ]
    for review in reviews:
        notify(
            kinds.REVIEW_ASSIGNED,
            [review.expert.user],
            {"review": review},
            url=review.get_absolute_url(),
        )
    return reviews


def assign_experts(*, actor: User | None, competition: Competition) -> list[Review]:
    """Give every admitted application its required number of experts. The most
    constrained applications (fewest eligible experts) go first; each takes the least-
    loaded eligible experts, so loads stay within one of each other where conflicts allow."""
    with transaction.atomic():
        competition = Competition.objects.select_for_update().get(pk=competition.pk)
        stages.require(stages.assignment(competition))
        loads = expert_loads(competition)
        criteria = _rule_criteria(competition.criteria.all())
        needs = []
        for application in competition.applications.admitted().select_related("competition"):
            counted = list(application.reviews.active())
            missing = competition.experts_per_application - sum(
                1 for r in counted if not r.for_divergence
            )
            # the extra expert for diverging totals, when none was free at the time
            extra = divergence_pending(counted, criteria, competition.divergence_percent)
            if missing > 0 or extra:
                excluded = _excluded_experts(application)
                needs.append((len(set(loads) - excluded), application, missing, extra, excluded))
        created: list[Review] = []
        shortages = []
        for _free, application, missing, extra, excluded in sorted(
            needs, key=lambda n: (n[0], n[1].pk)
        ):
            wanted = max(missing, 0) + int(extra)
            chosen = _pick(loads, excluded, wanted)
            if len(chosen) < wanted:
                shortages.append(application.number)
            for pk in chosen:
                loads[pk] += 1
            regular, divergence = chosen[: max(missing, 0)], chosen[max(missing, 0) :]
            created += _create_reviews(application, regular)
            created += _create_reviews(application, divergence, for_divergence=True)
        log_action(
            actor=actor,
            action="competition.assign",
            obj=competition,
            data={"assigned": len(created), "short": shortages},
        )
    if shortages:
        raise DomainError(
            _("Не хватает экспертов без конфликта интересов для заявок: %(numbers)s.")
            % {"numbers": ", ".join(shortages)}
        )
    return created


def review_assign(
    *, actor: User, application: Application, expert: Expert, due_on: date | None = None
) -> Review:
    """Staff override: put a particular expert on an application (never a conflicted one),
    until the commission decides. While the review runs the expert is due at the
    competition's deadline; after it, this is a replacement due at the end of `due_on`
    (default: `deadlines.REPLACEMENT_WORKING_DAYS` working days on). An expert added to an
    application that has its experts and diverging totals is its extra expert."""
    competition = application.competition
    stages.require(stages.expert_assignment(competition))
    if application.status != Application.Status.ADMITTED:
        raise InvalidTransition(_("Эксперта назначают на допущенную заявку."))
    if expert.competition_id != application.competition_id or not expert.is_active:
        raise DomainError(_("Эксперт не из пула этого конкурса."))
    if expert.user_id in conflicted_user_ids(application):
        raise DomainError(_("Эксперт связан с заявителем: назначить его нельзя."))
    if application.reviews.filter(expert=expert).exists():
        raise DomainError(_("Этот эксперт уже назначен на заявку или заявил о конфликте."))
    due = review_due_at(competition, due_on)
    counted = list(application.reviews.active())
    extra = sum(
        1 for r in counted if not r.for_divergence
    ) >= competition.experts_per_application and divergence_pending(
        counted, _rule_criteria(competition.criteria.all()), competition.divergence_percent
    )
    with transaction.atomic():
        (review,) = _create_reviews(application, [expert.pk], for_divergence=extra, due_at=due)
        log_action(
            actor=actor,
            action="application.review_assign",
            obj=application,
            data={"expert": expert.user_id, "due": due.isoformat()},
        )
    return review


def review_reschedule(*, actor: User, review: Review, due_on: date) -> Review:
    """Once the competition's review deadline has passed, the organisers give an
    unsubmitted review (a replacement's, or one left overdue) its own due day.

    Raises PermissionDenied for anyone but the organisers, InvalidTransition for a review
    already submitted or set aside, before the deadline or after the decision, and
    DomainError at `due_on` for a day in the past or too far ahead."""
    review = Review.objects.select_related("application__competition", "expert").get(pk=review.pk)
    competition = review.application.competition
    allowed = permissions.can_manage(actor, competition)
    if not allowed:
        raise PermissionDenied(str(allowed.reason))
    stages.require(stages.expert_assignment(competition))
    if not after_review_deadline(competition):
        raise InvalidTransition(
            _("До окончания экспертизы эксперты оценивают в общий срок конкурса.")
        )
    due = chosen_due_at(due_on)
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.status != R.ASSIGNED:
            raise InvalidTransition(_("Срок меняют только у неотправленной оценки."))
        before = review.due_at
        review.due_at, review.reminded_at = due, None  # reminded again before the new day
        review.save(update_fields=["due_at", "reminded_at"])
        log_action(
            actor=actor,
            action="review.reschedule",
            obj=review.application,
            data={
                "review": review.pk,
                "expert": review.expert.user_id,
                "from": before.isoformat(),
                "to": due.isoformat(),
            },
        )
        notify(
            kinds.REVIEW_RESCHEDULED,
            [review.expert.user],
            {"review": review},
            url=review.get_absolute_url(),
        )
    return review


def review_unassign(*, actor: User, review: Review) -> None:
    stages.require(stages.screening(review.application.competition))
    with transaction.atomic():
        # read under the lock: the expert may have submitted since the caller loaded it
        review = _lock_review(review)
        if review.status == R.SUBMITTED:
            raise InvalidTransition(_("Оценка уже отправлена: снять эксперта нельзя."))
        log_action(
            actor=actor,
            action="application.review_unassign",
            obj=review.application,
            data={"expert": review.expert.user_id},
        )
        review.delete()


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
    if not allowed:
        raise PermissionDenied(str(allowed.reason))
    application = review.application
    competition = application.competition
    stages.require(stages.screening(competition))
    with transaction.atomic():
        review = _lock_review(review)
        move = REVIEW_WORKFLOW.check(review.status, "recuse", reason=reason)
        set_aside = review.total
        review.status, review.conflict_reason = move.target, reason
        review.save(update_fields=["status", "conflict_reason"])
        replacement = _create_reviews(
            application,
            _pick(expert_loads(competition), _excluded_experts(application), 1),
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
        review = _lock_review(review)
        if not conflict:
            review.declared_at = timezone.now()
            review.save(update_fields=["declared_at"])
            log_action(actor=user, action="review.no_conflict", obj=application)
            return review
        move = REVIEW_WORKFLOW.check(review.status, "declare_conflict", reason=reason)
        review.status, review.conflict_reason = move.target, reason.strip()
        review.save(update_fields=["status", "conflict_reason"])
        log_action(actor=user, action="review.conflict", obj=application)
        replacement = _pick(
            expert_loads(application.competition), _excluded_experts(application), 1
        )
        _create_reviews(application, replacement, for_divergence=review.for_divergence)
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
        review = _lock_review(review)
        move = REVIEW_WORKFLOW.check(review.status, "submit")
        review.scores, review.comments, review.comment = marks.scores, marks.comments, comment
        fields = ["scores", "comments", "comment"]
        if submit:
            review.total = rules.expert_total(
                _rule_criteria(criteria), {int(k): v for k, v in marks.scores.items()}
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


def _rule_criteria(criteria: Iterable[Criterion]) -> list[rules.Criterion]:
    return [rules.Criterion(c.pk, c.weight, c.max_score) for c in criteria]


def rescore(application: Application) -> Decimal | None:
    """The application's score is the mean of its submitted totals. When its assigned
    experts have all submitted and their totals diverge beyond the threshold, one more
    expert (without conflicts) is assigned — once; when none is free, «Распределить»
    assigns one later."""
    competition = application.competition
    reviews = list(application.reviews.active())
    totals = [r.total for r in reviews if r.status == R.SUBMITTED and r.total is not None]
    application.score = rules.application_score(totals)
    application.save(update_fields=["score"])
    criteria = _rule_criteria(competition.criteria.all())
    if divergence_pending(reviews, criteria, competition.divergence_percent):
        extra = _pick(expert_loads(competition), _excluded_experts(application), 1)
        _create_reviews(application, extra, for_divergence=True)
        log_action(
            actor=None,
            action="application.divergence",
            obj=application,
            data={"totals": [str(t) for t in totals], "added": extra},
        )
    return application.score


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
