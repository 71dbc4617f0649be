"""Issue 11 §2 examples in rooms and support: dates at the edges of time are a clear 4xx."""

import pytest

from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources.models import RoomBooking
from dobry.resources.tests.factories import RoomFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("week", ["0001-01-01", "9999-12-31", "٢٠٢٦-٠١-٠١"])
def test_a_room_page_refuses_a_week_at_the_edges_of_time(client, week):
    room = RoomFactory()
    response = client.get(f"/desk/rooms/{room.pk}/", {"week": week})
    assert response.status_code == 400
    assert "Параметр «week»" in response.content.decode()


def test_a_room_page_shows_a_plain_week(client):
    room = RoomFactory()
    assert client.get(f"/desk/rooms/{room.pk}/", {"week": "2026-11-23"}).status_code == 200


def test_a_booking_starting_on_9999_12_31_is_refused_by_the_api(login_as, resident):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident)
    room = RoomFactory()
    response = login_as(resident).post(
        f"/api/v1/rooms/{room.pk}/bookings",
        {
            "organization": organization.pk,
            "starts_at": "9999-12-31T10:00:00",
            "ends_at": "9999-12-31T12:00:00",
            "purpose": "Собрание",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"starts_at", "ends_at"}
    assert not RoomBooking.objects.exists()


@pytest.mark.parametrize("path", ["/api/v1/support-records", "/api/v1/rooms/{room}/availability"])
def test_api_lists_refuse_a_from_date_in_year_1(login_as, coordinator, path):
    room = RoomFactory()
    response = login_as(coordinator).get(
        path.format(room=room.pk), {"from": "0001-01-01", "to": "2026-01-01"}
    )
    assert response.status_code == 422
    assert "query.from" in response.json()["errors"]
