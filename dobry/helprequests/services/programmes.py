"""Organisations' programmes of help and their monthly records."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.core.hooks import Hook
from dobry.helprequests import permissions
from dobry.helprequests.models import Funding, Programme, ProgrammeRecord

# A programme's monthly figures changed (entered, corrected or confirmed): the reports,
# which keep computed figures of closed months for a day, recount them (`dobry.site`).
PROGRAMME_RECORDS_CHANGED = Hook("helprequests.programme_records_changed", arguments="")


def programme_save(
    *,
    actor: User,
    programme: Programme,
    fields: Mapping[str, Any],
    districts: Iterable[Any] = (),
) -> Programme:
    """Create or edit an organisation's programme of help."""
    funding = fields.get("funding", [])
    if set(funding) - set(Funding.values):
        raise DomainError(
            _("Неизвестный источник финансирования."),
            field_errors={"funding": [_("Выберите из списка.")]},
        )
    for name, value in fields.items():
        setattr(programme, name, value.strip() if isinstance(value, str) else value)
    if programme.ends_on and programme.starts_on and programme.ends_on < programme.starts_on:
        raise ValidationError({"ends_on": [_("Окончание должно быть позже начала.")]})
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        programme.districts.set(districts)
        log_action(actor=actor, action="programme.save", obj=programme)
    return programme


def programme_record_save(
    *,
    actor: User,
    programme: Programme,
    month: date,
    people: int,
    first_time: int,
    note: str = "",
) -> ProgrammeRecord:
    """Record (or correct) how many people the programme helped in a month beyond the
    platform's requests, and how many of them for the first time: at most
    `max_people_per_record` (DomainError on `people`). It counts in the public KPI once a
    coordinator confirmed it (`programme_record_confirm`; a coordinator's own entry is
    confirmed, an organisation's entry or correction waits). The caller checks that the
    actor keeps the programme (`permissions.get_programme_to_keep`)."""
    month = month.replace(day=1)
    _check_record(programme, month, people, first_time)
    with transaction.atomic():
        record, _created = ProgrammeRecord.objects.update_or_create(
            programme=programme,
            month=month,
            defaults={
                "people": people,
                "first_time": first_time,
                "note": note.strip(),
                "recorded_by": actor,
                # a coordinator's entry is their confirmation; anyone else's waits for one
                **_confirmation(actor),
            },
        )
        log_action(
            actor=actor,
            action="programme.record",
            obj=record,
            data={"month": month.isoformat(), "people": people, "first_time": first_time},
        )
        PROGRAMME_RECORDS_CHANGED.send()
    return record


def _check_record(programme: Programme, month: date, people: int, first_time: int) -> None:
    """DomainError naming each field a monthly record gets wrong (`programme_record_save`)."""
    errors: dict[str, list[str]] = {}
    if month > local_today():
        errors["month"] = [_("Этот месяц ещё не наступил.")]
    elif month < programme.starts_on.replace(day=1) or (
        programme.ends_on is not None and month > programme.ends_on
    ):
        errors["month"] = [_("В этом месяце программа не работала: проверьте её сроки.")]
    most = max_people_per_record()
    if people < 0 or first_time < 0:
        errors["people"] = [_("Число людей не может быть отрицательным.")]
    elif people > most:
        errors["people"] = [
            _(
                "Слишком много людей в одной записи за месяц: предел — %(most)s (население "
                "города — %(population)s). Проверьте число."
            )
            % {"most": most, "population": settings.DOBRY_POPULATION}
        ]
    elif first_time > people:
        errors["first_time"] = [
            _("Впервые получивших помощь не может быть больше, чем всех получивших.")
        ]
    if errors:
        raise DomainError(_("Проверьте запись."), field_errors=errors)


def max_people_per_record() -> int:
    """People one monthly record may count: DOBRY_PROGRAMME_RECORD_MAX_PEOPLE, and never
    more than the city's population (DOBRY_POPULATION)."""
    return min(settings.DOBRY_PROGRAMME_RECORD_MAX_PEOPLE, settings.DOBRY_POPULATION)


def _confirmation(actor: User) -> dict[str, Any]:
    if permissions.can_confirm_records(actor):
        return {"confirmed_by": actor, "confirmed_at": timezone.now()}
    return {"confirmed_by": None, "confirmed_at": None}


def programme_record_confirm(*, actor: User, programme: Programme, month: date) -> ProgrammeRecord:
    """A coordinator confirms a programme's monthly record: from then on it counts among
    the residents helped (`reports.indicators.programme_recipients_per_period`).
    PermissionDenied for anyone else, DomainError on `month` when there is no record."""
    decision = permissions.can_confirm_records(actor)
    if not decision:
        raise PermissionDenied(decision.reason)
    with transaction.atomic():
        record = (
            ProgrammeRecord.objects.select_for_update()
            .filter(programme=programme, month=month.replace(day=1))
            .first()
        )
        if record is None:
            message = _("За этот месяц записи нет.")
            raise DomainError(message, field_errors={"month": [message]})
        record.confirmed_by = actor
        record.confirmed_at = timezone.now()
        record.save(update_fields=["confirmed_by", "confirmed_at"])
        log_action(
            actor=actor,
            action="programme.record_confirm",
            obj=record,
            data={"month": record.month.isoformat(), "people": record.people},
        )
        PROGRAMME_RECORDS_CHANGED.send()
    return record
