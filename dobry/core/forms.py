from django import forms
from django.core.exceptions import ValidationError

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
