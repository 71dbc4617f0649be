"""Sections that the apps above add to an organisation's page: its events, its programmes.

The page lives here, below the apps whose lists it shows, so it cannot import them;
`dobry.site` registers each app's section at start-up (`site/hooks.py`). A section is
drawn by the owning app's own selector and permission, so the page lists exactly what
that app's list shows for the organisation, and nothing its rules hide.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dobry.core.permissions import Actor
from dobry.organizations.models import Organization


@dataclass(frozen=True)
class Section:
    """A template (an app's partial) and what it needs."""

    template: str
    context: dict[str, Any]


SectionProvider = Callable[[Organization, Actor], Section | None]

_providers: list[SectionProvider] = []


def register_section(provider: SectionProvider) -> None:
    """Add a section to every organisation's page, in the order registered (idempotent)."""
    if provider not in _providers:
        _providers.append(provider)


def page_sections(organization: Organization, user: Actor) -> list[Section]:
    """The sections `user` sees on the organisation's page (a provider may return None)."""
    return [
        section for provider in _providers if (section := provider(organization, user)) is not None
    ]
