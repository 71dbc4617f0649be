"""The districts' map is drawn from data (any number of districts, nothing fetched) and
the list's selector is the one the page and the API share."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from dobry.accounts.tests.factories import UserFactory
from dobry.civic.map import SHADES, TILE, district_map
from dobry.civic.models import Initiative, skill_words
from dobry.civic.selectors import (
    MAX_SKILLS,
    awaiting_response,
    district_counts,
    initiative_list,
    my_skills,
)
from dobry.civic.tests.factories import InitiativeFactory, district
from dobry.core.models import District
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def test_every_district_is_a_tile_shaded_by_its_initiatives():
    first, second, third = district("Центр"), district("Север"), district("Юг")
    for _ in range(3):
        InitiativeFactory(district=first)
    InitiativeFactory(district=second)
    drawn = district_map(district_counts(AnonymousUser()))
    by_name = {tile.name: tile for tile in drawn.tiles}
    assert [by_name[d.name].count for d in (first, second, third)] == [3, 1, 0]
    assert by_name["Центр"].fill == SHADES[-1]
    assert by_name["Юг"].fill == SHADES[0]
    assert drawn.width >= 2 * TILE
    assert drawn.height >= 2 * TILE


def test_a_city_without_districts_gets_an_empty_map_not_an_error():
    District.objects.all().delete()
    drawn = district_map(district_counts(AnonymousUser()))
    assert drawn.tiles == []
    assert Client().get("/initiatives/").status_code == 200


def test_the_map_page_loads_nothing_from_elsewhere():
    district("Центр")
    text = Client().get("/initiatives/").content.decode()
    svg = text[text.index("<svg") : text.index("</svg>")]
    assert "http" not in svg
    assert "<title" in svg


def test_skills_are_read_as_words():
    assert skill_words("Фотограф; вожу машину,  , фотограф") == ["фотограф", "вожу машину"]


def test_only_the_first_skills_of_a_long_profile_are_matched():
    resident = UserFactory()
    VolunteerProfile.objects.create(user=resident, skills=",".join(f"навык{n}" for n in range(50)))
    assert len(my_skills(resident)) == MAX_SKILLS
    assert my_skills(AnonymousUser()) == []


def test_the_selector_filters_by_search_and_counts():
    wanted = InitiativeFactory(title="Тактильная тропа", needed_skills="дизайнер")
    InitiativeFactory(title="Каток")
    [found] = initiative_list(AnonymousUser(), {"q": "тактильн"})
    assert found == wanted
    assert found.support_count == 0
    assert found.team_count == 0
    assert list(initiative_list(AnonymousUser(), {"my_skills": True})) == []


def test_the_desk_lists_the_unanswered_most_urgent_first():
    from datetime import timedelta

    from django.utils import timezone

    from dobry.core.clock import local_today

    now = timezone.now()
    later = InitiativeFactory(threshold_reached_at=now, response_due=local_today())
    sooner = InitiativeFactory(
        threshold_reached_at=now, response_due=local_today() - timedelta(days=2)
    )
    InitiativeFactory(threshold_reached_at=now, response_due=local_today(), responded_at=now)
    InitiativeFactory()
    assert list(awaiting_response()) == [sooner, later]
    assert Initiative.objects.response_overdue().get() == sooner
