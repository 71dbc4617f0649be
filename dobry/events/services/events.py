"""The lifecycle of events and their shifts: draft → published → cancelled."""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.communications.services import notify
from dobry.core.audit import log_action
from dobry.core.clock import local_add, local_date
from dobry.core.errors import DomainError, PermissionDenied
from dobry.core.hooks import Hook
from dobry.core.request_values import LAST_DATE
from dobry.core.text_limits import require_within_limits, text_limit
from dobry.core.uploads import Upload, public_image, validate_document
from dobry.core.validators import plan_date_error
from dobry.events import notifications as kinds
from dobry.events import permissions
from dobry.events.models import (
    EVENT_WORKFLOW,
    MAX_MIN_AGE,
    REGISTRATION_WORKFLOW,
    Event,
    EventArea,
    EventMaterial,
    EventSeries,
    Registration,
    Shift,
)
from dobry.events.services.registrations import free_places_refill
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization
from dobry.volunteering.models import Qualification

EVENT_FIELDS = (
    "kind",
    "title",
    "summary",
    "description",
    "place",
    "address",
    "district",
    "online_url",
    "accessibility",
    "wheelchair_accessible",
    "cancellation_deadline_hours",
)
SHIFT_FIELDS = (
    "title",
    "tasks",
    "starts_at",
    "ends_at",
    "capacity",
    "min_age",
    "open_to_minors",
    "requires_approval",
)
# Changes to these are "material": registered volunteers are told about them.
MATERIAL_FIELDS = ("place", "address", "online_url")
MATERIAL_SHIFT_FIELDS = ("starts_at", "ends_at")
# What a calendar shows of a shift: a change raises its SEQUENCE (see events/calendar.py).
CALENDAR_FIELDS = (*MATERIAL_FIELDS, "title", "summary", "description")
CALENDAR_SHIFT_FIELDS = (*MATERIAL_SHIFT_FIELDS, "title")

E = Event.Status


def _set_fields(obj: Any, allowed: tuple[str, ...], fields: Mapping[str, Any]) -> list[str]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise DomainError(_("Неизвестные поля: %s.") % ", ".join(sorted(unknown)))
    changed = []
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(obj, name) != value:
            changed.append(name)
        setattr(obj, name, value)
    return changed


def _set_areas(event: Event, areas: Iterable[str]) -> None:
    wanted = set(areas)
    if wanted - set(Area.values):
        raise DomainError(
            _("Неизвестные направления деятельности."),
            field_errors={"areas": [_("Выберите направления из списка.")]},
        )
    event.area_links.exclude(area__in=wanted).delete()
    existing = set(event.area_links.values_list("area", flat=True))
    EventArea.objects.bulk_create(EventArea(event=event, area=a) for a in wanted - existing)


def _refresh_dates(event: Event) -> None:
    bounds = event.shifts.aggregate(start=Min("starts_at"), end=Max("ends_at"))
    event.starts_at, event.ends_at = bounds["start"], bounds["end"]
    event.save(update_fields=["starts_at", "ends_at"])


def event_create(
    *,
    actor: User,
    organization: Organization,
    fields: Mapping[str, Any],
    areas: Iterable[str] = (),
    cover: Upload | None = None,
    shifts: Iterable[Mapping[str, Any]] = (),
    publish: bool = False,
) -> Event:
    """A draft event of the organisation, with its first `shifts` if given (each the
    `SHIFT_FIELDS` and optionally `qualifications`, their codes) and published at once with
    `publish` — all of it or nothing, in one transaction. The page creates a draft and adds
    shifts after; `POST /api/v1/events` sends everything at once.

    Only for an organisation verified now, by its editors (`permissions.can_create_event`:
    PermissionDenied otherwise, whatever the way in). Raises ValidationError at the event's
    or a shift's field (`shift_create`), DomainError for an unknown qualification or a
    publication without shifts (`event_publish`)."""
    _check_can_create(actor, organization)
    with transaction.atomic():
        event = Event(organization=organization, created_by=actor, status=E.DRAFT)
        _set_fields(event, EVENT_FIELDS, fields)
        if cover is not None:
            event.cover = public_image(cover, field="cover")
        event.full_clean()
        event.save()
        _set_areas(event, areas)
        log_action(actor=actor, action="event.create", obj=event)
        for shift in shifts:
            shift_fields = dict(shift)
            codes = shift_fields.pop("qualifications", ())
            shift_create(
                actor=actor,
                event=event,
                fields=shift_fields,
                qualifications=qualifications_by_slug(codes),
            )
        if publish:
            event_publish(actor=actor, event=event)
    return event


def qualifications_by_slug(slugs: Iterable[str]) -> list[Qualification]:
    """The qualifications a shift requires, by their codes; an unknown code is refused
    (DomainError at `qualifications`)."""
    wanted = set(slugs)
    found = list(Qualification.objects.filter(slug__in=wanted))
    if len(found) != len(wanted):
        raise DomainError(
            _("Неизвестная квалификация."),
            field_errors={"qualifications": [_("Неизвестный код квалификации.")]},
        )
    return found


def _check_can_create(actor: User, organization: Organization) -> None:
    decision = permissions.can_create_event(actor, organization)
    if not decision:
        raise PermissionDenied(str(decision.reason))


def _registered_users(event: Event) -> list[User]:
    return list(
        User.objects.filter(
            registrations__shift__event=event,
            registrations__status__in=Registration.ACTIVE,
        ).distinct()
    )


def event_update(
    *,
    actor: User,
    event: Event,
    fields: Mapping[str, Any],
    areas: Iterable[str] | None = None,
    cover: Upload | None = None,
) -> Event:
    """Edit an event; a change of place or link is announced to everyone registered."""
    if event.status == E.CANCELLED:
        raise DomainError(_("Отменённое мероприятие нельзя изменить."))
    with transaction.atomic():
        changed = _set_fields(event, EVENT_FIELDS, fields)
        if cover is not None:
            event.cover = public_image(cover, field="cover")
        event.full_clean()
        event.save()
        if areas is not None:
            _set_areas(event, areas)
        log_action(actor=actor, action="event.update", obj=event, data={"changed": changed})
        if any(name in CALENDAR_FIELDS for name in changed):
            shifts_revise_in_calendars(event.shifts.all())
        material = [name for name in changed if name in MATERIAL_FIELDS]
        if material and event.status == E.PUBLISHED:
            _announce_change(event, material)
    return event


def shifts_revise_in_calendars(shifts: QuerySet[Shift]) -> int:
    """Raise the RFC 5545 SEQUENCE of `shifts` and stamp the moment, so calendars that
    imported them take the change (RFC 5545 §3.8.7.4); returns how many were revised."""
    return shifts.update(
        calendar_sequence=F("calendar_sequence") + 1, calendar_changed_at=timezone.now()
    )


def _announce_change(event: Event, changed: list[str], model: type[Event | Shift] = Event) -> None:
    # The fields' names stay lazy: the notification keeps their source text and each reader
    # sees them in their own language (`communications.rendering`), not the organiser's.
    labels = [getattr(model._meta.get_field(name), "verbose_name", name) for name in changed]
    notify(
        kinds.EVENT_CHANGED,
        _registered_users(event),
        {"event": event, "changes": labels},
        url=event.get_absolute_url(),
    )


# Sent when an event is published, inside the publishing transaction: the site proposes
# it to the city's channels.
EVENT_PUBLISHED = Hook("event.published", arguments="event: Event")


def event_publish(*, actor: User, event: Event) -> Event:
    """An organiser publishes a draft with at least one shift: people may sign up. Only
    while the organisation is verified (`permissions.can_move_event`: PermissionDenied)."""
    if not event.shifts.exists():
        raise DomainError(_("Добавьте хотя бы одну смену, чтобы опубликовать мероприятие."))
    with transaction.atomic():
        move = EVENT_WORKFLOW.check_for(actor, event, "publish", permissions.can_move_event)
        event.status = move.target
        event.published_at = timezone.now()
        event.save(update_fields=["status", "published_at"])
        log_action(actor=actor, action="event.publish", obj=event)
        EVENT_PUBLISHED.send(event=event)
    return event


def event_cancel(*, actor: User, event: Event, reason: str) -> Event:
    """Cancel the event; everyone registered (or waiting) is notified and released."""
    reason = reason.strip()
    with transaction.atomic():
        move = EVENT_WORKFLOW.check_for(
            actor, event, "cancel", permissions.can_move_event, reason=reason
        )
        people = _registered_users(event)
        event.status = move.target
        event.cancel_reason = reason
        event.save(update_fields=["status", "cancel_reason"])
        shifts_revise_in_calendars(event.shifts.all())
        # everyone registered or waiting is released: one UPDATE, an audit entry each
        REGISTRATION_WORKFLOW.move_rows(
            Registration.objects.filter(shift__event=event).select_related("user", "shift__event"),
            "cancel_with_event",
            actor=actor,
            action="registration.cancel_with_event",
            cancelled_at=timezone.now(),
        )
        log_action(actor=actor, action="event.cancel", obj=event, data={"reason": reason})
        notify(
            kinds.EVENT_CANCELLED,
            people,
            {"event": event, "reason": reason},
            url=event.get_absolute_url(),
        )
    return event


# The longest a shift may last. A shift is one stretch of work a volunteer signs up for;
# an event over several days (a festival, a forum) is several shifts, and the event's own
# start and end are the bounds of its shifts (`_refresh_dates`), so this rule holds them too.
MAX_SHIFT_LENGTH = timedelta(hours=24)


def _clean_shift(shift: Shift, *, timed: bool = True, start_moved: bool = True) -> None:
    """Shape of a shift a person can work. `timed`: the shift is new or its time changed —
    then it may not last longer than MAX_SHIFT_LENGTH; `start_moved`: the shift is new or
    its start changed — then it may not start in the past (nor be moved into it). An edit
    that leaves the start alone (a title, the places, a later end) of a shift that has
    begun is allowed. Raises ValidationError naming the field."""
    errors: dict[str, list[str]] = {}
    if shift.starts_at and shift.ends_at:
        if shift.ends_at <= shift.starts_at:
            errors["ends_at"] = [_("Смена должна заканчиваться позже, чем начинается.")]
        elif timed and shift.ends_at - shift.starts_at > MAX_SHIFT_LENGTH:
            errors["ends_at"] = [
                _(
                    "Смена длится не больше 24 часов. Многодневное мероприятие — это "
                    "несколько смен: добавьте по смене на каждый день."
                )
            ]
    if start_moved and shift.starts_at and shift.starts_at < timezone.now():
        errors["starts_at"] = [_("Смена не может начинаться в прошлом.")]
    if shift.capacity is not None and shift.capacity < 1:
        errors["capacity"] = [_("Нужно хотя бы одно место.")]
    if shift.min_age is not None and shift.min_age > MAX_MIN_AGE:
        errors["min_age"] = [_("Проверьте возраст.")]
    if errors:
        raise ValidationError(errors)


def shift_create(
    *, actor: User, event: Event, fields: Mapping[str, Any], qualifications: Iterable[Any] = ()
) -> Shift:
    """A new shift of the event: it ends after it starts, starts no earlier than now and
    lasts at most MAX_SHIFT_LENGTH (ValidationError at the field otherwise)."""
    if event.status == E.CANCELLED:
        raise DomainError(_("Отменённое мероприятие нельзя изменить."))
    with transaction.atomic():
        shift = Shift(event=event)
        _set_fields(shift, SHIFT_FIELDS, fields)
        shift.full_clean()
        _clean_shift(shift)
        shift.save()
        shift.qualifications.set(qualifications)
        _refresh_dates(event)
        log_action(actor=actor, action="shift.create", obj=shift)
    return shift


def shift_update(
    *,
    actor: User,
    shift: Shift,
    fields: Mapping[str, Any],
    qualifications: Iterable[Any] | None = None,
) -> Shift:
    """Edit a shift. A larger capacity offers the new places to the waiting line; a
    capacity below the places already taken is refused; a new time is announced, and
    checked as a new shift's is (not in the past, at most MAX_SHIFT_LENGTH)."""
    with transaction.atomic():
        changed = _set_fields(shift, SHIFT_FIELDS, fields)
        shift.full_clean()
        _clean_shift(
            shift,
            timed=any(name in MATERIAL_SHIFT_FIELDS for name in changed),
            start_moved="starts_at" in changed,
        )
        taken = shift.registrations.holding_place().seats()
        if shift.capacity < taken:
            raise ValidationError(
                {"capacity": [_("Уже занято мест: %(n)s. Меньше сделать нельзя.") % {"n": taken}]}
            )
        shift.save()
        if qualifications is not None:
            shift.qualifications.set(qualifications)
        _refresh_dates(shift.event)
        log_action(actor=actor, action="shift.update", obj=shift, data={"changed": changed})
        if any(name in CALENDAR_SHIFT_FIELDS for name in changed):
            shifts_revise_in_calendars(Shift.objects.filter(pk=shift.pk))
            shift.refresh_from_db(fields=["calendar_sequence", "calendar_changed_at"])
        if "capacity" in changed:
            free_places_refill(shift=shift)
        if (
            any(name in MATERIAL_SHIFT_FIELDS for name in changed)
            and shift.event.status == E.PUBLISHED
        ):
            _announce_change(
                shift.event, [name for name in changed if name in MATERIAL_SHIFT_FIELDS], Shift
            )
    return shift


def shift_delete(*, actor: User, shift: Shift) -> None:
    if shift.registrations.active().exists():
        raise DomainError(
            _("На смену уже записались люди: отмените мероприятие или уменьшите смены иначе.")
        )
    with transaction.atomic():
        event = shift.event
        log_action(actor=actor, action="shift.delete", obj=event, data={"shift": shift.title})
        shift.delete()
        _refresh_dates(event)


def _shift_dates(start: datetime, frequency: str, index: int) -> datetime:
    """The `index`-th repeat of `start`, counted on the city's wall clock (see
    `core.clock.local_add`): a shift at 06:00 local on the 1st repeats monthly at 06:00 on
    the 1st, though in UTC it starts on the last day of the month before."""
    if frequency == EventSeries.Frequency.WEEKLY:
        return local_add(start, timedelta(weeks=index))
    if frequency == EventSeries.Frequency.BIWEEKLY:
        return local_add(start, timedelta(weeks=2 * index))
    return local_add(start, relativedelta(months=index))


def event_repeat(*, actor: User, event: Event, frequency: str, count: int) -> list[Event]:
    """Copy an event with its shifts to the next `count` dates (weekly, every two weeks,
    monthly), as drafts of one series, so a regular activity is entered once. The copies
    are new events: only for an organisation verified now (`permissions.can_create_event`).
    `frequency` is an `EventSeries.Frequency` value, `count` 1 to 52. DomainError for a bad
    frequency or count, an event without shifts, or a first repeat in the past."""
    _check_can_create(actor, event.organization)
    shifts = list(event.shifts.prefetch_related("qualifications"))
    _check_repeat(frequency, count, shifts)
    areas = list(event.area_links.values_list("area", flat=True))
    with transaction.atomic():
        series = event.series or EventSeries.objects.create(frequency=frequency, count=count)
        if event.series_id is None:
            event.series = series
            event.save(update_fields=["series"])
        copies = [
            _event_copy(event, series, areas, shifts, frequency, index)
            for index in range(1, count + 1)
        ]
        log_action(
            actor=actor,
            action="event.repeat",
            obj=event,
            data={"frequency": frequency, "count": count, "copies": [c.pk for c in copies]},
        )
    return copies


def _check_repeat(frequency: str, count: int, shifts: list[Shift]) -> None:
    if frequency not in EventSeries.Frequency.values:
        raise DomainError(
            _("Выберите, как повторять."), field_errors={"frequency": [_("Выберите из списка.")]}
        )
    if not 1 <= count <= 52:
        raise DomainError(
            _("Повторить можно от 1 до 52 раз."), field_errors={"count": [_("От 1 до 52.")]}
        )
    if not shifts:
        raise DomainError(_("Сначала добавьте смены."))
    first_copy = min(_shift_dates(shift.starts_at, frequency, 1) for shift in shifts)
    if first_copy < timezone.now():
        # A repeat makes new shifts, and no new shift starts in the past (`_clean_shift`).
        raise DomainError(
            _("Повторы попали бы в прошлое: повторяйте мероприятие, которое ещё впереди."),
            field_errors={"frequency": [_("Первый повтор — в прошлом.")]},
        )
    last_copy = max(_shift_dates(shift.ends_at, frequency, count) for shift in shifts)
    # The last repeat is a plan too: not past the supported range (a monthly repeat from
    # 2100-12-20 made a publishable occurrence in 2101).
    beyond = plan_date_error(local_date(last_copy))
    if beyond:
        message = _("Последний повтор вышел бы за %(last)s: сделайте меньше повторов.") % {
            "last": LAST_DATE.strftime("%d.%m.%Y")
        }
        raise DomainError(message, field_errors={"count": [message]})


def _event_copy(
    event: Event,
    series: EventSeries,
    areas: list[str],
    shifts: list[Shift],
    frequency: str,
    index: int,
) -> Event:
    """The `index`-th repeat: a draft of the series with the event's areas and its shifts
    moved to the repeat's dates."""
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.status = E.DRAFT
    copy.published_at = None
    copy.series = series
    copy.save()
    EventArea.objects.bulk_create(EventArea(event=copy, area=a) for a in areas)
    for shift in shifts:
        offset = _shift_dates(shift.starts_at, frequency, index) - shift.starts_at
        new = Shift.objects.create(
            event=copy,
            **{
                name: getattr(shift, name)
                for name in SHIFT_FIELDS
                if name not in ("starts_at", "ends_at")
            },
            starts_at=shift.starts_at + offset,
            ends_at=shift.ends_at + offset,
        )
        new.qualifications.set(shift.qualifications.all())
    _refresh_dates(copy)
    return copy


# The subject of an organiser's message to the participants (the form's limit).
MESSAGE_SUBJECT = 150


def event_message_participants(*, actor: User, event: Event, subject: str, message: str) -> int:
    """The organiser writes to everyone registered (and waiting); returns how many."""
    subject, message = subject.strip(), message.strip()
    errors = {}
    if not subject:
        errors["subject"] = [_("Обязательное поле.")]
    if not message:
        errors["message"] = [_("Обязательное поле.")]
    if errors:
        raise DomainError(_("Напишите тему и текст сообщения."), field_errors=errors)
    require_within_limits({"subject": (subject, MESSAGE_SUBJECT)})
    people = _registered_users(event)
    with transaction.atomic():
        notify(
            kinds.ORGANISER_MESSAGE,
            people,
            {"event": event, "subject": subject, "message": message},
            url=event.get_absolute_url(),
        )
        log_action(
            actor=actor,
            action="event.message",
            obj=event,
            data={"subject": subject, "recipients": len(people)},
        )
    return len(people)


def event_material_add(
    *,
    actor: User,
    event: Event,
    kind: str,
    title: str,
    file: Upload | None = None,
    url: str = "",
) -> EventMaterial:
    """Materials before a seminar or webinar, the recording after it."""
    if kind not in EventMaterial.Kind.values:
        raise DomainError(
            _("Выберите вид материала."), field_errors={"kind": [_("Выберите из списка.")]}
        )
    if not title.strip():
        raise DomainError(
            _("Назовите материал."), field_errors={"title": [_("Обязательное поле.")]}
        )
    if file is None and not url.strip():
        raise DomainError(
            _("Приложите файл или дайте ссылку."), field_errors={"url": [_("Файл или ссылка.")]}
        )
    require_within_limits({"title": (title.strip(), text_limit(EventMaterial, "title"))})
    if file is not None:
        validate_document(file, field="file")
    with transaction.atomic():
        material = EventMaterial.objects.create(
            event=event,
            kind=kind,
            title=title.strip(),
            url=url.strip(),
            **({"file": file} if file else {}),
        )
        log_action(
            actor=actor,
            action="event.material",
            obj=event,
            data={"title": material.title, "kind": kind},
        )
    return material
