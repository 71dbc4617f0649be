"""How much a person may type into each free-text field (issue 11 §2: a 3 MB consultation
was saved). The limit lives on the model field (`TextField(max_length=…)`); model forms take
it from there, plain forms and API schemas read it with `text_limit(Model, "field")`, so a
field has one limit wherever it is written. `core/tests/test_text_limits.py` fails on a
TextField, a form text field or an API input string without one.

- `SHORT`: a reason, a comment, a note, feedback, a list of skills or needs;
- `MESSAGE`: a message, a question, what is needed, a summary, a decision, an agenda;
- `LONG`: a description published on pages (events, organisations, programmes, library
  texts), meeting minutes;
- `DOCUMENT`: a legal text staff paste in (consent texts, competition rules).

A text over its limit is refused, naming the field (`require_within_limits`: a DomainError,
422 in the API, a message at the field on a page) — never cut to fit: a person who typed it
would not know what was lost (issue 11: an application's text was cut at 20,000 characters
without a word). `core/tests/test_text_limits.py` fails on a service that slices typed text."""

from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dobry.core.errors import DomainError

SHORT = 2_000
MESSAGE = 10_000
LONG = 20_000
DOCUMENT = 100_000
# A phone number as typed («+7 (913) 123-45-67 доб. 12»), before it is normalised.
PHONE = 32


def text_limit(model: type[models.Model], field_name: str) -> int:
    """The max_length of `model.field_name`, which must have one."""
    limit = model._meta.get_field(field_name).max_length  # type: ignore[union-attr]
    if not limit:
        raise ValueError(f"{model._meta.label}.{field_name} has no max_length")
    return int(limit)


def too_long(limit: int) -> str:
    """The message for a text over `limit` characters (the API says the same)."""
    return ngettext(
        "Слишком длинный текст: не больше %(n)s символа.",
        "Слишком длинный текст: не больше %(n)s символов.",
        limit,
    ) % {"n": limit}


def length_errors(texts: Mapping[str, tuple[object, int]]) -> dict[str, list[str]]:
    """{field: [message]} for each `field: (text, limit)` whose text is over its limit."""
    return {
        field: [too_long(limit)]
        for field, (text, limit) in texts.items()
        if isinstance(text, str) and len(text) > limit
    }


def require_within_limits(texts: Mapping[str, tuple[object, int]]) -> None:
    """Refuse (DomainError naming each field) any `field: (text, limit)` over its limit."""
    errors = length_errors(texts)
    if errors:
        raise DomainError(_("Слишком длинный текст: сократите его."), field_errors=errors)
