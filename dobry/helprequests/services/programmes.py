"""Organisations' programmes of help and their monthly records."""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.core.clock import local_today
from dobry.core.errors import DomainError
from dobry.helprequests.models import Funding, Programme, ProgrammeRecord


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
    platform's requests, and how many of them for the first time. The caller checks that
    the actor keeps the programme (`permissions.get_programme_to_keep`)."""
    month = month.replace(day=1)
    errors: dict[str, list[str]] = {}
    if month > local_today():
        errors["month"] = [_("Этот месяц ещё не наступил.")]
    elif month < programme.starts_on.replace(day=1) or (
        programme.ends_on is not None and month > programme.ends_on
    ):
        errors["month"] = [_("В этом месяце программа не работала: проверьте её сроки.")]
    if people < 0 or first_time < 0:
        errors["people"] = [_("Число людей не может быть отрицательным.")]
    elif first_time > people:
        errors["first_time"] = [
            _("Впервые получивших помощь не может быть больше, чем всех получивших.")
        ]
    if errors:
        raise DomainError(_("Проверьте запись."), field_errors=errors)
    with transaction.atomic():
        record, _created = ProgrammeRecord.objects.update_or_create(
            programme=programme,
            month=month,
            defaults={
                "people": people,
                "first_time": first_time,
                "note": note.strip(),
                "recorded_by": actor,
            },
        )
        log_action(
            actor=actor,
            action="programme.record",
            obj=record,
            data={"month": month.isoformat(), "people": people, "first_time": first_time},
        )
    return record
