"""One-line model text (issue 11): every model `CharField` (and each kind built on it: email,
URL, slug) refuses a line break (`core.validators.refuse_line_breaks`) — in `full_clean`
(forms, the API's services) with the sentence at the field, and, for a write that skips
`full_clean`, before the row is saved (`pre_save`: ValidationError `{field: [sentence]}`,
which the API answers as a 422 at the field). A multi-line text is a `TextField`."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save

from dobry.core.validators import refuse_line_breaks


def _run_validators(self: models.CharField, value: Any) -> None:
    errors: list[ValidationError] = []
    for check in (
        lambda: models.Field.run_validators(self, value),
        lambda: refuse_line_breaks(value) if value not in self.empty_values else None,
    ):
        try:
            check()
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)


def _refuse_before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    errors: dict[str, list[str]] = {}
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField) or (fields and field.name not in fields):
            continue
        try:
            refuse_line_breaks(getattr(instance, field.attname))
        except ValidationError as error:
            errors[field.name] = error.messages
    if errors:
        raise ValidationError(errors)


def refuse_line_breaks_in_every_char_field() -> None:
    """Called once from `CoreConfig.ready` (models are declared across the apps and their
    libraries; a validator on each declaration would be forgotten in the next one)."""
    if getattr(models.CharField.run_validators, "refuses_line_breaks", False):
        return
    _run_validators.refuses_line_breaks = True  # type: ignore[attr-defined]
    models.CharField.run_validators = _run_validators  # type: ignore[method-assign,assignment]
    pre_save.connect(_refuse_before_save, dispatch_uid="core.one_line")
