"""Who reviews what: the competition's pool of experts, the balanced assignment (never
to a conflicted expert), the organisers' overrides, and the extra expert a divergence of
totals calls for (`rescore`). The experts' own work is in `reviews`."""

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.errors import DomainError, InvalidTransition, PermissionDenied
from dobry.core.locking import lock_rows
from dobry.grants import notifications as kinds
from dobry.grants import permissions, rules, stages
from dobry.grants.deadlines import after_review_deadline, chosen_due_at, review_due_at
from dobry.grants.models import (
    Application,
    Competition,
    Criterion,
    Expert,
    Review,
)
from dobry.grants.selectors import divergence_pending
from dobry.organizations.models import Membership

R = Review.Status


def lock_review(review: Review) -> Review:
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


def excluded_experts(application: Application) -> set[int]:
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


def pick_experts(loads: Counter[int], excluded: set[int], count: int) -> list[int]:
    """The `count` least-loaded experts outside `excluded`, ties by seat order."""
    free = sorted((load, pk) for pk, load in loads.items() if pk not in excluded)
    return [pk for _load, pk in free[:count]]


def create_reviews(
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
        criteria = rule_criteria(competition.criteria.all())
        needs = []
        for application in competition.applications.admitted().select_related("competition"):
            counted = list(application.reviews.active())
            missing = competition.experts_per_application - sum(
                1 for r in counted if not r.for_divergence
            )
            # the extra expert for diverging totals, when none was free at the time
            extra = divergence_pending(counted, criteria, competition.divergence_percent)
            if missing > 0 or extra:
                excluded = excluded_experts(application)
                needs.append((len(set(loads) - excluded), application, missing, extra, excluded))
        created: list[Review] = []
        shortages = []
        for _free, application, missing, extra, excluded in sorted(
            needs, key=lambda n: (n[0], n[1].pk)
        ):
            wanted = max(missing, 0) + int(extra)
            chosen = pick_experts(loads, excluded, wanted)
            if len(chosen) < wanted:
                shortages.append(application.number)
            for pk in chosen:
                loads[pk] += 1
            regular, divergence = chosen[: max(missing, 0)], chosen[max(missing, 0) :]
            created += create_reviews(application, regular)
            created += create_reviews(application, divergence, for_divergence=True)
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
        counted, rule_criteria(competition.criteria.all()), competition.divergence_percent
    )
    with transaction.atomic():
        (review,) = create_reviews(application, [expert.pk], for_divergence=extra, due_at=due)
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
    DomainError at `due_on` for a day in the past, too far ahead or after the results day."""
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
    due = chosen_due_at(due_on, competition=competition)
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
        review = lock_review(review)
        if review.status == R.SUBMITTED:
            raise InvalidTransition(_("Оценка уже отправлена: снять эксперта нельзя."))
        log_action(
            actor=actor,
            action="application.review_unassign",
            obj=review.application,
            data={"expert": review.expert.user_id},
        )
        review.delete()


def rule_criteria(criteria: Iterable[Criterion]) -> list[rules.Criterion]:
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
    criteria = rule_criteria(competition.criteria.all())
    if divergence_pending(reviews, criteria, competition.divergence_percent):
        extra = pick_experts(expert_loads(competition), excluded_experts(application), 1)
        create_reviews(application, extra, for_divergence=True)
        log_action(
            actor=None,
            action="application.divergence",
            obj=application,
            data={"totals": [str(t) for t in totals], "added": extra},
        )
    return application.score
