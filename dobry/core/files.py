"""Uploaded files: which are public, which are private, and who may read a private one.

Public files (organisations' logos, events' covers) are pictures shown on public pages; they
stay in the default storage under `MEDIA_URL`, with random names.

Every other upload is a `PrivateFileField`. Its file lives in the private storage
(`DOBRY_PRIVATE_MEDIA_ROOT`, outside `MEDIA_ROOT`, never served by the web server directly)
under a random name (`<prefix>/<32 random hex digits>.<extension>`); the name the person
uploaded is kept in a column of its own and only used as the download's file name. The
field's `.url` is the address of the one view that serves private files
(`core:private_file`), which looks up the owning object and asks the rule that the app
registered here with `register_private` — the same permission function the object's own
pages use. So every link (templates, admin, API) is permission-checked by construction, and
the storage itself has no URL at all.

Each app declares its file fields in a `files.py` module (found by `autodiscover_modules`):
private ones with `register_private(Model, "field", can_read=...)`, public ones with
`register_public(Model, "field", reason=...)`. A test fails on any file field that is
neither.
"""

import contextlib
import errno
import logging
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import pre_save
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from dobry.core.errors import StorageFull
from dobry.core.permissions import Actor, Decision
from dobry.core.uploads import DOCUMENT, SCAN, name_extension

# --- storage ------------------------------------------------------------------------------

logger = logging.getLogger(__name__)

# A full disk, or the quota of the platform's user spent.
FULL_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT}


class RefusingWhenFull(FileSystemStorage):
    """A file system storage that turns a full disk into `StorageFull`, a domain error: the
    service's transaction rolls back (no row names a file that is not there), the page shows
    the form again with its message and what was typed, the API answers 503 — never a 500.
    The part of the file written before the disk filled is removed at once."""

    def _save(self, name: str, content: Any) -> str:
        try:
            return str(super()._save(name, content))  # type: ignore[misc]  # not in the stubs
        except OSError as error:
            if error.errno not in FULL_DISK_ERRORS:
                raise
            logger.error("no space to store %s in %s: %s", name, self.location, error)
            # nothing written, or the removal failing too: the daily sweep of orphans
            with contextlib.suppress(OSError):
                os.remove(self.path(name))
            raise StorageFull(
                _(
                    "Файл не сохранён: на сервере закончилось место для файлов. Ничего не "
                    "записано — повторите попытку позже."
                )
            ) from error


class PublicStorage(RefusingWhenFull):
    """The default storage: public pictures (logos, covers) under MEDIA_ROOT."""


class PrivateStorage(RefusingWhenFull):
    """Files under DOBRY_PRIVATE_MEDIA_ROOT. The folder is read from the settings on each
    use (tests point it at a temporary folder); there is deliberately no URL."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(settings.DOBRY_PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError(
            "Private files have no storage URL: link to the field's .url (the access-checked view)."
        )


def private_storage() -> Storage:
    """The storage of every PrivateFileField (settings.STORAGES["private"])."""
    return storages["private"]


@deconstructible
class PrivatePath:
    """`upload_to` of private files: `<prefix>/<32 random hex digits>.<extension>` — nothing
    of the uploaded name but a short, lower-case extension."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: models.Model, filename: str) -> str:
        return f"{self.prefix}/{secrets.token_hex(16)}{safe_extension(filename)}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrivatePath) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def safe_extension(filename: str) -> str:
    """`.pdf` for `Смета.PDF` and `.pdf`; empty when the name has no short alphanumeric
    extension — as the validators read it (`uploads.name_extension`)."""
    extension = name_extension(filename)
    return f".{extension}" if extension else ""


# --- the field ------------------------------------------------------------------------------


class PrivateFieldFile(FieldFile):
    @property
    def url(self) -> str:
        """The access-checked download address, never a storage URL."""
        if not self.name:
            raise ValueError(f"The '{self.field.name}' attribute has no file associated with it.")
        return private_file_url(self.instance, self.field.name)


class PrivateFileField(models.FileField):
    """A file only some people may read: stored privately under a random name, linked and
    served through `core:private_file` after the owner's permission check.

    `prefix` is the folder in the private storage; `name_field` names the model's column that
    keeps the uploaded file's own name (filled on upload, shown as the download's name).
    """

    attr_class = PrivateFieldFile

    def __init__(
        self,
        verbose_name: Any = None,
        *,
        prefix: str = "",
        name_field: str = "",
        **kwargs: Any,
    ) -> None:
        self.prefix = prefix
        self.name_field = name_field
        kwargs["upload_to"] = PrivatePath(prefix)
        kwargs["storage"] = private_storage
        super().__init__(verbose_name, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("upload_to", None)
        kwargs.pop("storage", None)
        kwargs["prefix"] = self.prefix
        if self.name_field:
            kwargs["name_field"] = self.name_field
        return name, path, args, kwargs

    def contribute_to_class(self, cls: type[models.Model], name: str, **kwargs: Any) -> None:  # type: ignore[override]
        super().contribute_to_class(cls, name, **kwargs)
        if self.name_field and not cls._meta.abstract:
            pre_save.connect(self._remember_uploaded_name, sender=cls, weak=False)

    def _remember_uploaded_name(self, sender: type, instance: models.Model, **kwargs: Any) -> None:
        # Before the upload is stored under its random name, keep the person's own name
        # for the download (a signal, because a field's pre_save runs after earlier
        # columns' values were already collected).
        file = getattr(instance, self.attname)
        if file and not file._committed:
            setattr(instance, self.name_field, _fit(instance, self.name_field, file.name))


def _fit(instance: models.Model, name_field: str, path: str | None) -> str:
    """The base name of `path`, cut to the column's length."""
    column = instance._meta.get_field(name_field)
    return fit_file_name(path or "", getattr(column, "max_length", None) or 200)


# An extension longer than this is not one a person would miss (".docx", ".xlsx", ".jpeg").
_KEPT_EXTENSION = 10


def fit_file_name(path: str, limit: int) -> str:
    """The base name of `path` in at most `limit` characters, its extension kept: a long
    name is cut inside its stem («очень-длинное….pdf» stays a PDF when downloaded, where a
    plain cut once left «очень-длинн» that no program would open)."""
    name = os.path.basename(path)
    if len(name) <= limit:
        return name
    stem, extension = os.path.splitext(name)
    if not extension or len(extension) > min(_KEPT_EXTENSION, limit - 1):
        return name[:limit]
    return stem[: limit - len(extension)] + extension


# --- which field is which ---------------------------------------------------------------------

AccessRule = Callable[[Actor, Any], Decision | bool]
# Called after access was granted, before the file is sent: e.g. an audit entry for a file
# that holds special-category data (152-ФЗ art. 10).
ReadHook = Callable[[Actor, Any], None]
# The name a download is offered under (no extension: the stored file's is added), for a
# field that keeps no uploaded name (it might hold a person's name).
DownloadName = Callable[[Any], str]


@dataclass(frozen=True)
class PrivateFile:
    """A registered private file field and who may read it."""

    model: type[models.Model]
    field: PrivateFileField
    can_read: AccessRule
    select_related: tuple[str, ...] = ()
    on_read: ReadHook | None = None
    download_name: DownloadName | None = None
    # Columns the download never needs and must not load (encrypted special-category text).
    defer: tuple[str, ...] = ()
    # What the files are (`core.uploads.DOCUMENT` or `SCAN`): the upload is checked by
    # `validate_document` or `validate_scan` accordingly (tests/test_private_files.py).
    holds: str = DOCUMENT

    @property
    def key(self) -> str:
        return file_key(self.model, self.field.name)

    def display_name(self, instance: models.Model) -> str:
        """The name a download carries: the uploaded one (`name_field`), else the field's
        `download_name`, never the random stored name when either is declared."""
        stored = getattr(instance, self.field.attname).name or ""
        original = getattr(instance, self.field.name_field, "") if self.field.name_field else ""
        if original:
            return str(original)
        if self.download_name is not None:
            extension = os.path.splitext(stored)[1]
            return f"{self.download_name(instance)}{extension}"
        return os.path.basename(stored)


@dataclass(frozen=True)
class PublicFile:
    model: type[models.Model]
    field: models.FileField
    reason: str


_private: dict[str, PrivateFile] = {}
_public: dict[str, PublicFile] = {}
_discovered = False


def file_key(model: type[models.Model], field_name: str) -> str:
    """`grants.applicationattachment.file`: how the URL names a file field."""
    return f"{model._meta.label_lower}.{field_name}"


def register_private(
    model: type[models.Model],
    field_name: str,
    *,
    can_read: AccessRule,
    select_related: tuple[str, ...] = (),
    on_read: ReadHook | None = None,
    download_name: DownloadName | None = None,
    defer: tuple[str, ...] = (),
    holds: str = DOCUMENT,
) -> None:
    """Declare who may read the files of `model.field_name`: `can_read(user, instance)` is
    the owning object's own permission function (a Decision or a bool); `on_read(user,
    instance)`, if given, runs for each permitted read (an audit entry). A download carries
    the uploaded name (the field's `name_field`) or, for a field that keeps none,
    `download_name(instance)` — a meaningful name, never the random stored one. The columns
    in `defer` are not loaded to serve a download (e.g. encrypted health data beside the
    file). `holds` says what the files are — any attached document (`DOCUMENT`) or the scan
    of a signed paper form (`SCAN`) — and so which validator of `core.uploads` the service
    that stores them applies."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, PrivateFileField):
        raise TypeError(f"{file_key(model, field_name)} is not a PrivateFileField")
    if holds not in (DOCUMENT, SCAN):
        raise ValueError(f"{file_key(model, field_name)}: unknown kind of file {holds!r}")
    _private[file_key(model, field_name)] = PrivateFile(
        model, field, can_read, select_related, on_read, download_name, defer, holds
    )


def register_public(model: type[models.Model], field_name: str, *, reason: str) -> None:
    """Declare a file field public (served from MEDIA_URL to anyone), saying why."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.FileField) or isinstance(field, PrivateFileField):
        raise TypeError(f"{file_key(model, field_name)} is not a public FileField")
    _public[file_key(model, field_name)] = PublicFile(model, field, reason)


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("files")
        _discovered = True


def private_files() -> dict[str, PrivateFile]:
    _discover()
    return _private


def public_files() -> dict[str, PublicFile]:
    _discover()
    return _public


def private_file_url(instance: models.Model, field_name: str) -> str:
    """`/files/<app>.<model>.<field>/<pk>/`: the access-checked address of a private file."""
    return reverse("core:private_file", args=[file_key(type(instance), field_name), instance.pk])


def stored_private_files(instance: models.Model) -> Iterator[FieldFile]:
    """The non-empty private files of one object."""
    for field in instance._meta.get_fields():
        if isinstance(field, PrivateFileField):
            file = getattr(instance, field.attname)
            if file:
                yield file


def delete_from_storage(storage: Storage, name: str) -> None:
    """Delete the stored file `name` once the current transaction commits — never when it
    rolls back, which would leave the row it belongs to pointing at a missing file. Outside
    a transaction the file goes at once. A file already missing is not an error; a storage
    that fails after the commit is logged (`robust`), not raised into the finished request.

    The one way stored files are deleted (`core/tests/test_file_deletion.py` refuses any
    other `storage.delete` or `FieldFile.delete`)."""
    if name:
        transaction.on_commit(partial(storage.delete, name), robust=True)


def delete_stored_file(file: FieldFile) -> None:
    """Empty a file field (not saved: the caller saves the row or deletes it) and delete its
    stored file on commit (`delete_from_storage`)."""
    if not file:
        return
    storage, name = file.storage, file.name
    if hasattr(file, "_file"):
        file.close()
        del file.file
    # What FieldFile.delete does besides deleting from the storage at once (an empty
    # field has nothing to save, whether or not it counts as committed).
    file.name = None
    setattr(file.instance, file.field.attname, file.name)
    delete_from_storage(storage, name or "")


def delete_private_files(instance: models.Model) -> int:
    """Delete the stored private files of one object on commit (not the row; the fields are
    emptied but not saved). For erasure and for services that remove an object. Returns how
    many files there were; a file already missing is not an error."""
    deleted = 0
    for file in list(stored_private_files(instance)):
        if file.name and file.storage.exists(file.name):
            deleted += 1
        delete_stored_file(file)
    return deleted


def move_to_private_storage(
    model: type[models.Model], field_name: str, *, name_field: str = ""
) -> dict[str, str]:
    """For data migrations: move the files of `model.field_name` from the default (public)
    storage to the private one under new random names, keeping each uploaded name in
    `name_field`. Returns {old name: new name}. Rows whose file is not in the public storage
    (already moved, or lost) are left as they are, so running it twice is harmless."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.FileField)
    public, private = storages["default"], private_storage()
    moved: dict[str, str] = {}
    for row in model._default_manager.exclude(**{field_name: ""}).iterator():
        old = getattr(row, field.attname).name
        if not public.exists(old):
            continue
        with public.open(old, "rb") as content:
            new = private.save(field.generate_filename(row, old), content)
        changes: dict[str, str] = {field.attname: new}
        if name_field and not getattr(row, name_field):
            changes[name_field] = _fit(row, name_field, old)
        model._default_manager.filter(pk=row.pk).update(**changes)
        delete_from_storage(public, old)
        moved[old] = new
    return moved
