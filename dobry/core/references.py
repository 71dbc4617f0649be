"""A typed reference to an object of any app: «this support was that consultation».

An app that links to an object of another app — possibly a higher one, which it may not
import — stores a `Reference`: a registered *kind* (`consultation`, `grant_application`)
and the object's primary key, in two columns that `ReferenceField` adds to the model
(`<name>_kind`, `<name>_pk`). `dobry.site` fills the registry at start-up
(`site/references.py`): each kind names its model, how people see it (a title and the URL
of its page) and who may see it — the owning app's permission function in its list form
(`visible_<objects>(user)`, the objects the user may open, as in
`helprequests.permissions.visible_requests`).

Reading references for people always goes through `resolve`/`resolve_many`/`attach`, with
the user who reads: one query per kind however many references are shown, and a target
that was deleted or that the user may not see gives `None` — never its title. A kind
nobody registered is refused at input (`check_kind`) and shown as `None` if stored.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self, TypeVar, overload

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise as _StrPromise
from django.utils.translation import gettext_lazy as _

from dobry.core.permissions import Actor

KIND_LENGTH = 40
# what a kind looks like, for API schemas (a form offers the registered ones only)
KIND_PATTERN = r"^[a-z][a-z_]{0,39}$"


@dataclass(frozen=True)
class Reference:
    """A registered kind and the primary key of the object it points to."""

    kind: str
    pk: int

    def __str__(self) -> str:
        return f"{self.kind}:{self.pk}"


@dataclass(frozen=True)
class Link:
    """What a person may see of a referenced object: its title and its page ('' if none)."""

    kind: str
    pk: int
    title: str
    url: str


def _absolute_url(obj: Any) -> str:
    return str(obj.get_absolute_url()) if hasattr(obj, "get_absolute_url") else ""


@dataclass(frozen=True)
class Kind:
    """A model that may be referenced, how people see it, and who may."""

    name: str
    model: type[models.Model]
    label: str | Promise  # what it is, for people: «консультация»
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    visible: Callable[[Actor], models.QuerySet[Any]]
    select_related: tuple[str, ...] = ()


M = TypeVar("M", bound=models.Model)

_KINDS: dict[str, Kind] = {}
_BY_MODEL: dict[str, str] = {}  # model label → kind


class UnknownReference(LookupError):
    """The kind is not registered, or the model cannot be referenced."""


class LinksNotResolved(RuntimeError):
    """`<name>_link` was read before `attach` resolved it (a programming error: templates
    and schemas must show what `attach` resolved for the reader, not guess)."""


def register(
    kind: str,
    *,
    model: type[models.Model],
    label: str | Promise,
    title: Callable[[Any], str],
    visible: Callable[[Actor], models.QuerySet[Any]],
    url: Callable[[Any], str] = _absolute_url,
    select_related: Sequence[str] = (),
) -> None:
    """Allow references to `model` under the name `kind` (called by `dobry.site` at
    start-up; registering the same kind for the same model again replaces it). `visible`
    is the owning app's list form of its permission: the objects `user` may open."""
    if not isinstance(kind, str) or not kind or len(kind) > KIND_LENGTH:
        raise ImproperlyConfigured(f"reference kind {kind!r}: 1–{KIND_LENGTH} characters")
    label_lower = model._meta.label_lower
    taken = _KINDS.get(kind)
    if taken is not None and taken.model is not model:
        raise ImproperlyConfigured(f"reference kind {kind!r} is {taken.model._meta.label}")
    if _BY_MODEL.get(label_lower, kind) != kind:
        raise ImproperlyConfigured(f"{model._meta.label} is the kind {_BY_MODEL[label_lower]!r}")
    _KINDS[kind] = Kind(kind, model, label, title, url, visible, tuple(select_related))
    _BY_MODEL[label_lower] = kind


def unregister(kind: str) -> None:
    """Forget a kind (for tests that register their own)."""
    registered = _KINDS.pop(kind, None)
    if registered is not None:
        _BY_MODEL.pop(registered.model._meta.label_lower, None)


def kinds() -> tuple[str, ...]:
    return tuple(sorted(_KINDS))


def kind_choices() -> list[tuple[str, str]]:
    """The registered kinds for a form's select, by their names for people."""
    return sorted(((name, str(kind.label)) for name, kind in _KINDS.items()), key=lambda c: c[1])


def check_kind(kind: str) -> Kind:
    """The registered kind; raises `UnknownReference` for any other name (input)."""
    try:
        return _KINDS[kind]
    except (KeyError, TypeError):
        raise UnknownReference(kind) from None


def kind_label(kind: str) -> str:
    """The kind's name for people («консультация»), or the stored name if unregistered."""
    registered = _KINDS.get(kind)
    return str(registered.label) if registered is not None else kind


def validate_kind(kind: str) -> None:
    """A model validator: a stored kind must be registered (blank means no reference)."""
    if kind and kind not in _KINDS:
        raise ValidationError(_("Неизвестный вид ссылки."), code="unknown_reference")


def kind_of(model: type[models.Model]) -> str:
    """The kind `model` is registered as; raises `UnknownReference` if it is not."""
    try:
        return _BY_MODEL[model._meta.label_lower]
    except KeyError:
        raise UnknownReference(model._meta.label_lower) from None


def reference_to(obj: models.Model) -> Reference:
    """The reference to a saved object of a registered model."""
    if obj.pk is None:
        raise ValueError("a reference needs a saved object")
    return Reference(kind_of(type(obj)), int(obj.pk))


def resolve_many(refs: Iterable[Reference | None], user: Actor) -> dict[Reference, Link | None]:
    """What `user` sees of each reference: one query per kind, whatever their number. A
    deleted target, one the user may not see, and an unregistered kind all give None."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for ref in refs:
        if ref is not None:
            wanted[ref.kind].add(ref.pk)
    links: dict[Reference, Link | None] = {}
    for name, pks in wanted.items():
        kind = _KINDS.get(name)
        found: dict[int, Link] = {}
        if kind is not None:
            objects = kind.visible(user).filter(pk__in=pks)
            if kind.select_related:
                objects = objects.select_related(*kind.select_related)
            for obj in objects:
                found[obj.pk] = Link(name, obj.pk, kind.title(obj), kind.url(obj))
        for pk in pks:
            links[Reference(name, pk)] = found.get(pk)
    return links


def resolve(ref: Reference | None, user: Actor) -> Link | None:
    """What `user` sees of one reference (None: none, deleted, hidden or unknown)."""
    if ref is None:
        return None
    return resolve_many([ref], user)[ref]


def _link_attribute(name: str) -> str:
    return f"_{name}_link"


def attach(objects: Iterable[M], name: str, user: Actor) -> list[M]:
    """Resolve the `ReferenceField` `name` of every object for `user` at once (a page of a
    list: one query per kind) and keep the result as `obj.<name>_link`; returns the
    objects as a list (iterate that, not the queryset again)."""
    objects = list(objects)
    refs = [getattr(obj, name) for obj in objects]
    links = resolve_many(refs, user)
    for obj, ref in zip(objects, refs, strict=True):
        obj.__dict__[_link_attribute(name)] = links[ref] if ref is not None else None
    return objects


def link_of(obj: models.Model, name: str) -> Link | None:
    """The link `attach` resolved for `obj.<name>`; raises `LinksNotResolved` if it did not
    run (so a page or a schema never shows a reference unchecked, nor silently none)."""
    try:
        link: Link | None = obj.__dict__[_link_attribute(name)]
    except KeyError:
        raise LinksNotResolved(f"{type(obj).__name__}.{name}: call references.attach") from None
    return link


class _LinkAttribute:
    """`obj.<name>_link`: the resolved `Link` (for templates), see `link_of`."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, instance: models.Model | None, owner: type) -> Any:
        if instance is None:
            return self
        return link_of(instance, self.name)


class ReferenceField:
    """A reference stored on a model: `source = ReferenceField(_("источник"))` adds the
    columns `source_kind` (blank: none) and `source_pk`, reads and writes
    `obj.source` as a `Reference | None`, and offers `obj.source_link` once `attach` ran.
    Add `ReferenceField.whole("source", constraint=...)` to the model's constraints and,
    when rows are looked up by what they reference (`ReferenceField.to`),
    `ReferenceField.index("source", index=...)` to its indexes (a sweep checks it)."""

    def __init__(self, verbose_name: "str | _StrPromise" = "") -> None:
        self.verbose_name = verbose_name
        self.name = ""

    def contribute_to_class(self, cls: type[models.Model], name: str) -> None:
        self.name = name
        cls.add_to_class(
            f"{name}_kind",
            models.CharField(
                self.verbose_name,
                max_length=KIND_LENGTH,
                blank=True,
                default="",
                validators=[validate_kind],
            ),
        )
        cls.add_to_class(f"{name}_pk", models.PositiveBigIntegerField(null=True, blank=True))
        setattr(cls, name, self)
        setattr(cls, f"{name}_link", _LinkAttribute(name))

    @overload
    def __get__(self, instance: None, owner: type) -> Self: ...

    @overload
    def __get__(self, instance: models.Model, owner: type) -> Reference | None: ...

    def __get__(self, instance: models.Model | None, owner: type) -> "Self | Reference | None":
        if instance is None:
            return self
        kind, pk = getattr(instance, f"{self.name}_kind"), getattr(instance, f"{self.name}_pk")
        return Reference(kind, pk) if kind and pk is not None else None

    def __set__(self, instance: models.Model, value: Reference | None) -> None:
        setattr(instance, f"{self.name}_kind", value.kind if value is not None else "")
        setattr(instance, f"{self.name}_pk", value.pk if value is not None else None)
        instance.__dict__.pop(_link_attribute(self.name), None)

    @staticmethod
    def whole(name: str, *, constraint: str) -> models.CheckConstraint:
        """Both columns set, or neither."""
        return models.CheckConstraint(
            condition=Q(**{f"{name}_kind": "", f"{name}_pk__isnull": True})
            | (~Q(**{f"{name}_kind": ""}) & Q(**{f"{name}_pk__isnull": False})),
            name=constraint,
        )

    @staticmethod
    def index(name: str, *, index: str) -> models.Index:
        """The index `to(name, …)` reads through (kind, then id): the rows that reference
        one object, found without reading every row."""
        return models.Index(fields=[f"{name}_kind", f"{name}_pk"], name=index)

    @staticmethod
    def to(name: str, ref: Reference) -> Q:
        """The rows that reference `ref` in their `name` field (a queryset filter)."""
        return Q(**{f"{name}_kind": ref.kind, f"{name}_pk": ref.pk})
