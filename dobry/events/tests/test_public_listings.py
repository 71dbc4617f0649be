"""An organisation whose verification was returned (or that awaits a new review) keeps its
published events, but no public list offers them to new people until it is verified
again: the event list (upcoming and past), its API, the home page, the organisation's
page, «Подходит мне» and the weekly digest all start from `EventQuerySet.public`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.events.recommendations import recommend
from dobry.events.tests.factories import ShiftFactory, volunteer
from dobry.organizations import services as organization_services
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db

SHOWN, HIDDEN = "Субботник проверенной организации", "Субботник возвращённой организации"


def _titles_on(client, url: str, params: dict | None = None) -> str:
    response = client.get(url, params or {})
    assert response.status_code == 200
    return response.content.decode()


def _api_titles(client, params: dict | None = None) -> list[str]:
    response = client.get("/api/v1/events", params or {})
    assert response.status_code == 200
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def returned(coordinator):
    """Two organisations with an upcoming and a past event each; the second one's
    verification is returned through the service, as a coordinator does it."""
    verified, returned = OrganizationFactory(), OrganizationFactory()
    for organization, title in ((verified, SHOWN), (returned, HIDDEN)):
        ShiftFactory(event__organization=organization, event__title=title)
        past = timezone.now() - timedelta(days=5)
        ShiftFactory(
            event__organization=organization,
            event__title=f"{title} (прошлый)",
            starts_at=past,
            ends_at=past + timedelta(hours=3),
        )
    organization_services.organization_return(
        actor=coordinator, organization=returned, reason="Уточните устав"
    )
    return returned


def test_the_event_list_shows_only_verified_organisations_events(client, returned):
    upcoming = _titles_on(client, "/events/")
    assert SHOWN in upcoming
    assert HIDDEN not in upcoming
    past = _titles_on(client, "/events/", {"when": "past"})
    assert f"{SHOWN} (прошлый)" in past
    assert HIDDEN not in past


def test_the_api_lists_only_verified_organisations_events(client, returned):
    assert _api_titles(client) == [SHOWN]
    assert _api_titles(client, {"when": "past"}) == [f"{SHOWN} (прошлый)"]
    # nor may the list be asked for that organisation's events by name
    refused = client.get("/api/v1/events", {"organization": returned.pk})
    assert refused.status_code == 422
    assert "organization" in refused.json()["errors"]


def test_the_home_page_shows_only_verified_organisations_events(client, returned):
    home = _titles_on(client, "/")
    assert SHOWN in home
    assert HIDDEN not in home


def test_the_organisations_own_page_lists_none_of_its_events_meanwhile(login_as, returned):
    """Its members still see the page (the catalogue hides a returned organisation)."""
    member = MembershipFactory(organization=returned).user
    page = _titles_on(login_as(member), f"/organizations/{returned.pk}/")
    assert HIDDEN not in page


def test_recommendations_and_the_digest_offer_only_verified_organisations_events(
    login_as, returned
):
    person = volunteer()
    # both events' titles name the skill (the shifts have no area or district)
    VolunteerProfile.objects.filter(user=person).update(skills="субботник")
    titles = [r.shift.event.title for r in recommend(person)]
    assert titles == [SHOWN]
    page = _titles_on(login_as(person), "/events/for-me/")
    assert HIDDEN not in page


@pytest.mark.parametrize("status", [Organization.Status.PENDING, Organization.Status.RETURNED])
def test_verified_again_the_events_are_listed_again(client, coordinator, returned, status):
    Organization.objects.filter(pk=returned.pk).update(status=status)
    assert HIDDEN not in _titles_on(client, "/events/")
    if status == Organization.Status.RETURNED:
        Organization.objects.filter(pk=returned.pk).update(status=Organization.Status.PENDING)
    organization_services.organization_verify(actor=coordinator, organization=returned)
    assert HIDDEN in _titles_on(client, "/events/")
    assert HIDDEN in _api_titles(client)
