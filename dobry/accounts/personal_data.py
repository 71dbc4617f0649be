"""Registry of what each app keeps about a person, for export (JSON) and erasure.

Each app with personal data has a `privacy.py` module that registers an exporter
(returning JSON-friendly data) and an eraser (deleting or anonymising what is not needed
by others; records others depend on — hours, grant reports — stay, without the person).
"""

from collections.abc import Callable
from typing import Any

from django.utils.module_loading import autodiscover_modules

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]

_exporters: dict[str, Exporter] = {}
_erasers: dict[str, Eraser] = {}


def register(section: str, *, export: Exporter, erase: Eraser | None = None) -> None:
    _exporters[section] = export
    if erase is not None:
        _erasers[section] = erase


def _discover() -> None:
    autodiscover_modules("privacy")


def export_sections(user: Any) -> dict[str, Any]:
    _discover()
    return {section: exporter(user) for section, exporter in sorted(_exporters.items())}


def erase_sections(user: Any) -> list[str]:
    _discover()
    for eraser in _erasers.values():
        eraser(user)
    return sorted(_erasers)
