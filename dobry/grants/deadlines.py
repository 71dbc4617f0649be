"""When a review is due. Every review has its own due time (`Review.due_at`): the
competition's review deadline for the experts assigned while the review runs, and, for a
replacement assigned once that deadline has passed (after a recusal, a conflict declared
late, a divergence, or by the organisers), the end of a city day the organisers choose —
by default `REPLACEMENT_WORKING_DAYS` working days after the assignment.

Working days are those of the production calendar (`grants.agreements.calendar`: the
public holidays of the `holidays` library and the government's yearly transfers of days
off that staff keep); the default is a proposal, and the organisers set another day."""

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.core.clock import local_date, local_moment, local_today
from dobry.core.dates import day_text, moment_text
from dobry.core.errors import DomainError
from dobry.grants.agreements.calendar import add_working_days
from dobry.grants.models import Competition

REPLACEMENT_WORKING_DAYS = 5
# A replacement may be given at most this long; a later day is a typing slip.
LONGEST_EXTENSION = timedelta(days=90)
# A chosen day ends for the review at this time on the city's clock.
DUE_TIME = time(23, 59)


def _results_cap(competition: Competition | None, today: date) -> date | None:
    """The last day a review may be due: the competition's results day, while it is ahead
    (results announced on a day cannot wait for reviews due after it). None once it has
    passed with the results not yet out — then no day is held back."""
    if competition is None or competition.results_on < today:
        return None
    return competition.results_on


def default_replacement_day(
    today: date | None = None, competition: Competition | None = None
) -> date:
    """The day a replacement is due unless the organisers choose another:
    `REPLACEMENT_WORKING_DAYS` working days on, but not after the results day."""
    today = today or local_today()
    day = add_working_days(today, REPLACEMENT_WORKING_DAYS)
    cap = _results_cap(competition, today)
    return min(day, cap) if cap is not None else day


def due_moment(day: date) -> datetime:
    """The moment (aware, UTC) a review chosen to be due on the city's `day` ends."""
    return local_moment(day, DUE_TIME).astimezone(UTC)


def after_review_deadline(competition: Competition, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= competition.review_deadline


def review_due_at(
    competition: Competition, due_on: date | None = None, *, now: datetime | None = None
) -> datetime:
    """The due time of a review assigned now: the competition's deadline while the review
    runs; after it, the end of `due_on` (default: `REPLACEMENT_WORKING_DAYS` working days
    on). Raises DomainError at `due_on` for a day chosen before the deadline, in the past
    or too far ahead."""
    moment = now or timezone.now()
    if not after_review_deadline(competition, moment):
        if due_on is not None:
            raise DomainError(
                _("До окончания экспертизы эксперты оценивают в общий срок конкурса."),
                field_errors={
                    "due_on": [
                        _("Срок назначают заменяющему эксперту после %(deadline)s.")
                        % {"deadline": moment_text(competition.review_deadline)}
                    ]
                },
            )
        return competition.review_deadline
    day = due_on or default_replacement_day(local_date(moment), competition)
    return chosen_due_at(day, now=moment, competition=competition)


def chosen_due_at(
    day: date, *, now: datetime | None = None, competition: Competition | None = None
) -> datetime:
    """The end of the city's `day` as a review's due time: not past, at most
    `LONGEST_EXTENSION` ahead, and not after `competition`'s results day while that is
    ahead. Raises DomainError at `due_on` otherwise."""
    moment = now or timezone.now()
    due = due_moment(day)
    cap = _results_cap(competition, local_date(moment))
    problem = ""
    if due <= moment:
        problem = _("Срок — не раньше сегодняшнего дня.")
    elif day > local_date(moment) + LONGEST_EXTENSION:
        days = LONGEST_EXTENSION.days
        problem = ngettext(
            "Срок — не дальше чем через %(days)s день.",
            "Срок — не дальше чем через %(days)s дней.",
            days,
        ) % {"days": days}
    elif cap is not None and day > cap:
        problem = _("Срок — не позже дня итогов конкурса (%(day)s).") % {"day": day_text(cap)}
    if problem:
        raise DomainError(problem, field_errors={"due_on": [problem]})
    return due
