"""Test support, not a test module: storages whose disk is full, for the unit tests of
uploads and for `make drill` (`drills/`).

Each writes the first bytes of a file and then fails as a full disk does (`OSError`
ENOSPC) — below `RefusingWhenFull`, which must turn that into `StorageFull` and remove the
part written. Point `settings.STORAGES["default"]` or `["private"]` at them."""

import errno
import os
from typing import Any

from django.core.files.storage import FileSystemStorage

from dobry.core.files import PrivateStorage, RefusingWhenFull

WRITTEN_BEFORE_FULL = b"\x89PNG partial"


class _DiskFills(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "xb") as partial:
            partial.write(WRITTEN_BEFORE_FULL)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)


class FullPublicStorage(RefusingWhenFull, _DiskFills):
    """The default storage (logos, covers) on a full disk."""


class FullPrivateStorage(PrivateStorage, _DiskFills):
    """The private storage (attachments, scans) on a full disk."""


FULL_PUBLIC = {"BACKEND": f"{__name__}.FullPublicStorage"}
FULL_PRIVATE = {"BACKEND": f"{__name__}.FullPrivateStorage"}
