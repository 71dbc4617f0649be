"""Removing a person's traces from copies of their data (152-ФЗ art. 21 part 5).

What a person typed into their own records is erased by the app that owns the record. But
the platform also copies those values into places that belong to others: notifications and
emails sent to coordinators, audit entries' data, queued tasks' arguments, sessions. There
the person's identifying values (name, phone, email, address) are replaced by `REDACTED`;
the rest of the copy stays, because others depend on it.

`Traces` holds those values; `scrub_rows` finds the rows of a queryset whose given text or
JSON columns mention one of them and rewrites them.
"""

import json
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import models
from django.db.models.functions import Cast

from dobry.core.files import delete_from_storage

REDACTED = "[удалено]"
# Shorter values ("Ян", a flat number) would match inside unrelated words.
MIN_TRACE_LENGTH = 4


def phone_variants(phone: str) -> list[str]:
    """A Russian phone as typed in the forms (+7…) and as people write it (8…, digits only)."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) != 11 or digits[0] not in "78":
        return [phone] if phone else []
    rest = digits[1:]
    return [phone, f"+7{rest}", f"7{rest}", f"8{rest}"]


def _json_escaped(value: str) -> str:
    """`value` as `json.dumps` writes it inside a string (non-ASCII as \\uXXXX)."""
    return json.dumps(value)[1:-1]


@dataclass(frozen=True)
class Traces:
    """The identifying values of one person, longest first (so a full name is replaced
    before its parts). Matching is case-insensitive."""

    values: tuple[str, ...]

    @classmethod
    def of(cls, values: Iterable[str]) -> "Traces":
        cleaned = {" ".join(str(v).split()) for v in values if v}
        kept = {v for v in cleaned if len(v) >= MIN_TRACE_LENGTH}
        return cls(tuple(sorted(kept, key=lambda v: (-len(v), v))))

    def __bool__(self) -> bool:
        return bool(self.values)

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.values:
            return None
        # Whole words only: erasing «Иван» must not leave «[удалено]ов» of another person.
        # A word is letters and digits; «_» separates words in file names. JSON kept as
        # text (stored API answers) escapes non-ASCII letters, so those forms are found too.
        forms = sorted(set(self.values) | {_json_escaped(v) for v in self.values}, key=len)
        alternatives = "|".join(re.escape(v) for v in reversed(forms))
        return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)

    def found_in(self, text: str) -> bool:
        return self._pattern is not None and self._pattern.search(text) is not None

    def scrub(self, value: Any) -> Any:
        """The value with every trace replaced; dicts and lists (JSON) are walked."""
        if self._pattern is None:
            return value
        if isinstance(value, str):
            return self._pattern.sub(REDACTED, value)
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, dict):
            return {self.scrub(key): self.scrub(item) for key, item in value.items()}
        return value

    def search_forms(self) -> list[str]:
        """What to look for in the database: each value as stored in a text column, and as
        JSON stores it (non-ASCII characters escaped as \\uXXXX)."""
        return sorted(set(self.values) | {_json_escaped(v) for v in self.values})


def scrub_rows(queryset: models.QuerySet[Any], fields: Sequence[str], traces: Traces) -> int:
    """Rewrite the given text/JSON columns of every row that mentions a trace.

    The database narrows the rows (a LIKE per trace and column); the replacement itself is
    done in Python, so JSON stays valid. Returns the number of rows changed.
    """
    if not traces:
        return 0
    model = queryset.model
    condition = models.Q()
    annotations: dict[str, Any] = {}
    for name in fields:
        field = model._meta.get_field(name)
        column = name
        if isinstance(field, models.JSONField):
            column = f"_erasure_{name}_text"
            annotations[column] = Cast(name, models.TextField())
        for form in traces.search_forms():
            condition |= models.Q(**{f"{column}__icontains": form})
    changed = 0
    for row in queryset.annotate(**annotations).filter(condition).iterator():
        updates = {}
        for name in fields:
            before = getattr(row, name)
            after = traces.scrub(before)
            max_length = model._meta.get_field(name).max_length
            if isinstance(after, str) and max_length:
                after = after[:max_length]
            if after != before:
                updates[name] = after
        if updates:
            model._default_manager.filter(pk=row.pk).update(**updates)
            changed += 1
    return changed


def scrub_file_names(traces: Traces) -> int:
    """Give a new, unguessable name to every stored file whose name mentions a trace
    («Петров_справка.pdf»), in every file field of every installed model.

    The content stays (the record it belongs to may be kept for others); only the name
    that would identify the person goes. Returns the number of files renamed."""
    from django.apps import apps

    if not traces:
        return 0
    renamed = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                renamed += _rename_files(model, field, traces)
    return renamed


def _rename_files(model: type[models.Model], field: models.FileField, traces: Traces) -> int:
    condition = models.Q()
    for form in traces.search_forms():
        condition |= models.Q(**{f"{field.attname}__icontains": form})
    renamed = 0
    for row in model._default_manager.filter(condition).iterator():
        stored = getattr(row, field.attname)
        if not stored.name or not traces.found_in(stored.name):
            continue
        directory, _slash, base = stored.name.rpartition("/")
        suffix = base.rpartition(".")[2][:10] if "." in base else "bin"
        target = f"{directory}/{secrets.token_urlsafe(16)}.{suffix}".lstrip("/")
        storage = stored.storage
        if storage.exists(stored.name):
            with storage.open(stored.name, "rb") as content:
                target = storage.save(target, content)
            delete_from_storage(storage, stored.name)
        model._default_manager.filter(pk=row.pk).update(**{field.attname: target})
        renamed += 1
    return renamed
