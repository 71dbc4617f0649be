"""A service's refusal (`DomainError`) shown to the person as a message, in one place.

Views call one service inside `domain_error_message`; a refusal becomes an error message
(and the view goes on to its redirect), success adds the success message. Forms show a
refusal at their fields instead: `dobry.core.forms.add_service_error`, or `form_saved` for a
page's form that is shown again; an action's form that no page shows again says its fields'
errors with `form_error_message`, or `form_action` does the whole of such an action.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest

from dobry.core.errors import DomainError
from dobry.core.forms import add_service_error

T = TypeVar("T")


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


def form_saved(
    request: HttpRequest, form: BaseForm, save: Callable[[], T], *, success: str
) -> T | None:
    """A page's form: when it came by POST and is valid, `save()` calls the service and
    `success` is shown; a refusal goes on the form's fields (`add_service_error`) for the
    page to show again. Returns what `save` saved (a service that returns it), or None
    when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save()
    except DomainError as error:
        add_service_error(form, error)
        return None
    messages.success(request, success)
    return saved


def form_action(
    request: HttpRequest,
    form: BaseForm,
    act: Callable[[dict[str, Any]], object],
    *,
    invalid: str,
    success: str,
    details: bool = False,
) -> None:
    """A small POSTed form of an action whose page is not shown again (add places, a
    speaker): a form that is not valid says `invalid` and its fields' problems
    (`form_error_message`); a valid one runs `act(form.cleaned_data)` inside
    `domain_error_message`."""
    if not form.is_valid():
        form_error_message(request, form, invalid)
        return
    with domain_error_message(request, success=success, details=details):
        act(form.cleaned_data)
