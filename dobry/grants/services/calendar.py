"""Staff keep the government's yearly transfers of days off (`WorkCalendarDay`): a day
recorded as working or as a day off, changed, or taken back to what the library says."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.grants.models import WorkCalendarDay


def calendar_day_save(*, actor: User, day: date, working: bool, note: str = "") -> WorkCalendarDay:
    """Record (or change) what `day` is by the decree: a working day or a day off, with
    the decree as its note. DomainError at the field that is wrong (a day outside the
    platform's dates, a note too long or with a line break)."""
    with transaction.atomic():
        row = WorkCalendarDay.objects.select_for_update().filter(day=day).first()
        before = None if row is None else row.working
        row = row or WorkCalendarDay(day=day)
        row.working, row.note, row.updated_by = working, note.strip(), actor
        try:
            row.full_clean(validate_unique=False)
        except ValidationError as error:
            raise DomainError(_("Проверьте поля."), field_errors=error.message_dict) from None
        row.save()
        log_action(
            actor=actor,
            action="calendar.day_save",
            obj=row,
            data={"day": day.isoformat(), "working": working, "before": before, "note": row.note},
        )
    return row


def calendar_day_delete(*, actor: User, row: WorkCalendarDay) -> None:
    """Take the day back to what the `holidays` library says of it."""
    with transaction.atomic():
        log_action(
            actor=actor,
            action="calendar.day_delete",
            obj=row,
            data={"day": row.day.isoformat(), "working": row.working, "note": row.note},
        )
        row.delete()
