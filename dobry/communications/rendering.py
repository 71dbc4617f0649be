"""Notifications kept as a kind and its parameters, rendered when read (issue 11).

A notification used to keep its subject and body as frozen text: in the language of the
moment it was made (Russian on an English page) and with copies of what people typed — a
consultation's subject stayed in a coordinator's notification after the asker erased
their account. Now `notify` keeps the kind and the context it was given as parameters
(`encode`): an object as a reference to its row plus the values of its fields that are
not free text (statuses and other choices, dates, numbers, links), so the notification
still tells what was true when it was made («ваша просьба принята»), while text people
typed is read from the object itself when the notification is shown. Minimising or
erasing the object therefore changes every notification made from it, and each reader
sees it in their own language (`gettext` while the kind's templates render).

Plain values given to `notify` (a reason typed with a decision) are kept as given; the
erasure scrubs the person's values in them like in any copy (`communications.privacy`).
A context that cannot be kept so (an object that is not a row) leaves the notification
as frozen text, like notifications made before this change (`params` is null).
"""

import copy
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext

from dobry.communications.kinds import get_kind
from dobry.core.site import site_origin

if TYPE_CHECKING:
    from dobry.communications.models import Notification

MODEL, PK, STATE = "$model", "pk", "state"
DECIMAL, DATETIME, DATE, TEXT, MAPPING = "$decimal", "$datetime", "$date", "$gettext", "$map"
# Keys of the context that `notify` adds itself: not kept.
ADDED_BY_NOTIFY = frozenset({"user", "url", "site_url"})
# Free text is read from the row when shown, never kept in the parameters.
FREE_TEXT = (models.CharField, models.TextField, models.FileField, models.JSONField)


class NotKept(ValueError):
    """A context value that cannot be kept as a parameter."""


def encode(context: Mapping[str, Any]) -> dict[str, Any] | None:
    """The parameters to keep for `context` (JSON), or None when one of its values cannot
    be kept (the notification then keeps frozen text)."""
    try:
        return {key: _encode(value) for key, value in context.items() if key not in ADDED_BY_NOTIFY}
    except NotKept:
        return None


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Promise):
        return {TEXT: _msgid(value)}
    if isinstance(value, models.Model):
        return {MODEL: value._meta.label_lower, PK: value.pk, STATE: _state(value)}
    if isinstance(value, Decimal):
        return {DECIMAL: str(value)}
    if isinstance(value, datetime):
        return {DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {DATE: value.isoformat()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return {MAPPING: {key: _encode(item) for key, item in value.items()}}
    raise NotKept(type(value).__name__)


def _msgid(text: Promise) -> str:
    """The source text of a lazy `gettext` (translated again when read); any other lazy
    text is kept as it reads now."""
    args: tuple[Any, ...] = tuple(getattr(text, "_args", ()))
    if len(args) == 1 and isinstance(args[0], str) and gettext(args[0]) == str(text):
        return args[0]
    raise NotKept("lazy text")


def _kept_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields of a row kept with the reference: what was true when the notification
    was made (a status, a date, a number), never free text — nor anything of an account."""
    if model._meta.label == settings.AUTH_USER_MODEL:
        return []
    return [
        field
        for field in model._meta.concrete_fields
        if field.choices or not isinstance(field, FREE_TEXT)
        if not field.primary_key
    ]


def _state(obj: models.Model) -> dict[str, Any]:
    # `_meta.model`, not `type(obj)`: a signed-in user comes wrapped in a lazy object.
    fields = _kept_fields(obj._meta.model)
    return {field.attname: _encode(getattr(obj, field.attname)) for field in fields}


def _decode(value: Any, rows: Mapping[tuple[str, Any], models.Model | None]) -> Any:
    if isinstance(value, list):
        return [_decode(item, rows) for item in value]
    if not isinstance(value, dict):
        return value
    if MODEL in value:
        return _instance(value, rows.get((value[MODEL], value[PK])))
    if TEXT in value:
        return gettext(value[TEXT])
    if DECIMAL in value:
        return Decimal(value[DECIMAL])
    if DATETIME in value:
        return parse_datetime(value[DATETIME])
    if DATE in value:
        return parse_date(value[DATE])
    if MAPPING in value:
        return {key: _decode(item, rows) for key, item in value[MAPPING].items()}
    return value


def _instance(value: Mapping[str, Any], row: models.Model | None) -> models.Model | None:
    """The row as it is now (its text as minimised or erased) with the kept fields as they
    were; a row deleted since is an empty one with those fields."""
    model = _model(value[MODEL])
    if model is None:
        return None
    obj = copy.copy(row) if row is not None else model(pk=value[PK])
    for attname, kept in (value.get(STATE) or {}).items():
        if hasattr(obj, attname):
            setattr(obj, attname, _decode(kept, {}))
    return obj


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _references(value: Any) -> Iterable[tuple[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _references(item)
    elif isinstance(value, dict):
        if MODEL in value:
            yield (value[MODEL], value[PK])
        else:
            for item in value.values():
                yield from _references(item)


def references_of(params: Any) -> set[tuple[str, Any]]:
    """The rows (model label, pk) that parameters refer to."""
    return set(_references(params))


def _rows(params: Iterable[Any]) -> dict[tuple[str, Any], models.Model | None]:
    """The rows that many notifications refer to: one query per model, with the rows they
    link to directly (a consultation's asker), whatever the number of notifications."""
    wanted: dict[str, set[Any]] = defaultdict(set)
    for one in params:
        for label, pk in references_of(one):
            wanted[label].add(pk)
    rows: dict[tuple[str, Any], models.Model | None] = {}
    for label, pks in wanted.items():
        model = _model(label)
        if model is None:
            continue
        links = [
            field.name
            for field in model._meta.concrete_fields
            if field.many_to_one or field.one_to_one
        ]
        for row in model._base_manager.select_related(*links).filter(pk__in=pks):
            rows[(label, row.pk)] = row
    return rows


def render_kind(kind: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """The subject (one line) and body of a notification kind, in the active language."""
    definition = get_kind(kind)
    full_context = {"site_url": site_origin(), **context}
    subject = render_to_string(definition.subject_template, full_context)
    body = render_to_string(definition.body_template, full_context)
    return " ".join(subject.split())[:250], body.strip()


def render_params(
    kind: str,
    params: Mapping[str, Any],
    *,
    url: str = "",
    rows: Mapping[tuple[str, Any], models.Model | None] | None = None,
) -> tuple[str, str]:
    """Subject and body of kept parameters, in the active language, from the rows as they
    are now (`rows` when read already, for a page of notifications)."""
    rows = rows if rows is not None else _rows([params])
    context = {key: _decode(value, rows) for key, value in params.items()}
    return render_kind(kind, {**context, "url": url})


def notifications_render(notifications: list["Notification"]) -> list["Notification"]:
    """Render a page of notifications in the active language, reading the rows they refer
    to at once (one query per kind of row); returns the same list."""
    kept = [n for n in notifications if n.params is not None]
    rows = _rows(n.params for n in kept)
    for notification in kept:
        notification.render(rows=rows)
    return notifications
