"""The districts' map: its geometry (rows of ⌈√n⌉ tiles in the districts' order), its
shades, and the SVG the page draws — one tile per district, escaped names, counts, links."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from dobry.civic.map import GAP, SHADES, TILE, district_map
from dobry.civic.selectors import DistrictCount
from dobry.civic.tests.factories import InitiativeFactory
from dobry.core.models import District

SVG = ""  # the inline SVG of an HTML page has no namespace of its own


def _counts(*numbers):
    return [
        DistrictCount(District(pk=index + 1, name=f"Район {index + 1}", slug=f"r{index}"), n)
        for index, n in enumerate(numbers)
    ]


@pytest.mark.parametrize(
    ("n", "columns", "rows"), [(1, 1, 1), (2, 2, 1), (4, 2, 2), (5, 3, 2), (9, 3, 3), (10, 4, 3)]
)
def test_tiles_are_laid_in_rows_of_the_square_root(n, columns, rows):
    drawn = district_map(_counts(*([0] * n)))
    step = TILE + GAP
    assert (drawn.width, drawn.height) == (GAP + columns * step, GAP + rows * step)
    last = drawn.tiles[-1]
    assert (last.x, last.y) == (GAP + ((n - 1) % columns) * step, GAP + ((n - 1) // columns) * step)
    assert [tile.pk for tile in drawn.tiles] == list(range(1, n + 1))


def test_an_empty_city_is_one_empty_cell():
    drawn = district_map([])
    assert (drawn.width, drawn.height, drawn.tiles) == (GAP + TILE + GAP, GAP + TILE + GAP, [])


def test_shades_grow_with_the_count_relative_to_the_most():
    drawn = district_map(_counts(0, 1, 2, 3, 4, 6))
    assert [tile.fill for tile in drawn.tiles] == [
        SHADES[0], SHADES[1], SHADES[1], SHADES[2], SHADES[2], SHADES[3],
    ]  # fmt: skip


def test_any_initiative_is_darker_than_none_and_all_zero_is_the_lightest():
    assert {t.fill for t in district_map(_counts(0, 0)).tiles} == {SHADES[0]}
    few, many = district_map(_counts(1, 1000)).tiles
    assert (few.fill, many.fill) == (SHADES[1], SHADES[3])


@pytest.mark.django_db
def test_the_page_draws_one_tile_per_district_with_escaped_names_and_counts():
    District.objects.all().delete()
    plain = District.objects.create(name="Центр", slug="centre", position=1)
    hostile = District.objects.create(name='<b>"Север" & юг</b>', slug="north", position=2)
    long_name = District.objects.create(name="Очень-очень длинное имя района", slug="l", position=3)
    for _ in range(2):
        InitiativeFactory(district=plain)
    text = Client().get("/initiatives/").content.decode()
    svg = ET.fromstring(text[text.index("<svg") : text.index("</svg>") + len("</svg>")])
    assert svg.get("viewBox") == f"0 0 {2 * (TILE + GAP) + GAP} {2 * (TILE + GAP) + GAP}"
    rects = svg.findall(f"{SVG}g/{SVG}rect")
    assert [r.get("fill") for r in rects] == [SHADES[3], SHADES[0], SHADES[0]]
    labels = [[t.text for t in g.findall(f"{SVG}text")] for g in svg.findall(f"{SVG}g")]
    assert labels[0] == ["Центр", "2"]
    assert labels[1] == ['<b>"Север" & юг</…', "0"]  # read back unescaped, cut at 18
    assert labels[2][0] == "Очень-очень длинн…"
    assert "<b>" not in text
    caption = text[text.index("<figcaption") : text.index("</figcaption>")]
    for found in (plain, hostile, long_name):
        assert f'href="?district={found.pk}"' in caption
