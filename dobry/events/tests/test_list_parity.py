"""The event list page and GET /api/v1/events are one selector: the same filters give the
same events, «подходит мне» included (the API lacked it and filtered districts its own way)."""

import pytest

from dobry.core.models import District
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    north = District.objects.create(name="Северный", slug="north")
    south = District.objects.create(name="Южный", slug="south")
    ShiftFactory(event__title="На севере", event__district=north)
    shift = ShiftFactory(event__title="На юге", event__district=south)
    shift.event.area_links.create(area="ecology")
    ShiftFactory(event__title="Без района")
    return north, south


def _page_titles(client, query):
    page = client.get("/events/", query).context["page"]
    return sorted(event.title for event in page.object_list)


def _api_titles(client, query):
    response = client.get("/api/v1/events", query)
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


def test_the_district_filter_gives_the_same_events_on_the_page_and_in_the_api(client, city):
    north, _south = city
    assert _page_titles(client, {"district": north.pk}) == ["На севере"]
    assert _api_titles(client, {"district": "north"}) == ["На севере"]


def test_an_unknown_district_is_a_clear_422_in_the_api_not_an_empty_list(client, city):
    response = client.get("/api/v1/events", {"district": "atlantis"})
    assert response.status_code == 422
    assert "district" in response.json()["errors"]


def test_suits_me_gives_the_same_events_on_the_page_and_in_the_api(client, resident, city):
    north, _south = city
    profile, _created = VolunteerProfile.objects.get_or_create(user=resident)
    profile.interests = ["ecology"]
    profile.save()
    profile.districts.add(north)
    client.force_login(resident)
    expected = ["На севере", "На юге"]
    assert _page_titles(client, {"suits_me": "on"}) == expected
    assert _api_titles(client, {"suits_me": "true"}) == expected


def test_suits_me_is_ignored_for_an_anonymous_caller(client, city):
    assert _api_titles(client, {"suits_me": "true"}) == ["Без района", "На севере", "На юге"]


def test_both_lists_are_in_date_order(client, city):
    page = client.get("/events/").context["page"].object_list
    api = client.get("/api/v1/events").json()["items"]
    assert [event.title for event in page] == [item["title"] for item in api]


def _page_ids(client, query):
    return [event.pk for event in client.get("/events/", query).context["page"].object_list]


def _api_ids(client, query):
    response = client.get("/api/v1/events", query)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("page_query", "api_query"),
    [
        ({"suits_me": "on"}, {"suits_me": "true"}),
        ({"suits_me": "on", "area": "ecology"}, {"suits_me": "true", "area": "ecology"}),
        ({"suits_me": "on", "district": "north"}, {"suits_me": "true", "district": "north"}),
        ({"suits_me": "on", "free": "on"}, {"suits_me": "true", "has_free_places": "true"}),
        ({"suits_me": "on", "q": "юге"}, {"suits_me": "true", "q": "юге"}),
    ],
)
def test_suits_me_with_other_filters_gives_the_same_event_ids_in_the_same_order(
    client, resident, city, page_query, api_query
):
    north, _south = city
    profile, _created = VolunteerProfile.objects.get_or_create(user=resident)
    profile.interests = ["ecology"]
    profile.save()
    profile.districts.add(north)
    full = ShiftFactory(event__title="Полная на севере", event__district=north, capacity=1)
    RegistrationFactory(shift=full)
    client.force_login(resident)
    if page_query.get("district"):
        page_query = {**page_query, "district": north.pk}
    expected = _page_ids(client, page_query)
    assert expected, "the filters should leave something to compare"
    assert _api_ids(client, api_query) == expected
