"""A service's refusal (`DomainError`) shown to the person as a message, in one place.

Views call one service inside `domain_error_message`; a refusal becomes an error message
(and the view goes on to its redirect), success adds the success message. Forms show a
refusal at their fields instead: `dobry.core.forms.add_service_error`; an action's form that
no page shows again says its fields' errors with `form_error_message`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest

from dobry.core.errors import DomainError


@dataclass
class Outcome:
    """What happened inside the block: `ok` is False when a service refused."""

    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def refusal_texts(error: DomainError, *, details: bool = False) -> list[str]:
    """The texts to show for a refusal: its reasons (a signup refused for several rules),
    else its message, followed with `details` by each field's problem (a message cannot
    point at a field, so the problems are spelled out)."""
    reasons = getattr(error, "reasons", None)
    if reasons:
        return [str(reason) for reason in reasons]
    texts = [error.message]
    if details:
        texts += [str(problem) for problems in error.field_errors.values() for problem in problems]
    return texts


@contextmanager
def domain_error_message(
    request: HttpRequest, *, success: str = "", details: bool = False
) -> Iterator[Outcome]:
    """Run the block; a `DomainError` becomes error messages and is swallowed, otherwise
    `success` (if given) is shown. Other exceptions propagate.

    Use `outcome.ok` after the block when the view must act on the result::

        with domain_error_message(request, success=_("Смена удалена.")) as outcome:
            shift_delete(actor=user, shift=shift)
        return redirect(...)
    """
    outcome = Outcome()
    try:
        yield outcome
    except DomainError as error:
        outcome.error = error
        for text in refusal_texts(error, details=details):
            messages.error(request, text)
    else:
        if success:
            messages.success(request, success)


def form_error_message(request: HttpRequest, form: BaseForm | BaseFormSet, summary: str) -> None:
    """A refused form that its page does not show again (a reason under a button, a note
    beside a list), as one error message on the page the action returns to: `summary` (what
    the action needs), then what each field refused, by its label — «Причина: Данные
    содержат запрещённый символ: ноль-байт» — so a refusal the summary does not foresee (a
    NUL, a text over its limit) is said too. A missing value is the summary's own case.
    A formset says each of its forms' refusals, then its own."""
    texts = [summary]
    forms = list(form.forms) if isinstance(form, BaseFormSet) else [form]
    for each in forms:
        texts += _field_problems(each)
    if isinstance(form, BaseFormSet):
        texts += [str(text) for text in form.non_form_errors()]
    messages.error(request, " ".join(texts))


def _field_problems(form: BaseForm) -> list[str]:
    texts = []
    for name, errors in form.errors.as_data().items():
        field = form.fields.get(name)
        for error in errors:
            if error.code == "required":
                continue
            for text in error.messages:
                texts.append(f"{field.label}: {text}" if field and field.label else text)
    return texts
