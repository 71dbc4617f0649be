from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from dobry.core import accessibility, form_fields
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


class AuditFilterForm(forms.Form):
    """The audit log's filters: entries about one kind of object, or one object. A type
    that names no model is refused — it would show an empty log, as if nothing happened."""

    object_type = forms.CharField(label=_("Тип объекта"), max_length=100, required=False)
    object_id = form_fields.IntegerField(label=_("Номер объекта"), min_value=1, required=False)

    def clean_object_type(self) -> str:
        label = self.cleaned_data["object_type"].strip().lower()
        if not label:
            return ""
        try:
            return apps.get_model(label)._meta.label_lower
        except (LookupError, ValueError):
            raise ValidationError(
                _("Нет такого типа объекта (пример: organizations.organization).")
            ) from None


class LowVisionForm(forms.Form):
    """One button of the settings panel for the visually impaired: the setting (`field`)
    and its new value. A setting or value the panel does not offer is refused (a 400
    naming it through `request_values.form_values`), not taken as «leave it as it is»."""

    VALUES: ClassVar[dict[str, tuple[str, ...]]] = {
        "enabled": ("0", "1"),
        "size": accessibility.SIZES,
        "scheme": accessibility.SCHEMES,
        "images": ("0", "1"),
        "spacing": accessibility.SPACINGS,
    }

    field = forms.ChoiceField(label=_("Настройка"), choices=[(name, name) for name in VALUES])
    value = forms.CharField(label=_("Значение"), max_length=10)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        known = self.VALUES.get(data.get("field", ""), ())
        if "value" in data and data["value"] not in known:
            self.add_error(
                "value",
                _("Возможные значения: %(values)s.") % {"values": ", ".join(known)},
            )
        return data
