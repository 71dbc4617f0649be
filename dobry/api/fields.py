"""Reading request bodies the same way in every app: what a PATCH sent, and districts
given by their slug."""

from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _
from ninja import Schema

from dobry.core.errors import DomainError
from dobry.core.models import District


def sent_fields(payload: Schema, nullable: Collection[str] = ()) -> dict[str, Any]:
    """The fields a PATCH body sent. Null clears only the fields named `nullable`; for any
    other it is refused (422) rather than reaching a NOT NULL column."""
    fields = payload.dict(exclude_unset=True)
    refused = sorted(
        name for name, value in fields.items() if value is None and name not in nullable
    )
    if refused:
        raise DomainError(
            _("Эти поля нельзя очистить."),
            field_errors={name: [_("Пустое значение не допускается.")] for name in refused},
        )
    return fields


def district_by_slug(slug: str | None) -> District | None:
    """A district from its slug; empty means none, an unknown slug is a 422."""
    if not slug:
        return None
    district = District.objects.filter(slug=slug).first()
    if district is None:
        raise DomainError(
            _("Неизвестный район."), field_errors={"district": [_("Неизвестный код района.")]}
        )
    return district
