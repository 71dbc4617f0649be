"""What a competition's stage allows, whoever asks: the workflow half of every organiser's
action. Services refuse with the reason (`require`), `permissions` adds who may act, and
the pages offer an action exactly when both allow it.

Stages: draft → published (applications, screening, review, allocation) → decided (the
commission's decision is fixed) → results (published)."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import local_date
from dobry.core.errors import InvalidTransition
from dobry.core.permissions import ALLOW, Decision, deny
from dobry.grants.models import (
    COMPETITION_WORKFLOW,
    REVIEW_WORKFLOW,
    Application,
    Competition,
    Review,
)

S = Competition.Status
BEFORE_DECISION = (S.DRAFT, S.PUBLISHED)


def require(decision: Decision) -> None:
    """Raise the refusal a service gives when the stage does not allow the action."""
    if not decision:
        raise InvalidTransition(str(decision.reason))


def _undecided(competition: Competition) -> Decision:
    if competition.status == S.RESULTS:
        return deny(_("Итоги конкурса опубликованы: это уже не меняется."))
    if competition.status == S.DECIDED:
        return deny(_("Решение по конкурсу принято: это уже не меняется."))
    return ALLOW


def terms(competition: Competition) -> Decision:
    """The terms change until the commission decides."""
    return _undecided(competition)


def _status_move(competition: Competition, name: str) -> Decision:
    """The status move `name` of `COMPETITION_WORKFLOW` from where the competition is: the
    table decides, and a refusal says the move's own `refused`."""
    move = COMPETITION_WORKFLOW.move(name)
    if competition.status in move.sources:
        return ALLOW
    assert move.refused is not None  # each competition move says why it is refused
    return deny(move.refused)


def announcement(competition: Competition) -> Decision:
    return _status_move(competition, "announce")


def criteria_locked_by_scores(competition: Competition) -> bool:
    return Review.objects.filter(
        application__competition=competition, status=Review.Status.SUBMITTED
    ).exists()


def criteria(competition: Competition) -> Decision:
    """Criteria and weights change until the first expert submits a score."""
    undecided = _undecided(competition)
    if not undecided:
        return undecided
    if criteria_locked_by_scores(competition):
        return deny(_("Эксперты уже ставят оценки: критерии менять нельзя."))
    return ALLOW


def expert_pool(competition: Competition) -> Decision:
    """Experts join and leave the pool until the decision."""
    return _undecided(competition)


def screening(competition: Competition) -> Decision:
    """Admission is decided while the competition runs, not after the commission."""
    undecided = _undecided(competition)
    if not undecided:
        return undecided
    if competition.status != S.PUBLISHED:
        return deny(_("Конкурс ещё не объявлен."))
    return ALLOW


def assignment(competition: Competition) -> Decision:
    """Experts are given applications in bulk while the review is open; after it, one by
    one as replacements with their own due day (`expert_assignment`)."""
    running = screening(competition)
    if running and timezone.now() >= competition.review_deadline:
        return deny(
            _(
                "Срок экспертизы истёк: заменяющего эксперта назначают на странице заявки "
                "(«Допуск и эксперты»), со своим сроком."
            )
        )
    return running


def expert_assignment(competition: Competition) -> Decision:
    """The organisers put a particular expert on an application, and set a replacement's
    due day, until the commission decides: after the review deadline that expert is a
    replacement with their own due time (`grants.deadlines`)."""
    return screening(competition)


def allocation(competition: Competition) -> Decision:
    """Allocation runs once applications are closed and until the commission decides."""
    running = screening(competition)
    if running and timezone.now() < competition.applications_close:
        return deny(_("Распределять гранты можно после окончания приёма заявок."))
    return running


def meeting(competition: Competition) -> Decision:
    """The commission meets (again, when a meeting lacked a quorum) before its decision."""
    return screening(competition)


def decision(competition: Competition) -> Decision:
    """The commission decides on the final allocation, once."""
    running = screening(competition)
    if running and not (move := _status_move(competition, "decide")):
        return move
    if running and not competition.allocation_runs.filter(final=True).exists():
        return deny(_("Сначала сделайте итоговое распределение."))
    return running


def editing(application: Application, now: datetime | None = None) -> Decision:
    """The applicant changes a draft (or a withdrawn application) until the call closes,
    an application returned for correction until its own deadline."""
    moment = now or timezone.now()
    if application.status not in Application.EDITABLE:
        return deny(_("Поданную заявку изменить нельзя: сначала отзовите её."))
    if application.status == Application.Status.RETURNED:
        if application.returned_until and moment >= application.returned_until:
            return deny(_("Срок доработки заявки истёк."))
    elif moment >= application.competition.applications_close:
        return deny(_("Приём заявок закончился: заявку изменить нельзя."))
    return ALLOW


def stage_label(
    competition: Competition, now: datetime | None = None, *, staff: bool = False
) -> str:
    """The competition's state in words at its latest stage: «объявлен» says little once
    the call has closed. Past the call, the public reads the workflow's public name (a
    decision taken is «подводятся итоги» until the results are published), the
    organisers the staff name."""
    if competition.status != S.PUBLISHED:
        if staff:
            return COMPETITION_WORKFLOW.staff_name(competition.status)
        return COMPETITION_WORKFLOW.public_name(competition.status)
    moment = now or timezone.now()
    if moment < competition.applications_open:
        day = local_date(competition.applications_open).strftime("%d.%m.%Y")
        return str(_("объявлен, приём заявок с %(day)s") % {"day": day})
    if moment < competition.applications_close:
        return str(_("идёт приём заявок"))
    if moment < competition.review_deadline:
        return str(_("приём заявок закончен, идёт экспертиза"))
    return str(_("экспертиза закончена, подводятся итоги"))


def review_label(review: Review, now: datetime | None = None) -> str:
    """A review's state in words: «назначена» no longer, once its own time is over."""
    competition = review.application.competition
    if review.status == Review.Status.ASSIGNED and (
        competition.status in (S.DECIDED, S.RESULTS) or review.overdue(now)
    ):
        return str(_("не оценена: срок экспертизы истёк"))
    return REVIEW_WORKFLOW.staff_name(review.status)


def publication(competition: Competition) -> Decision:
    if competition.status == S.RESULTS:
        return deny(_("Итоги уже опубликованы."))
    return _status_move(competition, "publish_results")
