"""A typed reference to an object of any app: «this news item is about that campaign».

An app that links to an object of another app — possibly a higher one, which it may not
import — stores a `Reference`: the model's label (`events.registration`) and the primary
key. Resolving it goes through a registry that `dobry.site` fills (`site/references.py`):
only registered models can be referenced, so a label from a form or a URL never loads an
arbitrary table, and each registered kind says how it is named for people.

Store it in two columns (`<name>_type` CharField(100), `<name>_id` CharField(64)) — the
support registry's `source_type`/`source_id` are one.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models

Label = str


@dataclass(frozen=True)
class Kind:
    """A model that may be referenced, and how people see it."""

    model: type[models.Model]
    describe: Callable[[models.Model], str] = str


_REGISTRY: dict[Label, Kind] = {}


def register(model: type[models.Model], *, describe: Callable[[models.Model], str] = str) -> None:
    """Allow references to `model` (called by `dobry.site` at start-up; idempotent)."""
    _REGISTRY[model._meta.label_lower] = Kind(model, describe)


def registered() -> tuple[Label, ...]:
    return tuple(sorted(_REGISTRY))


class UnknownReference(LookupError):
    """The label is not a registered kind of reference."""


@dataclass(frozen=True)
class Reference:
    """`label` is the model's `app_label.model_name`; `pk` its primary key, as text."""

    label: Label
    pk: str

    @classmethod
    def to(cls, obj: models.Model) -> "Reference":
        """The reference to a saved object (its model need not be registered to be stored)."""
        if obj.pk is None:
            raise ValueError("a reference needs a saved object")
        return cls(obj._meta.label_lower, str(obj.pk))

    def kind(self) -> Kind:
        try:
            return _REGISTRY[self.label]
        except KeyError:
            raise UnknownReference(self.label) from None

    def resolve(self) -> models.Model | None:
        """The object, or None when it was deleted. Raises `UnknownReference` for a label
        that `dobry.site` did not register."""
        model = self.kind().model
        return model._default_manager.filter(pk=self.pk).first()

    def describe(self) -> str:
        """How people see the referenced object ('' when it no longer exists)."""
        obj = self.resolve()
        return self.kind().describe(obj) if obj is not None else ""

    def __str__(self) -> str:
        return f"{self.label}:{self.pk}"


def model_for(label: Label) -> type[models.Model]:
    """The registered model of `label` (as `apps.get_model`, but registered ones only)."""
    if label not in _REGISTRY:
        raise UnknownReference(label)
    return apps.get_model(label)
