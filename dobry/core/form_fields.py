"""Form fields that read numbers, ids and dates the one way `dobry.core.request_values`
does: digits 0–9 only (Django's fields take «٣» for 3 through `int()` and the `\\d` of
`strptime`), ids that fit a 64-bit column, dates in the accepted range.

Every form of the project uses these instead of Django's own (`ModelForm` below maps a
model's fields to them); `dobry/core/tests/test_form_fields.py` checks every form."""

import re
from collections.abc import Collection
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelFormMetaclass
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dobry.core.clock import city_zone
from dobry.core.request_values import (
    MAX_ID,
    has_only_ascii_digits,
    parse_decimal,
    validate_birth_date_range,
    validate_date_range,
)
from dobry.core.uploads import Upload, validate_image
from dobry.core.validators import refuse_forbidden_characters, refuse_line_breaks

if TYPE_CHECKING:
    from dobry.core.workflow import Workflow

NON_ASCII_DIGITS = _("Введите число цифрами 0–9.")


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [item for item in value if isinstance(item, str)]
    return []


class AsciiDigitsMixin:
    """Refuses a value with digits other than 0–9 before the field reads it."""

    def clean(self, value: Any) -> Any:
        if not all(has_only_ascii_digits(text) for text in _texts(value)):
            raise ValidationError(NON_ASCII_DIGITS, code="non_ascii_digits")
        return super().clean(value)  # type: ignore[misc]


class IntegerField(AsciiDigitsMixin, forms.IntegerField):
    pass


class DecimalField(AsciiDigitsMixin, forms.DecimalField):
    """Hours, sums and measures read by `parse_decimal`: «1,5» as well as «1.5» — the same
    reading as the API's `Amount`."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip() not in self.empty_values:
            try:
                value = parse_decimal(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class FloatField(AsciiDigitsMixin, forms.FloatField):
    pass


class DateField(AsciiDigitsMixin, forms.DateField):
    """A date between `FIRST_DATE` and `LAST_DATE` (events, shifts, requests, bookings,
    periods); `historical=True` from 1900 (birth dates, foundation dates)."""

    def __init__(self, *args: Any, historical: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.append(validate_birth_date_range if historical else validate_date_range)


class DateTimeField(AsciiDigitsMixin, forms.DateTimeField):
    """A moment whose date is between `FIRST_DATE` and `LAST_DATE`. A typed wall-clock time
    is the city's (`core.clock`), shown back on the city's clock too — Django's own field
    uses whatever zone is active on the thread."""

    default_validators = [validate_date_range]

    def to_python(self, value: Any) -> Any:
        with timezone.override(city_zone()):
            return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        with timezone.override(city_zone()):
            return super().prepare_value(value)


class TimeField(AsciiDigitsMixin, forms.TimeField):
    pass


_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class _IdsMixin(AsciiDigitsMixin):
    """Ids beyond a 64-bit column are no object (rather than a database error): a number
    of any length — «1» × 30 among the ids of a multiple choice overflowed SQLite's
    integer in the `IN (…)` query."""

    def clean(self, value: Any) -> Any:
        for text in _texts(value):
            digits = text.strip()
            if not _WHOLE_NUMBER.fullmatch(digits):
                continue  # not a number: the field refuses it as no choice
            if len(digits) > len(str(MAX_ID)) or not 0 < int(digits) <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"],  # type: ignore[attr-defined]
                    code="invalid_choice",
                    params={"value": text},
                )
        return super().clean(value)


class ModelChoiceField(_IdsMixin, forms.ModelChoiceField):
    pass


class ModelMultipleChoiceField(_IdsMixin, forms.ModelMultipleChoiceField):
    pass


class TypedChoiceField(AsciiDigitsMixin, forms.TypedChoiceField):
    pass


class MoveChoiceField(forms.ChoiceField):
    """The button of a workflow move pressed on a page (`name="decision" value="confirm"`):
    one of `workflow`'s moves that have a button, required. Read with
    `request_values.form_values`, a missing or forged move is a 400 naming the field — never
    a default move made in its place. Whether the person may make it is the service's check."""

    def __init__(
        self, workflow: "Workflow", *, names: Collection[str] | None = None, **kwargs: Any
    ) -> None:
        """`names`: the moves this page's buttons send, when not exactly those with a
        button (confirming hours with other hours sends «adjust»)."""
        kwargs.setdefault("label", _("Действие"))
        moves = [workflow.move(name) for name in names] if names is not None else workflow.moves
        choices = [(m.name, m.label) for m in moves if names is not None or m.button]
        super().__init__(choices=choices, **kwargs)


HISTORICAL_DATES = frozenset({"date_of_birth", "founded_on"})

_FORM_CLASSES: list[tuple[type[models.Field], type[forms.Field]]] = [
    (models.DateTimeField, DateTimeField),  # before DateField, its base
    (models.DateField, DateField),
    (models.TimeField, TimeField),
    (models.DecimalField, DecimalField),
    (models.FloatField, FloatField),
    (models.IntegerField, IntegerField),
]


def formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """ModelForm formfield_callback: the fields above for a model's numbers, dates and
    relations; URL fields assume https:// when the scheme is left out."""
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    elif isinstance(field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    elif isinstance(field, models.ForeignKey):
        kwargs.setdefault("form_class", ModelChoiceField)
    elif field.choices:
        if not isinstance(field, models.CharField):
            kwargs.setdefault("choices_form_class", TypedChoiceField)
    else:
        for model_class, form_class in _FORM_CLASSES:
            if isinstance(field, model_class):
                kwargs.setdefault("form_class", form_class)
                break
        if type(field) is models.DateField and field.name in HISTORICAL_DATES:
            kwargs.setdefault("historical", True)
    return field.formfield(**kwargs)


class _ModelFormMetaclass(ModelFormMetaclass):
    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(formfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_ModelFormMetaclass):
    """The base of every model form: its `Meta.formfield_callback` is `formfield`."""


def refuse_forbidden_characters_in_every_text_field() -> None:
    """Every form `CharField` (and each kind built on it: email, URL, slug, password, the
    forms of allauth and the admin) refuses the characters `core.validators` forbids, and
    a line break unless it is shown as a textarea (or is a JSON field), after
    its own validators (Django's NUL validator among them). Called once from
    `CoreConfig.ready`: forms are declared across the apps and their libraries, and a
    validator on each declaration would be forgotten in the next one. It runs at cleaning,
    so a field declared before `ready` refuses them too."""
    if getattr(forms.CharField.run_validators, "refuses_forbidden_characters", False):
        return

    def run_validators(self: forms.CharField, value: Any) -> None:
        errors: list[ValidationError] = []
        checks = (
            lambda: forms.Field.run_validators(self, value),
            lambda: _characters(value),
            lambda: _one_line(self, value),
        )
        for check in checks:
            try:
                check()
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    run_validators.refuses_forbidden_characters = True  # type: ignore[attr-defined]
    forms.CharField.run_validators = run_validators  # type: ignore[method-assign,assignment]


def _characters(value: Any) -> None:
    if value not in forms.Field.empty_values:
        refuse_forbidden_characters(value)


class PictureField(forms.ImageField):
    """A picture's upload on a page (logo, cover, photo): checked by `uploads.validate_image`,
    so the page says what the API says — a file too large in bytes or in pixels, or a
    decompression bomb, is refused in a sentence (Django's own check opens the file and
    calls any failure «not a valid image»). The service re-encodes it (`public_image`)."""

    def to_python(self, data: Any) -> Any:
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        try:
            validate_image(cast("Upload", upload), field="picture")
        except ValidationError as error:
            raise ValidationError(error.message_dict["picture"]) from None
        return upload


def _one_line(field: forms.CharField, value: Any) -> None:
    multi_line = isinstance(field.widget, forms.Textarea) or isinstance(field, forms.JSONField)
    if not multi_line and value not in forms.Field.empty_values:
        refuse_line_breaks(value)
