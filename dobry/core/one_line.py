"""One-line model text (issue 11): every model `CharField` (and each kind built on it: email,
URL, slug) refuses a line break (`core.validators.refuse_line_breaks`) — in `full_clean`
(forms, the API's services) with the sentence at the field, and, for a write that skips
`full_clean`, before the row is saved (`pre_save`: ValidationError `{field: [sentence]}`,
which the API answers as a 422 at the field). A multi-line text is a `TextField`."""

import re
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


# --- rows stored before the rule ---------------------------------------------------------------
# Rows saved before one-line fields refused line breaks may still hold them, and would then be
# refused on their next save (an unrelated edit of the row fails at a field the person did not
# touch). Each app's data migration `00NN_one_line_fields` flattens them once.

_BREAK_RUN = re.compile(r"[ \t]*[\r\n\x85\u2028\u2029]+[ \t]*")
_BREAKS = ("\r", "\n", "\x85", "\u2028", "\u2029")


def one_line(value: str) -> str:
    """`value` with each run of line breaks (and the spaces and tabs around it) as one space,
    trimmed: «Рога\\r\\n и копыта» → «Рога и копыта»."""
    return _BREAK_RUN.sub(" ", value).strip()


def flatten_stored_line_breaks(apps: Any, app_label: str) -> int:
    """Rewrite every one-line field (`CharField` and its kinds) of the app's models — the
    historical ones a migration gives (`apps`) — whose stored value holds a line break, with
    `one_line`. Writes with `update()`: no model code, signal or validator runs, and only
    the fields that held a line break change. Returns the number of values rewritten."""
    changed = 0
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField):
                continue
            broken = models.Q()
            for character in _BREAKS:
                broken |= models.Q(**{f"{field.attname}__contains": character})
            rows = model._base_manager.filter(broken).values_list("pk", field.attname)
            for pk, value in rows.iterator():
                model._base_manager.filter(pk=pk).update(**{field.attname: one_line(value)})
                changed += 1
    return changed


def flatten_migration(app_label: str) -> Any:
    """The `RunPython` operation of an app's `one_line_fields` migration (no reverse: the
    line breaks are not kept)."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        flatten_stored_line_breaks(apps, app_label)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
