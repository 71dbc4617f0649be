"""The hours ledger: pending entries from attendance or claims, confirmed by organisers."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import hours_passed_in_day, local_today
from dobry.core.dates import day_text
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.locking import locked
from dobry.core.numbers import plain_number
from dobry.core.references import Reference
from dobry.core.validators import require_fact_date
from dobry.organizations.areas import Area
from dobry.organizations.models import Membership, Organization
from dobry.volunteering import notifications as kinds
from dobry.volunteering import permissions
from dobry.volunteering.models import (
    HOURS_WORKFLOW,
    HoursEntry,
)

if TYPE_CHECKING:
    from dobry.events.models import Registration

# What one claim or one decision may hold — the claim form, the decision form and the API
# all take these (`hours_amount` is the rule): from a quarter of an hour to a whole day, in
# steps of a hundredth of an hour (the forms' `step`, two decimal places).
MIN_HOURS_PER_ENTRY = Decimal("0.25")
MAX_HOURS_PER_ENTRY = Decimal("24")
HOURS_DECIMAL_PLACES = 2
HOURS_STEP = Decimal(1).scaleb(-HOURS_DECIMAL_PLACES)
# A person's hours on one city day, from every source (claims, attendance, the paper list,
# help requests) — pending and confirmed alike: a day has no more hours than this.
MAX_HOURS_PER_DAY = Decimal("24")


def hours_amount(value: object) -> Decimal:
    """Hours a person typed (a claim, an adjusted decision), checked for meaning: a number
    from `MIN_HOURS_PER_ENTRY` to `MAX_HOURS_PER_ENTRY` in steps of `HOURS_STEP`. Raises
    DomainError on `hours` otherwise — the one rule behind the forms and the API."""
    try:
        hours = Decimal(str(value))
        if not hours.is_finite():  # «NaN» refuses to compare, «Infinity» to quantize
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise DomainError(
            _("Укажите число часов."), field_errors={"hours": [_("Нужно число.")]}
        ) from None
    bounds = {
        "min": number_format(MIN_HOURS_PER_ENTRY),
        "max": number_format(MAX_HOURS_PER_ENTRY),
    }
    if not MIN_HOURS_PER_ENTRY <= hours <= MAX_HOURS_PER_ENTRY:
        raise DomainError(
            _("Часов должно быть не меньше %(min)s и не больше %(max)s.") % bounds,
            field_errors={"hours": [_("От %(min)s до %(max)s.") % bounds]},
        )
    if hours != hours.quantize(HOURS_STEP):
        raise DomainError(
            _("Часы указывают с точностью до сотых."),
            field_errors={"hours": [_("Не больше двух знаков после запятой.")]},
        )
    return hours.quantize(HOURS_STEP)


@contextmanager
def hours_guard(user: User) -> Iterator[User]:
    """A transaction in which nobody else adds hours for `user`: the person's row is locked
    (`core.locking`), so two claims sent at once cannot both fit into the same day's 24
    hours. Every write of hours to the ledger runs inside it."""
    with locked(User.objects.all(), user.pk) as row:
        yield row


def day_hours(user: User, day: date, *, exclude: HoursEntry | None = None) -> Decimal:
    """The person's hours on the city day `day`, pending and confirmed, from every source."""
    entries = HoursEntry.objects.filter(user=user, date=day).exclude(
        status=HoursEntry.Status.DECLINED
    )
    if exclude is not None:
        entries = entries.exclude(pk=exclude.pk)
    total = entries.aggregate(total=Sum("hours"))["total"]
    return Decimal(total or 0)


def _day_limit(day: date) -> Decimal:
    """What the city's day `day` can hold by now: 24 h for a past day, only the hours since
    local midnight today (nobody has worked 8 h by 06:00)."""
    return min(MAX_HOURS_PER_DAY, hours_passed_in_day(day))


def _room_in_day(user: User, day: date, *, exclude: HoursEntry | None = None) -> Decimal:
    return max(_day_limit(day) - day_hours(user, day, exclude=exclude), Decimal("0"))


def _day_full(day: date, room: Decimal) -> DomainError:
    limit = _day_limit(day)
    if limit < MAX_HOURS_PER_DAY:
        message = _(
            "Сегодня по местному времени прошло только %(passed)s ч, из них уже учтено "
            "%(taken)s ч: можно добавить не больше %(room)s ч."
        ) % {
            "passed": plain_number(limit),
            "taken": plain_number(limit - room),
            "room": plain_number(room),
        }
        return DomainError(message, field_errors={"hours": [message]})
    message = _(
        "За %(day)s уже учтено %(taken)s ч, а в сутках не больше 24 часов: "
        "можно добавить не больше %(room)s ч."
    ) % {
        "day": day_text(day),
        "taken": plain_number(MAX_HOURS_PER_DAY - room),
        "room": plain_number(room),
    }
    return DomainError(message, field_errors={"hours": [message]})


def _refuse_future(day: date) -> None:
    """Hours are credited only once worked: a day still to come is refused at `day`."""
    if day > local_today():
        raise DomainError(
            _("Дата не может быть в будущем."), field_errors={"day": [_("Дата в будущем.")]}
        )


def _fitted_to_day(user: User, day: date, hours: Decimal, *, trim_to_day: bool) -> Decimal:
    """`hours` if the day still holds them; else refused at `hours` — or, `trim_to_day`, what
    is left of the day (0 when it is full). Inside `hours_guard(user)`."""
    room = _room_in_day(user, day)
    if hours <= room:
        return hours
    if not trim_to_day:
        raise _day_full(day, room)
    return room


def _decided_at_once(confirmed_by: User | None) -> dict[str, Any]:
    """The fields of an entry confirmed as it is recorded (none for a pending one)."""
    if confirmed_by is None:
        return {}
    return {
        "status": HoursEntry.Status.CONFIRMED,
        "decided_by": confirmed_by,
        "decided_at": timezone.now(),
    }


def hours_record(
    *,
    user: User,
    organization: Organization,
    day: date,
    hours: Decimal,
    source: str,
    area: str = "",
    description: str = "",
    registration: "Registration | None" = None,
    origin: Reference | None = None,
    trim_to_day: bool = False,
    confirmed_by: User | None = None,
) -> HoursEntry | None:
    """An entry in the ledger (from attendance, a claim or a help request — `origin`, the
    record of a higher app it was given for), pending unless `confirmed_by` confirms it at
    once. Raises DomainError for a day still to come (hours
    are credited only once worked) and for hours past MAX_HOURS_PER_DAY on that day — or,
    with `trim_to_day` (recorded attendance, which happened whatever was claimed), credits
    only what is left of the day, and nothing when the day is full (returns None)."""
    _refuse_future(day)
    with hours_guard(user):
        hours = _fitted_to_day(user, day, hours, trim_to_day=trim_to_day)
        if hours <= 0:
            return None
        entry = HoursEntry(
            user=user,
            organization=organization,
            registration=registration,
            date=day,
            hours=hours,
            claimed_hours=hours,
            area=area,
            description=description,
            source=source,
            **_decided_at_once(confirmed_by),
        )
        entry.origin = origin
        entry.save()
        log_action(
            actor=user,
            action="hours.record",
            obj=entry,
            data={"hours": str(hours), "source": source},
        )
    return entry


def _claimed_already(
    user: User, organization: Organization, day: date, area: str
) -> HoursEntry | None:
    return (
        HoursEntry.objects.filter(
            user=user,
            organization=organization,
            date=day,
            area=area,
            source=HoursEntry.Source.CLAIM,
            registration__isnull=True,
        )
        .exclude(status=HoursEntry.Status.DECLINED)
        .first()
    )


def claim_earliest_day(today: date | None = None) -> date:
    """The earliest day hours may be claimed for: 1 January of the previous year on the
    city's clock. A claim is help a person remembers and an organisation can still check;
    the year's hours are reported in the next (the record book, the passport's results for
    the last full year), so last year stays open all through this one — and no longer."""
    today = today or local_today()
    return date(today.year - 1, 1, 1)


def _check_claim(*, organization: Organization, day: date, description: str, area: str) -> str:
    """What a claim must be before the ledger is locked: for an organisation verified now,
    with a description, for a day that has come and is not before `claim_earliest_day`, in
    a known area (DomainError at the field otherwise). Returns the description as stored."""
    if organization.status != Organization.Status.VERIFIED:
        message = _(
            "Организация ещё не проверена координаторами: часы ей можно заявить после проверки."
        )
        raise DomainError(message, field_errors={"organization": [message]})
    description = description.strip()
    if not description:
        raise DomainError(
            _("Опишите, что вы сделали."), field_errors={"description": [_("Обязательное поле.")]}
        )
    _refuse_future(day)
    require_fact_date(day, field="day", earliest=claim_earliest_day())
    if area and area not in Area.values:
        raise DomainError(
            _("Неизвестное направление."), field_errors={"area": [_("Выберите из списка.")]}
        )
    return description


def _refuse_second_claim(user: User, organization: Organization, day: date, area: str) -> None:
    """One claim per day, organisation and area while the first stands (at `day`); read
    under the person's lock, so two identical claims sent at once find each other."""
    if _claimed_already(user, organization, day, area) is not None:
        message = _(
            "Вы уже заявили часы за %(day)s этой организации по этому направлению: "
            "дождитесь решения по той заявке."
        ) % {"day": day_text(day)}
        raise DomainError(message, field_errors={"day": [message]})


def _tell_deciders(organization: Organization, entry: HoursEntry) -> None:
    """The organisation's owners and editors decide a claim: they are told of it."""
    notify(
        kinds.HOURS_CLAIMED,
        User.objects.filter(
            memberships__organization=organization,
            memberships__role__in=(Membership.Role.OWNER, Membership.Role.EDITOR),
        ),
        {"entry": entry},
    )


def hours_claim(
    *,
    user: User,
    organization: Organization,
    day: date,
    hours: object,
    description: str,
    area: str = "",
) -> HoursEntry:
    """A volunteer claims hours for help given outside the platform; the organisation
    decides. One claim per day, organisation and area (a second is refused while the first
    stands), and never past 24 hours on the day from all sources (`hours_record`): raises
    DomainError naming the field. The page and the API call this one service. Only an
    organisation verified now takes claims (one awaiting review or returned: DomainError at
    `organization`, saying so)."""
    description = _check_claim(
        organization=organization, day=day, description=description, area=area
    )
    amount = hours_amount(hours)
    with hours_guard(user):
        _refuse_second_claim(user, organization, day, area)
        entry = hours_record(
            user=user,
            organization=organization,
            day=day,
            hours=amount,
            source=HoursEntry.Source.CLAIM,
            area=area,
            description=description,
        )
        assert entry is not None  # a claim is refused, never trimmed
        _tell_deciders(organization, entry)
    return entry


def _check_confirmable(entry: HoursEntry) -> None:
    """Hours of a day still to come, or of a shift whose registration was cancelled, are
    not confirmed (DomainError, InvalidTransition)."""
    if entry.date > local_today():
        raise DomainError(_("Часы за будущую дату подтвердить нельзя."))
    if entry.source == HoursEntry.Source.CLAIM and entry.date < claim_earliest_day():
        raise DomainError(
            _("Заявку на часы за %(day)s подтвердить нельзя: часы заявляют не раньше %(first)s.")
            % {"day": day_text(entry.date), "first": day_text(claim_earliest_day())}
        )
    shift_registration = entry.registration
    if (
        shift_registration is not None
        and shift_registration.status != shift_registration.Status.CONFIRMED
    ):
        raise InvalidTransition(_("Запись на смену отменена: часы подтвердить нельзя."))


def _confirmed_hours(*, actor: User, entry: HoursEntry, hours: object, reason: str) -> Decimal:
    """The hours to confirm: the entry's own, or `hours` typed by the organiser — another
    number is the move «adjust», which needs a reason, and must fit the person's day with
    their other hours (DomainError at `hours`)."""
    if hours is None:
        return entry.hours
    new_hours = hours_amount(hours)
    if new_hours != entry.hours:
        HOURS_WORKFLOW.check_for(
            actor,
            entry,
            "adjust",
            permissions.can_decide_hours,
            reason=reason,
        )
        with hours_guard(entry.user):
            room = _room_in_day(entry.user, entry.date, exclude=entry)
        if new_hours > room:
            raise _day_full(entry.date, room)
    return new_hours


def hours_confirm(
    *, actor: User, entry: HoursEntry, hours: object = None, reason: str = "", thanks: str = ""
) -> HoursEntry:
    """Confirm an entry as it is, or adjusted — an adjustment needs a reason. Nobody
    confirms their own hours (an editor who volunteered waits for another editor or a
    coordinator): raises PermissionDenied (a DomainError, 403 in the API)."""
    with transaction.atomic():
        entry = (
            HoursEntry.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=entry.pk)
        )
        # who may decide is a 403 in the API (one's own hours, another organisation's)
        HOURS_WORKFLOW.check_for(actor, entry, "confirm", permissions.can_decide_hours)
        _check_confirmable(entry)
        entry.hours = _confirmed_hours(actor=actor, entry=entry, hours=hours, reason=reason)
        entry.status = HoursEntry.Status.CONFIRMED
        entry.reason = reason.strip()
        entry.thanks = thanks.strip()
        entry.decided_by = actor
        entry.decided_at = timezone.now()
        entry.save()
        log_action(
            actor=actor,
            action="hours.confirm",
            obj=entry,
            data={
                "hours": str(entry.hours),
                "claimed": str(entry.claimed_hours),
                "reason": entry.reason,
            },
        )
        notify(kinds.HOURS_CONFIRMED, [entry.user], {"entry": entry})
    return entry


def hours_decline(*, actor: User, entry: HoursEntry, reason: str) -> HoursEntry:
    """Decline an entry; the reason is required and told to the volunteer."""
    reason = reason.strip()
    with transaction.atomic():
        entry = (
            HoursEntry.objects.select_for_update(of=("self",))
            .select_related("organization")
            .get(pk=entry.pk)
        )
        HOURS_WORKFLOW.check_for(
            actor,
            entry,
            "decline",
            permissions.can_decide_hours,
            reason=reason,
        )
        entry.status = HoursEntry.Status.DECLINED
        entry.reason = reason
        entry.decided_by = actor
        entry.decided_at = timezone.now()
        entry.save()
        log_action(actor=actor, action="hours.decline", obj=entry, data={"reason": reason})
        notify(kinds.HOURS_DECLINED, [entry.user], {"entry": entry, "reason": reason})
    return entry


def hours_decide(
    *,
    actor: User,
    entry: HoursEntry,
    decision: str,
    hours: object = None,
    reason: str = "",
    thanks: str = "",
) -> HoursEntry:
    """One of the moves of `HOURS_WORKFLOW` by its name (the button pressed): «confirm»
    or «adjust» (with other hours) confirm, «decline» declines. Raises DomainError for a
    name the workflow does not know."""
    move = HOURS_WORKFLOW.move(decision)
    if move.target == HoursEntry.Status.DECLINED:
        return hours_decline(actor=actor, entry=entry, reason=reason)
    return hours_confirm(actor=actor, entry=entry, hours=hours, reason=reason, thanks=thanks)
