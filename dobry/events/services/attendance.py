"""Check-in and check-out by QR or short code, bulk marks from paper lists, and the
pending hours they credit."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.core.clock import local_date
from dobry.core.dates import moment_text
from dobry.core.errors import DomainError, InvalidTransition
from dobry.core.hooks import Hook
from dobry.core.locking import lock_rows
from dobry.events.models import REGISTRATION_WORKFLOW, Event, Registration, Shift
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services.hours import hours_record

QUARTER = Decimal("0.25")
MARKS_REASON_LENGTH = 500  # why the marks were corrected (the audit entry keeps it)

TRAINING_ATTENDED = Hook(
    "events.training_attended",
    arguments="registration: a checked-in Registration of a seminar or webinar",
)


def _round_quarter(hours: Decimal) -> Decimal:
    return (hours / QUARTER).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * QUARTER


def attended_hours(shift: Shift, arrived: datetime, left: datetime) -> Decimal:
    """The hours a person worked on the shift: the overlap of [arrived, left] with [start,
    end] of the shift, rounded to the quarter hour (half up: 7½ minutes make a quarter).
    Coming early or staying late credits nothing, and a check-in and check-out both before
    the start (or both after the end) are 0 — no hours for time not spent on the shift."""
    overlap = min(left, shift.ends_at) - max(arrived, shift.starts_at)
    if overlap <= timedelta(0):
        return Decimal("0")
    return _round_quarter(Decimal(overlap.total_seconds()) / 3600)


def _primary_area(event: Event) -> str:
    first = event.area_links.order_by("pk").first()
    return first.area if first else ""


def registration_by_code(*, event: Event, code: str) -> Registration:
    """The registration of this event with the short code (case and spaces ignored)."""
    normalized = "".join(code.split()).upper()
    registration = (
        Registration.objects.select_related("user", "shift")
        .filter(shift__event=event, code=normalized)
        .first()
    )
    if registration is None:
        raise DomainError(
            _("Код %(code)s не найден среди записей этого мероприятия.")
            % {"code": normalized or "—"},
            field_errors={"code": [_("Неизвестный код.")]},
        )
    return registration


def _ensure_confirmed(registration: Registration) -> None:
    if registration.status != Registration.Status.CONFIRMED:
        raise InvalidTransition(
            _("Отмечать можно только подтверждённые записи (сейчас: %(status)s).")
            % {"status": REGISTRATION_WORKFLOW.staff_name(registration.status)}
        )


def _training_support(registration: Registration) -> None:
    """Attending a seminar or webinar is support of the organisation the person represents;
    `resources` records it (connected in `dobry.site`)."""
    if registration.shift.event.is_training:
        TRAINING_ATTENDED.send(registration=registration)


def _window(shift: Shift) -> tuple[datetime, datetime]:
    opens = shift.starts_at - timedelta(hours=settings.DOBRY_CHECK_IN_OPENS_HOURS)
    closes = shift.ends_at + timedelta(hours=settings.DOBRY_CHECK_IN_CLOSES_HOURS)
    return opens, closes


def _moment_in_window(shift: Shift, at: datetime | None) -> datetime:
    """The moment to record for a check-in or check-out: now, or `at` given by staff.
    Attendance is recorded only within the window around the shift (from
    DOBRY_CHECK_IN_OPENS_HOURS before its start to DOBRY_CHECK_IN_CLOSES_HOURS after its
    end), and never for a moment still to come — otherwise hours would be credited for a
    shift that has not happened. Raises InvalidTransition outside the window, DomainError
    for a bad `at`."""
    now = timezone.now()
    opens, closes = _window(shift)
    if not opens <= now <= closes:
        raise InvalidTransition(
            _("Отмечать приход и уход можно с %(opens)s до %(closes)s.")
            % {
                "opens": moment_text(opens),
                "closes": moment_text(closes),
            }
        )
    moment = at or now
    if moment > now:
        raise DomainError(
            _("Время отметки не может быть в будущем."), field_errors={"at": [_("В будущем.")]}
        )
    if not opens <= moment <= closes:
        raise DomainError(
            _("Время отметки должно быть в окне смены."), field_errors={"at": [_("Вне окна.")]}
        )
    return moment


def registration_check_in(
    *, actor: User, registration: Registration, at: datetime | None = None
) -> Registration:
    """Mark arrival (now, or at `at`), within the window around the shift."""
    with transaction.atomic():
        # Only the registration's own row (`lock_rows` locks `of=self`): a FOR UPDATE over
        # the join would lock the shift too, after the registration — the opposite of
        # capacity_guard (the shift, then its registrations).
        [registration] = lock_rows(Registration.objects.select_related("shift"), [registration.pk])
        _ensure_confirmed(registration)
        if registration.checked_in_at is not None:
            raise InvalidTransition(_("Волонтёр уже отмечен как пришедший."))
        registration.checked_in_at = _moment_in_window(registration.shift, at)
        registration.save(update_fields=["checked_in_at"])
        log_action(actor=actor, action="registration.check_in", obj=registration)
        _training_support(registration)
    return registration


def _credit(registration: Registration, source: str) -> HoursEntry | None:
    """The pending entry for the time between the registration's check-in and check-out
    that falls within the shift (`attended_hours`); none when that rounds to nothing."""
    shift: Shift = registration.shift
    arrived, left = registration.checked_in_at, registration.checked_out_at
    hours = attended_hours(shift, arrived, left) if arrived and left else Decimal("0")
    if not hours:
        return None
    return hours_record(
        user=registration.user,
        organization=shift.event.organization,
        # The day the person was there (a check-in 2 h before a shift after midnight
        # belongs to the evening before); never a day still to come.
        day=local_date(min(registration.checked_in_at or shift.starts_at, shift.starts_at)),
        hours=hours,
        source=source,
        area=_primary_area(shift.event),
        description=f"{shift.event.title}: {shift.title}",
        registration=registration,
        # The time was spent whatever else was claimed for the day: credit what the day
        # still holds (24 h from all sources) rather than refuse the check-out.
        trim_to_day=True,
    )


def _with_shift_and_person() -> "QuerySet[Registration]":
    return Registration.objects.select_related("shift__event__organization", "user")


def _leaving_moment(registration: Registration, at: datetime | None) -> datetime:
    """The moment of a check-out: in the window (`_moment_in_window`), then `_leaving`."""
    return _leaving(registration, _moment_in_window(registration.shift, at), given=at is not None)


def _leaving(
    registration: Registration, moment: datetime, *, given: bool, field: str = "at"
) -> datetime:
    """`moment` as a check-out: not before the shift starts — leaving before the start is no
    attendance (the marks 10:31–10:31 credited nothing and blocked any later mark) — and not
    before the check-in. Pressed «уход» before the start: InvalidTransition (409); a moment
    `given` before it: DomainError at `field`."""
    shift: Shift = registration.shift
    if moment < shift.starts_at:
        message = _("Уход можно отметить только после начала смены (%(start)s).") % {
            "start": moment_text(shift.starts_at)
        }
        if not given:
            raise InvalidTransition(message)
        raise DomainError(message, field_errors={field: [_("До начала смены.")]})
    if registration.checked_in_at is not None and moment < registration.checked_in_at:
        raise DomainError(
            _("Уход не может быть раньше прихода."), field_errors={field: [_("Раньше прихода.")]}
        )
    return moment


def registration_check_out(
    *, actor: User, registration: Registration, at: datetime | None = None
) -> HoursEntry | None:
    """Mark leaving; the time between check-in and check-out that falls within the shift
    (`attended_hours`, in quarter hours) becomes a pending entry of the hours ledger for
    the organiser to confirm — none when no time of the shift was spent."""
    with transaction.atomic():
        [registration] = lock_rows(_with_shift_and_person(), [registration.pk])
        _ensure_confirmed(registration)
        if registration.checked_in_at is None:
            raise InvalidTransition(_("Сначала отметьте приход."))
        if registration.checked_out_at is not None:
            raise InvalidTransition(_("Уход уже отмечен."))
        moment = _leaving_moment(registration, at)
        registration.checked_out_at = moment
        registration.save(update_fields=["checked_out_at"])
        entry = _credit(registration, HoursEntry.Source.ATTENDANCE)
        log_action(
            actor=actor,
            action="registration.check_out",
            obj=registration,
            data={"hours": str(entry.hours if entry else Decimal("0"))},
        )
    return entry


def attendance_bulk_mark(
    *, actor: User, shift: Shift, registrations: Iterable[Registration]
) -> list[HoursEntry]:
    """Mark people from a paper list as present until the end of the shift: each gets the
    shift's time from its start (or their own later check-in) as a pending entry. People already marked are left as they are. Only
    once the shift has ended: the hours must not be credited before they are worked."""
    if timezone.now() < shift.ends_at:
        raise InvalidTransition(_("Отметить всех по списку можно после окончания смены."))
    registrations = list(registrations)
    if any(registration.shift_id != shift.pk for registration in registrations):
        raise DomainError(_("Запись относится к другой смене."))
    entries = []
    with transaction.atomic():
        # All the rows at once, in key order: two lists marked at the same time take them
        # in the same order whatever order the people were ticked in.
        for registration in lock_rows(_with_shift_and_person(), [r.pk for r in registrations]):
            _ensure_confirmed(registration)
            if registration.checked_out_at is not None:
                continue
            registration.checked_in_at = registration.checked_in_at or shift.starts_at
            registration.checked_out_at = shift.ends_at
            registration.save(update_fields=["checked_in_at", "checked_out_at"])
            entry = _credit(registration, HoursEntry.Source.BULK)
            if entry is not None:
                entries.append(entry)
            _training_support(registration)
        log_action(
            actor=actor,
            action="attendance.bulk_mark",
            obj=shift,
            data={"registrations": [e.registration_id for e in entries]},
        )
    return entries


def registration_correct_marks(
    *,
    actor: User,
    registration: Registration,
    checked_in_at: datetime,
    checked_out_at: datetime | None,
    reason: str,
) -> HoursEntry | None:
    """The organiser corrects a registration's attendance marks (a check-out pressed too
    early, a forgotten one): arrival and leaving as `registration_check_in`/`_check_out`
    accept them (in the shift's window, not in the future; leaving after the start and not
    before arrival). The pending hours entry of the registration is replaced by one for the
    corrected time; hours the organisation already confirmed or declined are not changed
    here (InvalidTransition, 409: adjust them in the hours queue). Audited
    (`registration.correct_marks`: the marks before and after, the hours, the reason)."""
    with transaction.atomic():
        [registration] = lock_rows(_with_shift_and_person(), [registration.pk])
        _ensure_confirmed(registration)
        entry = HoursEntry.objects.filter(registration=registration).first()
        if entry is not None and entry.status != HoursEntry.Status.PENDING:
            raise InvalidTransition(
                _("Часы по этой записи уже рассмотрены: исправьте их в очереди часов.")
            )
        before = [registration.checked_in_at, registration.checked_out_at]
        registration.checked_in_at = _corrected(registration.shift, checked_in_at, "checked_in_at")
        registration.checked_out_at = None
        if checked_out_at is not None:
            leaving = _corrected(registration.shift, checked_out_at, "checked_out_at")
            registration.checked_out_at = _leaving(
                registration, leaving, given=True, field="checked_out_at"
            )
        registration.save(update_fields=["checked_in_at", "checked_out_at"])
        if entry is not None:
            entry.delete()
        new_entry = _credit(registration, HoursEntry.Source.ATTENDANCE)
        log_action(
            actor=actor,
            action="registration.correct_marks",
            obj=registration,
            data={
                "from": [moment.isoformat() if moment else None for moment in before],
                "to": [
                    moment.isoformat() if moment else None
                    for moment in (registration.checked_in_at, registration.checked_out_at)
                ],
                "hours": str(new_entry.hours if new_entry else Decimal("0")),
                "reason": reason,
            },
        )
    return new_entry


def _corrected(shift: Shift, moment: datetime, field: str) -> datetime:
    """A corrected mark: within the shift's window and not in the future, as a mark given by
    staff (`_moment_in_window`) — but it may be corrected after the window has closed.
    Raises DomainError at `field`."""
    opens, closes = _window(shift)
    if moment > timezone.now():
        raise DomainError(
            _("Время отметки не может быть в будущем."), field_errors={field: [_("В будущем.")]}
        )
    if not opens <= moment <= closes:
        raise DomainError(
            _("Время отметки должно быть в окне смены."), field_errors={field: [_("Вне окна.")]}
        )
    return moment
