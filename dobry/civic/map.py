"""The schematic map of the districts: tiles laid out from the districts' order (data, so
any city gets its own map), shaded by how many initiatives each has. Drawn as SVG by the
template; nothing is fetched (no tiles, no geocoding)."""

import math
from dataclasses import dataclass

from dobry.civic.selectors import DistrictCount

TILE = 150
GAP = 10
# Shades from few to many initiatives (Bootstrap's greens), each legible with dark text.
SHADES = ("#e9f5ee", "#c3e6cb", "#8fd19e", "#5cb176")


@dataclass(frozen=True)
class Tile:
    x: int
    y: int
    size: int
    name: str
    count: int
    fill: str
    slug: str
    pk: int


@dataclass(frozen=True)
class DistrictMap:
    width: int
    height: int
    tiles: list[Tile]


def district_map(counts: list[DistrictCount]) -> DistrictMap:
    """Tiles in rows of ⌈√n⌉, in the districts' order."""
    columns = max(1, math.ceil(math.sqrt(len(counts))))
    rows = max(1, math.ceil(len(counts) / columns))
    most = max((c.count for c in counts), default=0)
    tiles = []
    for index, item in enumerate(counts):
        row, column = divmod(index, columns)
        shade = 0 if most == 0 else min(len(SHADES) - 1, math.ceil(item.count * 3 / most))
        tiles.append(
            Tile(
                x=GAP + column * (TILE + GAP),
                y=GAP + row * (TILE + GAP),
                size=TILE,
                name=item.district.name,
                count=item.count,
                fill=SHADES[shade],
                slug=item.district.slug,
                pk=item.district.pk,
            )
        )
    step = TILE + GAP
    return DistrictMap(width=GAP + columns * step, height=GAP + rows * step, tiles=tiles)
