"""The resource centre's page and API answer alike (issue 11 §3, one rule each): a
consultation's attachment is in the API through the same private-file permission as the
page's link; a room's public calendar names an organisation only when it is verified and
the booking confirmed; only members of verified organisations book, on the page and the
API."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dobry.accounts.tests.factories import bearer
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.resources import rooms, services
from dobry.resources.models import RoomBooking
from dobry.resources.tests.factories import CITY_NOW, RoomFactory, city_moment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("at_city_now")]


# --- a consultation's attachment ------------------------------------------------------------


@pytest.fixture
def with_file(resident, coordinator):
    question = services.consultation_ask(user=resident, topic="legal", subject="Устав", text="?")
    message = services.consultation_reply(
        author=coordinator,
        consultation=question,
        text="Вот образец",
        attachment=SimpleUploadedFile("образец.pdf", b"%PDF-1.4 x", "application/pdf"),
    )
    return question, message


def test_the_api_gives_the_attachment_the_page_links(login_as, resident, with_file):
    question, message = with_file
    link = f"/files/resources.consultationmessage.attachment/{message.pk}/"
    page = login_as(resident).get(f"/desk/consultations/{question.pk}/").content.decode()
    assert f'href="{link}"' in page
    data = bearer(resident).get(f"/api/v1/consultations/{question.pk}").json()
    download = f"/api/v1/consultations/{question.pk}/messages/{message.pk}/attachment"
    assert [m["attachment"] for m in data["messages"]] == [
        None,
        {"name": "образец.pdf", "url": download},
    ]
    answer = bearer(resident).get(download)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == b"%PDF-1.4 x"
    assert answer["Content-Disposition"].endswith(quote("образец.pdf"))


def test_the_attachments_address_answers_only_those_who_read_the_consultation(
    client, login_as, outsider, with_file
):
    _question, message = with_file
    link = f"/files/resources.consultationmessage.attachment/{message.pk}/"
    assert client.get(link)["Location"].startswith("/accounts/login/")
    assert login_as(outsider).get(link).status_code == 404
    download = f"/api/v1/consultations/{_question.pk}/messages/{message.pk}/attachment"
    assert bearer(outsider).get(download).status_code == 404
    assert client.get(download).status_code == 401


# --- a room's public calendar ---------------------------------------------------------------


def _booking(resident, organization, *, confirm_by=None) -> RoomBooking:
    booking = rooms.booking_request(
        user=resident,
        room=RoomFactory(),
        organization=organization,
        starts_at=city_moment(1, 10),
        ends_at=city_moment(1, 12),
        purpose="Собрание",
    )
    if confirm_by is not None:
        booking = rooms.booking_confirm(actor=confirm_by, booking=booking)
    return booking


def _calendar(client, booking: RoomBooking) -> tuple[str, list]:
    day = city_moment(1, 10).date().isoformat()
    page = client.get(f"/desk/rooms/{booking.room_id}/?week={day}").content.decode()
    api = client.get(
        f"/api/v1/rooms/{booking.room_id}/availability", {"from": day, "to": day}
    ).json()
    return page, [(b["organization"], b["status"]) for b in api["busy"]]


def test_a_confirmed_booking_of_a_verified_organisation_is_named(
    client, resident, organization, coordinator
):
    booking = _booking(resident, organization, confirm_by=coordinator)
    page, api = _calendar(client, booking)
    assert "10:00–12:00 · Тёплый дом" in page
    assert api == [("Тёплый дом", "confirmed")]


def test_a_requested_booking_is_only_busy(client, resident, organization):
    booking = _booking(resident, organization)
    page, api = _calendar(client, booking)
    assert "10:00–12:00 · занято" in page
    assert "Тёплый дом" not in page
    assert api == [(None, "requested")]


def test_an_organisation_no_longer_verified_is_not_named(
    client, resident, organization, coordinator
):
    """The attacker's «=1+2»: an organisation whose verification went away keeps its
    confirmed bookings, never its name on the public calendar."""
    booking = _booking(resident, organization, confirm_by=coordinator)
    Organization.objects.filter(pk=organization.pk).update(
        short_name="=1+2", status=Organization.Status.PENDING
    )
    page, api = _calendar(client, booking)
    assert "=1+2" not in page
    assert "10:00–12:00 · занято" in page
    assert api == [(None, "confirmed")]


# --- who books ------------------------------------------------------------------------------


@pytest.fixture
def proposed(resident):
    organization = OrganizationFactory(short_name="=1+2", status=Organization.Status.PENDING)
    MembershipFactory(organization=organization, user=resident)
    return organization


def test_an_unverified_organisation_books_neither_on_the_page_nor_by_api(
    login_as, resident, proposed
):
    room = RoomFactory()
    day = city_moment(1, 10).date()
    api = bearer(resident).post(
        f"/api/v1/rooms/{room.pk}/bookings",
        {
            "organization": proposed.pk,
            "starts_at": city_moment(1, 10).isoformat(),
            "ends_at": city_moment(1, 12).isoformat(),
            "purpose": "Собрание",
        },
        content_type="application/json",
    )
    assert api.status_code == 422
    refusal = "Бронировать помещения можно после проверки организации."
    assert api.json() == {"message": refusal, "errors": {"organization": [refusal]}}
    client = login_as(resident)
    page = client.get(f"/desk/rooms/{room.pk}/").content.decode()
    assert "Бронировать помещения могут участники проверенных организаций." in page
    posted = client.post(
        f"/desk/rooms/{room.pk}/",
        {
            "organization": proposed.pk,
            "day": day.isoformat(),
            "start": "10:00",
            "end": "12:00",
            "purpose": "Собрание",
            "attendees": 1,
        },
    )
    assert posted.status_code == 200
    assert not RoomBooking.objects.exists()


def test_a_member_of_a_verified_organisation_books_by_api(resident, organization):
    room = RoomFactory()
    api = bearer(resident).post(
        f"/api/v1/rooms/{room.pk}/bookings",
        {
            "organization": organization.pk,
            "starts_at": city_moment(1, 10).isoformat(),
            "ends_at": city_moment(1, 12).isoformat(),
            "purpose": "Собрание",
        },
        content_type="application/json",
    )
    assert api.status_code == 201
    assert RoomBooking.objects.get().organization == organization
    assert RoomBooking.objects.get().starts_at > CITY_NOW
