"""Rows a person adds and removes in a form (`templates/includes/rows.html`,
`static/js/rows.js`). With JavaScript that happens in the page; without it the
«Добавить строку» / «Удалить строку» buttons submit the form (`add_row=<prefix>`,
`remove_row=<prefix>-<n>`) and the view shows the form again with one row more or fewer,
keeping everything typed. These helpers read the button and reshape a Django formset's
posted data for that round trip."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.http import QueryDict

ADD = "add_row"
REMOVE = "remove_row"
MAX_ROWS = 100


@dataclass(frozen=True)
class RowChange:
    """The row button pressed: add a row to `prefix`, or remove its row `remove`."""

    prefix: str
    remove: int | None = None


def row_change(data: Any, prefixes: Iterable[str]) -> RowChange | None:
    """The add/remove button that submitted `data`, for one of `prefixes`; None when the
    form was sent by another button (or the value is not one of ours)."""
    known = set(prefixes)
    added = data.get(ADD, "")
    if added in known:
        return RowChange(added)
    prefix, _dash, index = str(data.get(REMOVE, "")).rpartition("-")
    if prefix in known and index.isascii() and index.isdigit() and int(index) < MAX_ROWS:
        return RowChange(prefix, int(index))
    return None


def formset_data(data: QueryDict, change: RowChange) -> QueryDict:
    """A formset's posted data with one more (empty) row, or without the removed row and
    the rows after it moved up, so that the forms shown keep what was typed in each."""
    prefix = change.prefix
    total_key = f"{prefix}-TOTAL_FORMS"
    result = data.copy()
    try:
        total = min(int(data.get(total_key, "0")), MAX_ROWS)
    except ValueError:
        total = 0
    if change.remove is None:
        result[total_key] = str(min(total + 1, MAX_ROWS))
        return result
    if change.remove >= total:
        return result
    for key in list(result.keys()):
        if key.startswith(f"{prefix}-") and key.split("-")[1].isdigit():
            del result[key]
    kept = [index for index in range(total) if index != change.remove]
    for new, old in enumerate(kept):
        for key in data:
            head = f"{prefix}-{old}-"
            if key.startswith(head):
                result.setlist(f"{prefix}-{new}-{key[len(head) :]}", data.getlist(key))
    result[total_key] = str(len(kept))
    return result


def shown_as_typed(*items: forms.BaseForm | forms.BaseFormSet) -> None:
    """Show bound forms and formsets again without judging them: after a row was added or
    removed nothing was submitted, so no «обязательное поле» yet."""
    for item in items:
        if isinstance(item, forms.BaseFormSet):
            item._errors = [ErrorDict() for _form in item.forms]  # type: ignore[attr-defined]
            item._non_form_errors = item.error_class()  # type: ignore[attr-defined]
            shown_as_typed(*item.forms)
        else:
            item._errors = ErrorDict()  # type: ignore[attr-defined]
            item.cleaned_data = {}
