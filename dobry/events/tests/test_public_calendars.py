"""Public iCal feeds of events — the city's, an organisation's, an area's — for calendar
apps to subscribe to: the events the public list offers, cancelled ones kept as
STATUS:CANCELLED, each shift with a UID that never changes and times in UTC. Written by the
same code as the personal feeds (`events.calendar`), read back with `icalendar`."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from dobry.events.models import Event, EventArea
from dobry.events.services.events import event_cancel
from dobry.events.tests.factories import EventFactory, ShiftFactory
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def feed(client, url: str) -> dict[str, object]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    return {str(vevent["SUMMARY"]): vevent for vevent in calendar.walk("VEVENT")}


def test_the_citys_calendar_has_the_public_events_and_the_cancelled_ones(client, coordinator):
    ShiftFactory(event__title="Субботник", title="Утро")
    cancelled = ShiftFactory(event__title="Концерт", title="Вечер")
    event_cancel(actor=coordinator, event=cancelled.event, reason="Дождь")
    ShiftFactory(event__title="Черновик", event__status=Event.Status.DRAFT)
    ShiftFactory(
        event__title="Непроверенная",
        event__organization=OrganizationFactory(status=Organization.Status.PENDING),
    )
    ShiftFactory(
        event__title="Давняя",
        starts_at=datetime(2020, 1, 1, 3, tzinfo=UTC),
        ends_at=datetime(2020, 1, 1, 5, tzinfo=UTC),
    )
    vevents = feed(client, "/events/calendar.ics")
    assert set(vevents) == {"Субботник: Утро", "Концерт: Вечер"}
    assert str(vevents["Субботник: Утро"]["STATUS"]) == "CONFIRMED"
    assert str(vevents["Концерт: Вечер"]["STATUS"]) == "CANCELLED"
    assert vevents["Концерт: Вечер"]["SEQUENCE"] == 1


def test_uids_stay_and_times_are_utc(client, coordinator, freeze_now):
    freeze_now(datetime(2026, 11, 1, 3, tzinfo=UTC))
    shift = ShiftFactory(
        starts_at=datetime(2026, 12, 5, 3, tzinfo=UTC), ends_at=datetime(2026, 12, 5, 6, tzinfo=UTC)
    )
    [first] = feed(client, "/events/calendar.ics").values()
    freeze_now(datetime(2026, 11, 2, 3, tzinfo=UTC))
    [again] = feed(client, "/events/calendar.ics").values()
    assert str(first["UID"]) == str(again["UID"])
    assert str(first["UID"]).startswith(f"shift-{shift.pk}@")
    assert first["DTSTAMP"].dt == again["DTSTAMP"].dt
    assert first["DTSTART"].dt == datetime(2026, 12, 5, 3, tzinfo=UTC)
    assert first["DTSTART"].dt.utcoffset() == timedelta(0)
    assert first["DTSTART"].to_ical() == b"20261205T030000Z"
    assert first["DTEND"].to_ical() == b"20261205T060000Z"
    # the same shift is the same entry in every calendar that carries it
    [in_organization] = feed(
        client, f"/events/organizations/{shift.event.organization_id}/calendar.ics"
    ).values()
    assert str(in_organization["UID"]) == str(first["UID"])


def test_an_organisations_calendar_has_its_events_only(client):
    organization = OrganizationFactory()
    ShiftFactory(event__organization=organization, event__title="Наша")
    ShiftFactory(event__title="Чужая")
    assert set(feed(client, f"/events/organizations/{organization.pk}/calendar.ics")) == {
        "Наша: Уборка"
    }


def test_a_hidden_or_unknown_organisation_has_no_calendar(client):
    returned = OrganizationFactory(status=Organization.Status.RETURNED)
    assert client.get(f"/events/organizations/{returned.pk}/calendar.ics").status_code == 404
    assert client.get("/events/organizations/987654321/calendar.ics").status_code == 404


def test_an_areas_calendar_has_the_events_of_that_area(client):
    green = EventFactory(title="Посадка деревьев")
    EventArea.objects.create(event=green, area="ecology")
    ShiftFactory(event=green)
    ShiftFactory(event__title="Концерт")
    assert set(feed(client, "/events/areas/ecology/calendar.ics")) == {"Посадка деревьев: Уборка"}
    assert client.get("/events/areas/astrology/calendar.ics").status_code == 404


def test_the_pages_link_the_calendars(client):
    organization = OrganizationFactory()
    ShiftFactory(event__organization=organization)
    assert 'href="/events/calendar.ics"' in client.get("/events/").content.decode()
    assert (
        'href="/events/areas/ecology/calendar.ics"'
        in client.get("/events/", {"area": "ecology"}).content.decode()
    )
    assert (
        f'href="/events/organizations/{organization.pk}/calendar.ics"'
        in client.get(organization.get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("count", [1, 20])
def test_a_calendar_has_a_fixed_query_count(client, django_assert_max_num_queries, count):
    for _ in range(count):
        ShiftFactory()
    with django_assert_max_num_queries(2):
        assert client.get("/events/calendar.ics").status_code == 200
