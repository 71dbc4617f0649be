"""A stored file lives exactly as long as the row that names it (issue 11).

Every file field of every model — private (`core.files.PrivateFileField`) or public (logos,
covers) — is tied to its row in one place, here, so that no service, admin page or cascade
can forget it:

- a row deleted in any way that runs Django's deletion (a service, the admin, a cascade from
  an organisation or an event, `QuerySet.delete()`) deletes its files;
- a file replaced or cleared on a saved row (a new logo, a new cover, the admin's «Очистить»)
  deletes the old one;
- both on commit, through `core.files.delete_from_storage`: a deletion or a replacement that
  rolls back leaves the row and its file as they were.

What no signal can see — an upload stored by a transaction that then rolled back, a
`QuerySet.update()` or raw SQL that drops a name — is left to `sweep_orphan_files`, a daily
job (`site/schedule.py`) that deletes the files under the fields' folders that no row names
and that are older than `ORPHAN_GRACE` (an upload is written before its row commits).

Each row owns its file: a copy for another row is a new file (see
`helprequests.services._copy_of`), never the same stored name.
"""

import os
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import Storage
from django.db import models
from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save
from django.utils import timezone

from dobry.core.files import delete_from_storage

# Files younger than this are never swept: an upload is stored while its transaction runs,
# before the row that names it is committed.
ORPHAN_GRACE = timedelta(days=1)

# Attributes kept on an instance: the stored names as loaded from the database, and the
# names a save is about to replace.
_LOADED = "_dobry_loaded_files"
_REPLACED = "_dobry_replaced_files"


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    """The concrete file fields of `model` (private and public)."""
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def models_with_files() -> list[type[models.Model]]:
    """Every installed model (proxies included: they send their own signals) with a file
    field."""
    return [model for model in apps.get_models() if file_fields(model)]


def connect() -> None:
    """Tie the files of every model that has file fields to its rows (called once, by
    `CoreConfig.ready`). Connected per model: a deletion listener on a model turns off
    Django's fast delete for it, which models without files keep."""
    for model in models_with_files():
        uid = f"dobry.file_lifecycle.{model._meta.label_lower}"
        post_init.connect(_remember_loaded, sender=model, dispatch_uid=uid)
        pre_save.connect(_note_replaced, sender=model, dispatch_uid=uid)
        post_save.connect(_delete_replaced, sender=model, dispatch_uid=uid)
        pre_delete.connect(_load_deferred, sender=model, dispatch_uid=uid)
        post_delete.connect(_delete_with_row, sender=model, dispatch_uid=uid)


def _stored_name(value: Any) -> str:
    return str(getattr(value, "name", value) or "")


def _remember_loaded(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    # A row read from the database holds plain names; a new one holds uploads or nothing.
    loaded = {
        field.attname: value
        for field in file_fields(sender)
        if isinstance(value := instance.__dict__.get(field.attname), str)
    }
    setattr(instance, _LOADED, loaded)


def _note_replaced(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool = False,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    """Before a saved row is written: the names its file fields held in the database, for
    the fields that may change (a new upload, a cleared field, another name)."""
    if raw or instance._state.adding or instance.pk is None:
        return
    loaded: dict[str, str] = getattr(instance, _LOADED, {})
    changing = [
        field
        for field in file_fields(sender)
        if (update_fields is None or field.name in update_fields)
        and field.attname in instance.__dict__
        and _may_have_changed(getattr(instance, field.attname), loaded.get(field.attname))
    ]
    if not changing:
        return
    # The database, not what this instance remembers: another request may have changed it.
    before = (
        sender._base_manager.using(kwargs.get("using"))
        .filter(pk=instance.pk)
        .values_list(*(field.attname for field in changing))
        .first()
    )
    if before is not None:
        setattr(instance, _REPLACED, list(zip(changing, before, strict=True)))


def _may_have_changed(file: Any, loaded: str | None) -> bool:
    """Whether a save may drop a stored file: not when the row was read without one."""
    if loaded is None:
        return True  # not read from the database as it is now: ask it
    if not loaded:
        return False
    return not file or not getattr(file, "_committed", True) or _stored_name(file) != loaded


def _delete_replaced(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """After the row was written: the replaced files go when the transaction commits."""
    for field, old in instance.__dict__.pop(_REPLACED, []):
        if old and old != _stored_name(getattr(instance, field.attname)):
            delete_from_storage(field.storage, old)
    setattr(
        instance,
        _LOADED,
        {
            field.attname: _stored_name(instance.__dict__[field.attname])
            for field in file_fields(sender)
            if field.attname in instance.__dict__
        },
    )


def _load_deferred(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    # A row loaded without its file columns (`.only(...)`) learns them while it still exists.
    deferred = instance.get_deferred_fields()
    names = [field.attname for field in file_fields(sender) if field.attname in deferred]
    if names:
        instance.refresh_from_db(fields=names)


def _delete_with_row(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    for field in file_fields(sender):
        name = _stored_name(instance.__dict__.get(field.attname))
        if name:
            delete_from_storage(field.storage, name)


# --- the sweep ------------------------------------------------------------------------------


def field_folder(field: models.FileField) -> str:
    """The folder of the storage that `field`'s uploads go to (`logos`, `grants/rules`)."""
    return os.path.dirname(field.generate_filename(field.model(), "probe.bin"))


def _place(storage: Storage) -> str:
    return str(getattr(storage, "location", "") or repr(storage))


def _swept_folders() -> dict[str, tuple[Storage, set[str], set[str]]]:
    """Per storage: the storage, its fields' folders and every name a row holds there."""
    places: dict[str, tuple[Storage, set[str], set[str]]] = {}
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in file_fields(model):
            folder = field_folder(field)
            if not folder:
                raise ImproperlyConfigured(
                    f"{model._meta.label}.{field.name} stores files at the storage's root: "
                    "give it a folder of its own, or the orphan sweep cannot tell its files."
                )
            _storage, folders, named = places.setdefault(
                _place(field.storage), (field.storage, set(), set())
            )
            folders.add(folder)
            named.update(
                model._base_manager.exclude(**{f"{field.attname}__isnull": True})
                .exclude(**{field.attname: ""})
                .values_list(field.attname, flat=True)
                .iterator()
            )
    return places


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    if not storage.exists(folder):
        return
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def sweep_orphan_files(*, grace: timedelta = ORPHAN_GRACE, now: datetime | None = None) -> int:
    """Delete the stored files under the file fields' folders that no row names and that
    were last written more than `grace` ago (uploads of transactions that rolled back,
    names dropped by `QuerySet.update`). Returns how many went. Files outside those folders
    are never touched; a field storing at a storage's root is refused (ImproperlyConfigured).
    """
    cutoff = (now or timezone.now()) - grace
    deleted = 0
    for storage, folders, named in _swept_folders().values():
        # Nested folders (`grants` and `grants/rules`) are walked once.
        roots = {f for f in folders if not any(f.startswith(f"{o}/") for o in folders)}
        for folder in sorted(roots):
            for name in _walk(storage, folder):
                if name not in named and storage.get_modified_time(name) < cutoff:
                    delete_from_storage(storage, name)
                    deleted += 1
    return deleted
