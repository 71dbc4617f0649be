from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from dobry.core.errors import DomainError


def add_service_error(form: forms.BaseForm, error: DomainError | ValidationError) -> None:
    """Show a service's refusal on the form: at the fields it names, or at the top."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error.messages)
        return
    placed = False
    for field, messages in error.field_errors.items():
        if field in form.fields:
            form.add_error(field, messages)
            placed = True
    if not placed or not error.field_errors:
        form.add_error(None, error.message)


REQUIRED_MARK = "field-required"  # static/css/dobry.css draws the mark


class MarkedBoundField(BoundField):
    """A field whose label carries the required mark when the field is required — by the
    form, or only for a later step (a draft saves without it, submission needs it: the
    widget then has `required`, set with `require_later`)."""

    def label_tag(
        self,
        contents: Any = None,
        attrs: dict[str, Any] | None = None,
        label_suffix: Any = None,
        tag: Any = None,
    ) -> Any:
        if self.field.required or self.field.widget.attrs.get("required"):
            attrs = dict(attrs or {})
            attrs["class"] = f"{attrs.get('class', '')} {REQUIRED_MARK}".strip()
        return super().label_tag(contents, attrs, label_suffix, tag)


def require_later(form: forms.BaseForm, names: Iterable[str]) -> None:
    """Mark fields a later step requires though the form accepts them empty (a draft):
    `required` and `aria-required` for assistive technology, the mark on the label (the
    form's `bound_field_class` is `MarkedBoundField`; forms say `novalidate`, so a draft
    still saves)."""
    for name in names:
        if name in form.fields:
            form.fields[name].widget.attrs.update({"required": True, "aria-required": "true"})
