"""The audit log: every state-changing service calls log_action.

What an entry means is registered by the app that writes it (`<app>/audit_actions.py`, found
at start-up like notification kinds): a plain name for each action code and, where the
data holds codes of a choice, which choices. `describe` turns an entry into what the
journal page shows: «смена статуса просьбы» and lines «было: новая», «стало: в работе».

An entry names its object by type and id only: what the object is called is read from the
object when the journal is shown (`describe`), never copied into the entry — a
consultation's subject or an application's title would otherwise outlive their
minimising or erasure (issue 11). Entries written before keep their `object_repr`, shown
when the object is gone.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dobry.core.clock import local_time
from dobry.core.models import AuditEntry
from dobry.core.numbers import plain_number

Text = str | Promise
# How the codes under a data key read: the name of a field with choices on the entry's
# object (its model), or the choices themselves.
Values = str | Mapping[str, Text] | type[models.Choices]


@dataclass(frozen=True)
class ActionKind:
    label: Text
    values: Mapping[str, Values] = field(default_factory=dict)


ACTIONS: dict[str, ActionKind] = {}
# What the keys of entries' data mean, shared by every action.
FIELDS: dict[str, Text] = {}
# Keys whose values are ids of people: shown as their names.
PEOPLE_KEYS = {"user", "expert", "volunteers", "replacement"}
# Keys whose values are names of the object's fields: shown as the fields' names.
FIELD_NAME_KEYS = {"fields", "changed"}
# Keys whose value may be a text the platform wrote itself (a reason «Учётная запись
# удалена» given by an erasure): kept as its Russian source, read in the reader's language
# when the catalogue knows it; what a person typed is shown as typed.
SYSTEM_TEXT_KEYS = {"reason"}
# A status move's ends read as the object's status unless the action says otherwise; a key
# named like a field with choices of the object reads as that field.
DEFAULT_VALUES: dict[str, Values] = {"from": "status", "to": "status"}


def register_actions(labels: Mapping[str, Text]) -> None:
    """Plain names of an app's action codes: {"event.create": _("мероприятие создано")}."""
    for code, label in labels.items():
        previous = ACTIONS.get(code)
        ACTIONS[code] = ActionKind(label, previous.values if previous else {})


def register_values(code: str, values: Mapping[str, Values]) -> None:
    """How the codes in an action's data read, e.g. {"from": "role", "to": "role"}."""
    kind = ACTIONS.get(code, ActionKind(code))
    ACTIONS[code] = ActionKind(kind.label, {**kind.values, **values})


def register_fields(labels: Mapping[str, Text]) -> None:
    """Plain names of data keys: {"reason": _("причина")}."""
    FIELDS.update(labels)


register_fields(
    {
        "from": gettext_lazy("было"),
        "to": gettext_lazy("стало"),
        "reason": gettext_lazy("причина"),
        "fields": gettext_lazy("изменены поля"),
        "changed": gettext_lazy("изменено"),
        "status": gettext_lazy("статус"),
        "kind": gettext_lazy("вид"),
        "version": gettext_lazy("версия"),
        "method": gettext_lazy("способ"),
        "user": gettext_lazy("пользователь"),
        "role": gettext_lazy("роль"),
        "email": gettext_lazy("email"),
        "title": gettext_lazy("название"),
        "hours": gettext_lazy("часы"),
        "year": gettext_lazy("год"),
        "value": gettext_lazy("значение"),
        "people": gettext_lazy("человек"),
        "rating": gettext_lazy("оценка"),
        "count": gettext_lazy("количество"),
    }
)


def log_action(
    *, actor: Any, action: str, obj: models.Model, data: dict[str, Any] | None = None
) -> AuditEntry:
    """Record that `actor` (a user, or None for the system) did `action` to `obj`."""
    entry = _entry(actor, action, obj, data)
    entry.save()
    return entry


def log_actions(
    *, actor: Any, action: str, objects: Iterable[tuple[models.Model, dict[str, Any]]]
) -> list[AuditEntry]:
    """`log_action` for many objects at once, each with its own data, in one INSERT: the
    entries a bulk change writes are the ones its single changes would."""
    return AuditEntry.objects.bulk_create(
        [_entry(actor, action, obj, data) for obj, data in objects]
    )


def _entry(actor: Any, action: str, obj: models.Model, data: dict[str, Any] | None) -> AuditEntry:
    return AuditEntry(
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data or {},
    )


def action_label(code: str) -> str:
    """The plain name of an action code; an unregistered (old) code shows as it is."""
    kind = ACTIONS.get(code)
    return str(kind.label) if kind else code


@dataclass(frozen=True)
class Described:
    entry: AuditEntry
    action: str
    object_kind: str
    lines: list[tuple[str, str]]
    object_name: str = ""


def describe(entries: Iterable[AuditEntry]) -> list[Described]:
    """Each entry's action in words, its object's name as the object reads now, and its
    data as («поле», «значение») lines. The objects, and the names of the people the data
    mentions, are read in one query per type of object for all the entries."""
    entries = list(entries)
    people = _people_names(entries)
    names = object_names(entries)
    return [
        Described(
            entry,
            action_label(entry.action),
            _object_kind(entry),
            _lines(entry, people),
            names.get((entry.object_type, entry.object_id), ""),
        )
        for entry in entries
    ]


def object_names(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], str]:
    """(object type, object id) → what the object is called now (its `str`); an object
    gone since is named by an old entry's `object_repr`, or by its number."""
    wanted: dict[str, set[str]] = {}
    entries = list(entries)
    for entry in entries:
        wanted.setdefault(entry.object_type, set()).add(entry.object_id)
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model = _model(object_type)
        if model is not None:
            names |= {(object_type, pk): name for pk, name in _current_names(model, ids).items()}
    for entry in entries:
        key = (entry.object_type, entry.object_id)
        if key not in names:
            names[key] = entry.object_repr or _("№ %(id)s") % {"id": entry.object_id}
    return names


def _current_names(model: type[models.Model], ids: set[str]) -> dict[str, str]:
    pks = []
    for value in ids:
        try:
            pks.append(model._meta.pk.to_python(value))
        except (ValidationError, ValueError, TypeError):
            continue
    links = [f.name for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    rows = model._base_manager.select_related(*links).filter(pk__in=pks)
    return {str(row.pk): str(row) for row in rows}


def _object_kind(entry: AuditEntry) -> str:
    model = _model(entry.object_type)
    return str(model._meta.verbose_name) if model is not None else entry.object_type


def _people_names(entries: list[AuditEntry]) -> dict[int, str]:
    ids: set[int] = set()
    for entry in entries:
        for key in PEOPLE_KEYS & set(_data(entry)):
            value = _data(entry)[key]
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, int) and not isinstance(item, bool):
                    ids.add(item)
    if not ids:
        return {}
    return {user.pk: user.display_name for user in get_user_model().objects.filter(pk__in=ids)}


def _data(entry: AuditEntry) -> dict[str, Any]:
    return entry.data if isinstance(entry.data, dict) else {"": entry.data}


def _lines(entry: AuditEntry, people: Mapping[int, str]) -> list[tuple[str, str]]:
    kind = ACTIONS.get(entry.action)
    values = {**DEFAULT_VALUES, **(kind.values if kind else {})}
    model = _model(entry.object_type)
    lines = []
    # PostgreSQL's jsonb keeps keys in its own order: show them in the order their names
    # were registered (from, to…), unnamed ones after, the reason last, on every database.
    order = {key: index for index, key in enumerate(FIELDS)}
    data = _data(entry)
    for key in sorted(data, key=lambda k: (k == "reason", order.get(k, len(order)), k)):
        value = data[key]
        label = str(FIELDS.get(key, key.replace("_", " ")))
        if key in PEOPLE_KEYS:
            text = _listed(value, lambda v: people.get(v, f"№ {v}") if isinstance(v, int) else v)
        elif key in FIELD_NAME_KEYS:
            text = _listed(value, lambda v: _field_name(model, v))
        elif key in values or _has_choices(model, key):
            how = values.get(key, key)
            text = _listed(value, lambda v, how=how: _choice(model, how, v))
        elif key in SYSTEM_TEXT_KEYS and isinstance(value, str) and value:
            text = _(value)
        else:
            text = _value(value)
        lines.append((label, text))
    return lines


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: Any) -> models.Field[Any, Any] | None:
    if model is None or not isinstance(name, str):
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _has_choices(model: type[models.Model] | None, name: str) -> bool:
    found = _field(model, name)
    return found is not None and bool(found.choices)


def _field_name(model: type[models.Model] | None, name: Any) -> str:
    found = _field(model, name)
    return str(found.verbose_name) if found is not None else _value(name)


def _choice(model: type[models.Model] | None, how: Values, code: Any) -> str:
    choices: Mapping[Any, Text]
    if isinstance(how, str):
        found = _field(model, how)
        choices = dict(found.flatchoices) if found is not None else {}
    elif isinstance(how, type) and issubclass(how, models.Choices):
        choices = dict(how.choices)
    else:
        choices = how
    label = choices.get(code)
    return str(label) if label is not None else _value(code)


def _listed(value: Any, one: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(one(item)) for item in value) if value else "—"
    return str(one(value))


def _value(value: Any) -> str:
    """A value as a person reads it: да/нет, numbers with a decimal comma, moments on the
    city's clock, lists joined, nested data as «ключ: значение»."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, int | float | Decimal):
        return plain_number(value)
    if isinstance(value, list):
        return ", ".join(_value(item) for item in value) if value else "—"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_value(item)}" for key, item in value.items()) or "—"
    if isinstance(value, str):
        return _text(value)
    return json.dumps(value, ensure_ascii=False, default=str)


def _text(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is not None and moment.tzinfo is not None and "T" in value:
        return formats.date_format(local_time(moment), "DATETIME_FORMAT")
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return value
    return plain_number(number) if number.is_finite() and value.strip() == value else value
