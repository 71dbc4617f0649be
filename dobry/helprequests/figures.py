"""Figures the help desk shows but does not define.

«Residents helped» is a passport indicator: `reports.indicators.helped_residents` is its
one definition (unique recipients of done requests plus those recorded by programmes).
`reports` sits above `helprequests` in the layers, so this app cannot import it; the site
(`dobry.site.hooks.connect_hooks`) hands the definition in here at start-up, and the help
desk's dashboard shows the same number as the reports."""

from collections.abc import Callable

# year → people helped in that calendar year (the city's local year)
HelpedResidents = Callable[[int], int]

_helped_residents: HelpedResidents | None = None


def provide_helped_residents(definition: HelpedResidents) -> None:
    global _helped_residents
    _helped_residents = definition


def helped_residents(year: int) -> int | None:
    """The reports' figure for `year`, or None when no definition was provided (the page
    then shows no number rather than a second, different one)."""
    return _helped_residents(year) if _helped_residents is not None else None
