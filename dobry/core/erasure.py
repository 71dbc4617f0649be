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
from dobry.core.search import SearchableModel

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


# Between the digits of a phone people type spaces, hyphens, dots and brackets
# («+7 913 123-45-67», «8(913)1234567»); the database narrows with any non-digits.
_PHONE_GAP = r"[\s().+\-]{0,3}"
_PHONE_GAP_SQL = "[^0-9]{0,3}"
# Any Russian phone and any email address, as a person types them in free text.
# A mobile number (9xx) with or without the country's prefix; any other number only with
# it, its area code of 3–5 digits in brackets or not, ten digits in all.
_AREA = "|".join(rf"\(?\d{{{n}}}\)?(?:{_PHONE_GAP}\d){{{10 - n}}}" for n in (3, 4, 5))
ANY_PHONE = re.compile(
    rf"(?<![\d\w])(?:\+\s*7|8|7)?{_PHONE_GAP}\(?9\d{{2}}\)?(?:{_PHONE_GAP}\d){{7}}(?!\d)"
    rf"|(?<![\d\w])(?:\+\s*7|8){_PHONE_GAP}(?:{_AREA})(?!\d)"
)
ANY_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.IGNORECASE)


def national_number(value: str) -> str | None:
    """The ten digits of a Russian phone written in any way (+7…, 8…, with spaces,
    hyphens, brackets), or None when `value` is not a phone."""
    if not re.fullmatch(r"[\d\s().+\-]+", value or ""):
        return None
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits[0] in "78":
        return digits[1:]
    return digits if len(digits) == 10 else None


def _phone_pattern(digits: str, gap: str, *, prefix: bool) -> str:
    """A pattern for the phone with these ten digits however it is written; with the
    country's prefix (+7, 8) when it is to be replaced, not only found."""
    lead = rf"(?:(?:\+{gap}7|8|7){gap})?" if prefix else ""
    return lead + gap.join(re.escape(d) for d in digits)


def redact_contacts(value: Any) -> Any:
    """The value with every phone number and email address replaced by `REDACTED`,
    whoever's they are; dicts and lists (JSON) are walked. For texts a person wrote that
    are kept for others without them (an application's team and contacts)."""
    if isinstance(value, str):
        return ANY_PHONE.sub(REDACTED, ANY_EMAIL.sub(REDACTED, value))
    if isinstance(value, list):
        return [redact_contacts(item) for item in value]
    if isinstance(value, dict):
        return {key: redact_contacts(item) for key, item in value.items()}
    return value


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
    def phones(self) -> tuple[str, ...]:
        """The ten digits of each phone among the values: found however it is written."""
        return tuple(sorted({n for v in self.values if (n := national_number(v))}))

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self.values:
            return None
        # Whole words only: erasing «Иван» must not leave «[удалено]ов» of another person.
        # A word is letters and digits; «_» separates words in file names. JSON kept as
        # text (stored API answers) escapes non-ASCII letters, so those forms are found too.
        forms = sorted(set(self.values) | {_json_escaped(v) for v in self.values}, key=len)
        alternatives = [re.escape(v) for v in reversed(forms)]
        words = rf"(?<![^\W_])(?:{'|'.join(alternatives)})(?![^\W_])"
        # A phone in any spelling («+7 913 123-45-67», «8(913)1234567»), digits whole.
        phones = [_phone_pattern(d, _PHONE_GAP, prefix=True) for d in self.phones]
        either = "|".join([*(rf"(?<![\d+])(?:{p})(?!\d)" for p in phones), words])
        return re.compile(either, re.IGNORECASE)

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

    def phone_regexes(self) -> list[str]:
        """What to look for in the database besides `search_forms`: each phone with any
        non-digits between its digits (a regular expression both databases understand)."""
        return [_phone_pattern(d, _PHONE_GAP_SQL, prefix=False) for d in self.phones]

    def search_forms(self) -> list[str]:
        """What to look for in the database: each value as stored in a text column, and as
        JSON stores it (non-ASCII characters escaped as \\uXXXX)."""
        return sorted(set(self.values) | {_json_escaped(v) for v in self.values})


def scrub_rows(queryset: models.QuerySet[Any], fields: Sequence[str], traces: Traces) -> int:
    """Rewrite the given text/JSON columns of every row that mentions a trace.

    The database narrows the rows (a LIKE per trace and column, a regular expression per
    phone); the replacement itself is done in Python, so JSON stays valid. Returns the
    number of rows changed.
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
        for regex in traces.phone_regexes():
            condition |= models.Q(**{f"{column}__regex": regex})
    changed = 0
    for row in queryset.annotate(**annotations).filter(condition).iterator():
        updates = _scrubbed(row, fields, traces)
        if updates:
            model._default_manager.filter(pk=row.pk).update(**updates)
            changed += 1
    return changed


def _scrubbed(row: models.Model, fields: Sequence[str], traces: Traces) -> dict[str, Any]:
    """The new values of the row's columns that mention a trace (none if none do)."""
    model = type(row)
    updates = {}
    for name in fields:
        before = getattr(row, name)
        after = traces.scrub(before)
        max_length = getattr(model._meta.get_field(name), "max_length", None)
        if isinstance(after, str) and max_length:
            after = after[:max_length]
        if after != before:
            updates[name] = after
    if updates and isinstance(row, SearchableModel):
        # the folded copy the search reads follows the fields it is made of
        for name, value in updates.items():
            setattr(row, name, value)
        updates["search_text"] = row.folded_search_text()
    return updates


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
    for regex in traces.phone_regexes():
        condition |= models.Q(**{f"{field.attname}__regex": regex})
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
