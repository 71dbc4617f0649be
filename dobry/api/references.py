"""The API's side of `dobry.core.references`: a reference in a body (kind + id) and what a
reader sees of one (kind + id + title + url, or null when the target was deleted or the
reader may not see it).

An output schema declares `source: ReferenceOut | None` and resolves it with
`reference_out(references.link_of(obj, "source"))`; the endpoint resolves the page of
objects for its caller first — a list with `@paginate(Pages, links=["source"])`, one object
with `references.attach([obj], "source", user)` — so a list costs one query per kind.
"""

from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field

from dobry.api.fields import Id
from dobry.core import references
from dobry.core.input_schema import InputSchema
from dobry.core.references import KIND_LENGTH, KIND_PATTERN, Link, Reference


def _registered(kind: str) -> str:
    try:
        references.check_kind(kind)
    except references.UnknownReference:
        raise ValueError(
            _("Неизвестный вид ссылки. Возможные: %(kinds)s.")
            % {"kinds": ", ".join(references.kinds())}
        ) from None
    return kind


# A registered kind of reference (`dobry/site/references.py` lists them).
ReferenceKind = Annotated[
    str, Field(max_length=KIND_LENGTH, pattern=KIND_PATTERN), AfterValidator(_registered)
]


class ReferenceIn(InputSchema):
    """An object of another app named in a body: its kind and id."""

    kind: ReferenceKind
    id: Id

    def reference(self) -> Reference:
        return Reference(self.kind, self.id)


class ReferenceOut(Schema):
    """What the reader may see of a referenced object."""

    kind: str
    id: int
    title: str
    url: str | None = Field(description="the path of the object's page; null if it has none")


def reference_out(link: Link | None) -> ReferenceOut | None:
    """The schema of a resolved reference (None: deleted, or hidden from the reader)."""
    if link is None:
        return None
    return ReferenceOut(kind=link.kind, id=link.pk, title=link.title, url=link.url or None)
