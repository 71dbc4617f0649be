"""Writes of the catalogue: staff describe, change and archive calls."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dobry.accounts.models import User
from dobry.core.audit import log_action
from dobry.core.errors import DomainError
from dobry.core.locking import locked
from dobry.core.request_values import date_range_error
from dobry.opportunities import permissions
from dobry.opportunities.models import Opportunity
from dobry.opportunities.permissions import require
from dobry.organizations.areas import Area
from dobry.organizations.models import Organization

# What staff may set on a call (the rest is the platform's own).
FIELDS = (
    "title",
    "programme",
    "organiser",
    "summary",
    "areas",
    "eligible_kinds",
    "min_registered_months",
    "region",
    "min_amount",
    "max_amount",
    "opens_on",
    "closes_on",
    "url",
    "documents",
    "tips",
)
TEXT_FIELDS = ("title", "organiser", "summary", "region", "url", "documents", "tips")


def _problems(opportunity: Opportunity) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        opportunity.full_clean(exclude=["areas", "eligible_kinds", "search_text"])
    except ValidationError as error:
        errors = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
    for name, allowed in (("areas", Area.values), ("eligible_kinds", Organization.Kind.values)):
        values = getattr(opportunity, name)
        if not isinstance(values, list) or not all(v in allowed for v in values):
            errors.setdefault(name, []).append(_("Выберите из списка."))
    for name in ("opens_on", "closes_on"):
        day = getattr(opportunity, name)
        if day is not None and (message := date_range_error(day)):
            errors.setdefault(name, []).append(str(message))
    low, high = opportunity.min_amount, opportunity.max_amount
    if isinstance(low, Decimal) and isinstance(high, Decimal) and low > high:
        errors.setdefault("max_amount", []).append(_("Не меньше суммы «от»."))
    opens, closes = opportunity.opens_on, opportunity.closes_on
    if opens and closes and opens > closes:
        errors.setdefault("closes_on", []).append(_("Не раньше начала приёма заявок."))
    return errors


def _apply(opportunity: Opportunity, values: dict[str, Any]) -> None:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise DomainError(_("Неизвестные поля: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    for name, value in values.items():
        if name in TEXT_FIELDS and isinstance(value, str):
            value = value.strip()
        if name in ("areas", "eligible_kinds") and isinstance(value, list | tuple):
            value = list(dict.fromkeys(value))
        setattr(opportunity, name, value)
    if errors := _problems(opportunity):
        raise DomainError(_("Проверьте описание конкурса."), field_errors=errors)


def opportunity_create(*, actor: User, **values: Any) -> Opportunity:
    """A new call in the catalogue (staff of the resource centre)."""
    require(permissions.can_keep_catalogue(actor))
    opportunity = Opportunity()
    _apply(opportunity, values)
    with transaction.atomic():
        opportunity.save()
        log_action(actor=actor, action="opportunity.create", obj=opportunity)
    return opportunity


def opportunity_update(*, actor: User, opportunity: Opportunity, **values: Any) -> Opportunity:
    """Change what the catalogue says about a call; only the fields given."""
    require(permissions.can_keep_catalogue(actor))
    with locked(Opportunity.objects.all(), opportunity.pk) as current:
        _apply(current, values)
        current.save()
        log_action(
            actor=actor, action="opportunity.update", obj=current, data={"fields": sorted(values)}
        )
    return current


def opportunity_archive(
    *, actor: User, opportunity: Opportunity, archived: bool = True
) -> Opportunity:
    """Withdraw a call to the archive (cancelled, or described by mistake), or bring it back."""
    require(permissions.can_keep_catalogue(actor))
    with locked(Opportunity.objects.all(), opportunity.pk) as current:
        if current.withdrawn != archived:
            current.withdrawn = archived
            current.save(update_fields=["withdrawn", "updated_at"])
            action = "opportunity.archive" if archived else "opportunity.restore"
            log_action(actor=actor, action=action, obj=current)
    return current


def opportunities_import(*, actor: User, rows: list[Any]) -> int:
    """Add the checked rows of an imported table (`imports.Row`) to the catalogue, each
    on its own (a savepoint): a row the rules refuse gets the reasons in its `errors`, a
    call already in the catalogue (same title and deadline) is skipped with a note.
    Returns how many calls were added."""
    require(permissions.can_keep_catalogue(actor))
    added = 0
    with transaction.atomic():
        for row in rows:
            values = row.values
            if Opportunity.objects.filter(
                title=values.get("title", ""), closes_on=values.get("closes_on")
            ).exists():
                row.errors.append(_("Такой конкурс уже есть в каталоге."))
                continue
            try:
                with transaction.atomic():
                    opportunity_create(actor=actor, **values)
            except DomainError as error:
                row.errors.extend(_error_texts(error))
            else:
                added += 1
    return added


def _error_texts(error: DomainError) -> list[str]:
    if not error.field_errors:
        return [error.message]
    texts: list[str] = []
    for name, messages in error.field_errors.items():
        field = Opportunity._meta.get_field(name) if name in FIELDS else None
        label = getattr(field, "verbose_name", name)
        texts.extend(f"{label}: {message}" for message in messages)
    return texts
