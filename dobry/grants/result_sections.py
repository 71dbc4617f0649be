"""Sections that the apps above add to a competition's results page: the tally of a
residents' vote about its applications («народный выбор», `civic`).

The page lives here, below the apps that add to it, so it cannot import them; `dobry.site`
registers each section at start-up (`site/hooks.py`), as `organizations.sections` does for
an organisation's page. A provider returns None when it has nothing to show."""

from collections.abc import Callable
from typing import Any

from dobry.grants.models import Competition
from dobry.organizations.sections import Section

ResultsSectionProvider = Callable[[Competition], Section | None]

_providers: list[ResultsSectionProvider] = []


def register_results_section(provider: ResultsSectionProvider) -> None:
    """Add a section to every competition's results page, in the order registered
    (idempotent)."""
    if provider not in _providers:
        _providers.append(provider)


def results_sections(competition: Competition) -> list[Section]:
    return [section for p in _providers if (section := p(competition)) is not None]


__all__: list[Any] = ["register_results_section", "results_sections"]
