"""Search that behaves the same on SQLite and PostgreSQL.

SQLite's LIKE folds only ASCII letters, so Cyrillic text is searched in a folded copy
(`search_text`) kept beside the fields it is made of.
"""

from typing import Any, ClassVar, TypeVar

from django.db import models
from django.db.models import Q, QuerySet


def fold_for_search(text: str) -> str:
    return text.casefold().replace("ё", "е")


QS = TypeVar("QS", bound=QuerySet)


def search_words(queryset: QS, text: str, *fields: str) -> QS:
    """Rows in which every word of `text` (at most eight) is in the folded text of one of
    `fields` (default: the row's own `search_text`; e.g. also ``organization__search_text``
    to find an organiser's events by its name)."""
    fields = fields or ("search_text",)
    for word in fold_for_search(text).split()[:8]:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__contains": word})
        queryset = queryset.filter(match)
    return queryset


class SearchableModel(models.Model):
    """Keeps `search_text`, the folded copy of SEARCH_FIELDS, in step on every save."""

    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.folded_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)

    def searched_fields(self) -> tuple[str, ...]:
        """The fields folded into `search_text`: SEARCH_FIELDS, unless a model narrows them
        for a row whose text is not public yet."""
        return self.SEARCH_FIELDS

    def folded_search_text(self) -> str:
        """The folded copy of `searched_fields()`, as `search_text` keeps it."""
        return fold_for_search(
            " ".join(str(getattr(self, name) or "") for name in self.searched_fields())
        )
