"""Every operation of the events API as anonymous, as an outsider and as the right role,
with the refusals a client must be able to read (status and message), and nothing half
made when a request is refused."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.services import api_token_create
from dobry.events.models import Event, Registration, Shift
from dobry.events.services import registrations as signup
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry, Qualification
from dobry.volunteering.services.hours import hours_record

pytestmark = pytest.mark.django_db
S = Registration.Status
JSON = "application/json"


def bearer(user) -> Client:
    _token, raw = api_token_create(user=user, name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def organization():
    return OrganizationFactory()


@pytest.fixture
def editor(organization):
    user = volunteer(first_name="Елена", last_name="Редактор")
    MembershipFactory(organization=organization, user=user, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def draft(organization):
    return EventFactory(organization=organization, status=Event.Status.DRAFT, title="Черновик")


def shift_payload(start=None, **kwargs):
    start = start or timezone.now() + timedelta(days=5)
    return {
        "title": "Раздача обедов",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "capacity": 6,
        **kwargs,
    }


def event_payload(organization, **kwargs):
    return {
        "organization": organization.pk,
        "kind": "volunteer_action",
        "title": "Обеды для пожилых",
        "shifts": [shift_payload()],
        **kwargs,
    }


# --- creating, adding shifts, publishing ------------------------------------------------


def test_creating_an_event_needs_authentication(client, organization):
    response = client.post("/api/v1/events", event_payload(organization), content_type=JSON)
    assert response.status_code == 401
    assert not Event.objects.exists()


def test_an_outsider_cannot_create_an_event_for_an_organisation(organization):
    response = bearer(volunteer()).post(
        "/api/v1/events", event_payload(organization), content_type=JSON
    )
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_an_event_for_an_unknown_organisation_is_a_404(editor):
    payload = event_payload(OrganizationFactory.build(pk=987654))
    assert bearer(editor).post("/api/v1/events", payload, content_type=JSON).status_code == 404


def test_the_editor_creates_a_draft_with_areas_and_qualified_shifts(editor, organization):
    Qualification.objects.create(name="Медицинская книжка", slug="medbook")
    payload = event_payload(
        organization,
        areas=["elderly", "social"],
        shifts=[shift_payload(qualifications=["medbook"], min_age=16, requires_approval=True)],
    )
    response = bearer(editor).post("/api/v1/events", payload, content_type=JSON)
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], sorted(data["areas"]), data["free_places"]) == (
        "draft",
        ["elderly", "social"],
        6,
    )
    assert data["shifts"][0]["qualifications"] == ["medbook"]
    assert data["shifts"][0]["min_age"] == 16
    assert data["shifts"][0]["requires_approval"] is True
    assert Event.objects.get().created_by == editor


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"shifts": [shift_payload(), shift_payload(qualifications=["nope"])]}, "qualifications"),
        ({"district": "nowhere"}, "district"),
        ({"areas": ["astrology"]}, "areas.0"),
    ],
)
def test_a_bad_part_of_an_event_refuses_it_whole(editor, organization, change, field):
    response = bearer(editor).post(
        "/api/v1/events", event_payload(organization, **change), content_type=JSON
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Event.objects.exists()
    assert not Shift.objects.exists()


def test_a_shift_that_ends_before_it_starts_refuses_the_event_whole(editor, organization):
    start = timezone.now() + timedelta(days=5)
    bad = shift_payload(start) | {"ends_at": (start - timedelta(hours=1)).isoformat()}
    response = bearer(editor).post(
        "/api/v1/events",
        event_payload(organization, shifts=[shift_payload(), bad], publish=True),
        content_type=JSON,
    )
    assert response.status_code == 422
    assert "ends_at" in response.json()["errors"]
    assert not Event.objects.exists()


def test_creating_and_publishing_at_once_opens_signups(editor, organization):
    response = bearer(editor).post(
        "/api/v1/events", event_payload(organization, publish=True), content_type=JSON
    )
    assert response.json()["status"] == "published"
    shift = Shift.objects.get()
    assert signup.registration_create(user=volunteer(), shift=shift).status == S.CONFIRMED


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("outsider", 404), ("editor", 201), ("coordinator", 201)],
)
def test_adding_a_shift_to_a_draft(client, request, draft, who, status):
    caller = client if who == "anonymous" else bearer(request.getfixturevalue(who))
    response = caller.post(
        f"/api/v1/events/{draft.pk}/shifts", shift_payload(capacity=4), content_type=JSON
    )
    assert response.status_code == status
    assert draft.shifts.count() == (1 if status == 201 else 0)
    if status == 201:
        assert (response.json()["free_places"], response.json()["waiting"]) == (4, 0)
        draft.refresh_from_db()
        assert draft.starts_at == Shift.objects.get().starts_at  # the event's dates follow


def test_an_outsider_adding_a_shift_to_a_published_event_is_a_403():
    event = ShiftFactory().event
    response = bearer(volunteer()).post(
        f"/api/v1/events/{event.pk}/shifts", shift_payload(), content_type=JSON
    )
    assert response.status_code == 403
    assert event.shifts.count() == 1


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("outsider", 404)])
def test_only_organisers_publish(client, request, draft, who, status):
    ShiftFactory(event=draft)
    caller = client if who == "anonymous" else bearer(request.getfixturevalue(who))
    assert caller.post(f"/api/v1/events/{draft.pk}/publish").status_code == status
    draft.refresh_from_db()
    assert draft.status == Event.Status.DRAFT


def test_publishing_needs_a_shift_and_happens_once(editor, draft):
    api = bearer(editor)
    empty = api.post(f"/api/v1/events/{draft.pk}/publish")
    assert empty.status_code == 422
    assert "хотя бы одну смену" in empty.json()["message"]
    ShiftFactory(event=draft)
    published = api.post(f"/api/v1/events/{draft.pk}/publish")
    assert (published.status_code, published.json()["status"]) == (200, "published")
    assert api.post(f"/api/v1/events/{draft.pk}/publish").status_code == 409


def test_the_organiser_reads_their_draft_through_the_api_and_nobody_else_does(
    client, editor, draft
):
    ShiftFactory(event=draft)
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404
    assert bearer(volunteer()).get(f"/api/v1/events/{draft.pk}").status_code == 404
    response = bearer(editor).get(f"/api/v1/events/{draft.pk}")
    assert (response.status_code, response.json()["title"]) == (200, "Черновик")


def test_a_missing_event_is_a_404_with_a_message(client):
    response = client.get("/api/v1/events/987654321")
    assert (response.status_code, response.json()["message"]) == (404, "Не найдено.")


# --- signing up, cancelling, accepting offers ---------------------------------------------


def test_signing_up_for_a_draft_is_a_404():
    shift = ShiftFactory(event__status=Event.Status.DRAFT)
    response = bearer(volunteer()).post(
        f"/api/v1/shifts/{shift.pk}/registrations", {}, content_type=JSON
    )
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_a_refused_signup_lists_every_reason():
    shift = ShiftFactory(min_age=21, starts_at=timezone.now() - timedelta(minutes=5))
    nineteen_or_twenty = volunteer(born=date(timezone.localdate().year - 20, 1, 1))
    response = bearer(nineteen_or_twenty).post(
        f"/api/v1/shifts/{shift.pk}/registrations", {}, content_type=JSON
    )
    assert response.status_code == 409
    assert response.json()["errors"]["__all__"] == [
        "Смена уже началась.",
        "На эту смену записывают с 21 года.",
    ]


def test_a_family_signs_up_through_the_api():
    shift = ShiftFactory(capacity=5, open_to_minors=True)
    response = bearer(volunteer()).post(
        f"/api/v1/shifts/{shift.pk}/registrations",
        {"group": "family", "seats": 3, "minors_in_group": 2, "group_name": "Ивановы"},
        content_type=JSON,
    )
    assert response.status_code == 201
    assert (response.json()["seats"], response.json()["status"]) == (3, "confirmed")
    assert Shift.objects.with_taken().get(pk=shift.pk).free_places == 2


@pytest.mark.parametrize("operation", ["cancel", "accept"])
def test_nobody_touches_someone_elses_registration(operation):
    registration = RegistrationFactory(status=S.OFFERED)
    response = bearer(volunteer()).post(f"/api/v1/registrations/{registration.pk}/{operation}")
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == S.OFFERED


@pytest.mark.parametrize("operation", ["cancel", "accept", "check-in", "check-out"])
def test_registration_operations_need_authentication(client, operation):
    registration = RegistrationFactory()
    assert client.post(f"/api/v1/registrations/{registration.pk}/{operation}").status_code == 401


def test_accepting_an_offer_through_the_api():
    shift = ShiftFactory(capacity=1)
    holder = signup.registration_create(user=volunteer(), shift=shift)
    waiting = signup.registration_create(user=volunteer(), shift=shift)
    api = bearer(waiting.user)
    refused = api.post(f"/api/v1/registrations/{waiting.pk}/accept")
    assert (refused.status_code, refused.json()["message"]) == (
        409,
        "Предложение места уже недействительно.",
    )
    bearer(holder.user).post(f"/api/v1/registrations/{holder.pk}/cancel")
    offered = api.get("/api/v1/me/registrations").json()["items"][0]
    assert offered["status"] == "offered"
    assert offered["offer_expires_at"]
    accepted = api.post(f"/api/v1/registrations/{waiting.pk}/accept")
    assert accepted.json()["status"] == "confirmed"


def test_a_late_cancellation_is_reported_to_the_caller():
    shift = ShiftFactory(starts_at=timezone.now() + timedelta(hours=5))
    registration = RegistrationFactory(shift=shift)
    response = bearer(registration.user).post(f"/api/v1/registrations/{registration.pk}/cancel")
    assert response.json()["late_cancellation"] is True


def test_cancelling_twice_is_a_409():
    registration = RegistrationFactory()
    api = bearer(registration.user)
    assert api.post(f"/api/v1/registrations/{registration.pk}/cancel").status_code == 200
    assert api.post(f"/api/v1/registrations/{registration.pk}/cancel").status_code == 409


# --- attendance -----------------------------------------------------------------------


@pytest.fixture
def at_the_shift(editor, organization, freeze_now):
    registration = RegistrationFactory(shift__event__organization=organization)
    freeze_now(registration.shift.starts_at)
    return registration


def test_a_volunteer_cannot_check_themselves_in(at_the_shift):
    response = bearer(at_the_shift.user).post(f"/api/v1/registrations/{at_the_shift.pk}/check-in")
    assert response.status_code == 403
    at_the_shift.refresh_from_db()
    assert at_the_shift.checked_in_at is None


def test_checking_in_twice_and_out_before_in_are_409(editor, at_the_shift, freeze_now):
    api = bearer(editor)
    url = f"/api/v1/registrations/{at_the_shift.pk}"
    assert api.post(f"{url}/check-out").status_code == 409
    assert api.post(f"{url}/check-in").status_code == 200
    again = api.post(f"{url}/check-in")
    assert (again.status_code, again.json()["message"]) == (
        409,
        "Волонтёр уже отмечен как пришедший.",
    )
    freeze_now(at_the_shift.shift.starts_at + timedelta(hours=2, minutes=5))
    out = api.post(f"{url}/check-out")
    assert out.status_code == 200
    assert HoursEntry.objects.get(registration=at_the_shift).hours == Decimal("2.00")
    assert api.post(f"{url}/check-out").status_code == 409


def test_a_waitlisted_registration_is_not_checked_in(editor, at_the_shift):
    Registration.objects.filter(pk=at_the_shift.pk).update(status=S.WAITLISTED)
    response = bearer(editor).post(f"/api/v1/registrations/{at_the_shift.pk}/check-in")
    assert response.status_code == 409
    assert "подтверждённые" in response.json()["message"]


# --- my registrations and hours --------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/me/registrations", "/api/v1/me/hours", "/api/v1/me/hours/summary"]
)
def test_my_lists_need_authentication(client, path):
    assert client.get(path).status_code == 401


def test_my_registrations_are_only_mine_newest_first():
    person = volunteer()
    first = RegistrationFactory(user=person)
    second = RegistrationFactory(user=person, status=S.WAITLISTED)
    RegistrationFactory()  # someone else's
    items = bearer(person).get("/api/v1/me/registrations").json()["items"]
    assert [(i["id"], i["status"]) for i in items] == [
        (second.pk, "waitlisted"),
        (first.pk, "confirmed"),
    ]


@pytest.mark.parametrize("count", [1, 20])
def test_my_registrations_have_a_fixed_query_count(django_assert_max_num_queries, count):
    person = volunteer()
    for _ in range(count):
        RegistrationFactory(user=person)
    api = bearer(person)
    with django_assert_max_num_queries(6):
        assert len(api.get("/api/v1/me/registrations").json()["items"]) == count


def test_my_hours_sum_confirmed_and_pending_apart_and_leave_out_declined_and_others():
    person, other = volunteer(), volunteer()
    organization = OrganizationFactory(name="Фонд «Опора»", short_name="Опора")
    today = timezone.localdate() - timedelta(days=1)  # all of its hours have passed
    for hours, status in (
        ("3", "confirmed"),
        ("1.5", "confirmed"),
        ("2", "pending"),
        ("7", "declined"),
    ):
        entry = hours_record(
            user=person, organization=organization, day=today, hours=Decimal(hours), source="claim"
        )
        HoursEntry.objects.filter(pk=entry.pk).update(status=status)
    hours_record(
        user=other, organization=organization, day=today, hours=Decimal("9"), source="claim"
    )
    api = bearer(person)
    data = api.get("/api/v1/me/hours/summary").json()
    assert (Decimal(data["confirmed_total"]), Decimal(data["pending_total"])) == (
        Decimal("4.5"),
        Decimal("2"),
    )
    entries = api.get("/api/v1/me/hours").json()
    assert entries["count"] == 4
    assert {e["organization"] for e in entries["items"]} == {"Опора"}


def test_my_hours_are_zero_for_a_newcomer():
    api = bearer(volunteer())
    data = api.get("/api/v1/me/hours/summary").json()
    assert (Decimal(data["confirmed_total"]), Decimal(data["pending_total"])) == (0, 0)
    assert api.get("/api/v1/me/hours").json() == {"items": [], "count": 0}


@pytest.mark.parametrize("count", [1, 20])
def test_my_hours_have_a_fixed_query_count(django_assert_max_num_queries, count):
    person = volunteer()
    organization = OrganizationFactory()
    for _ in range(count):
        hours_record(
            user=person,
            organization=organization,
            day=timezone.localdate() - timedelta(days=1),  # a day's 20 hours have all passed
            hours=Decimal("1"),
            source="claim",
        )
    api = bearer(person)
    with django_assert_max_num_queries(6):
        assert len(api.get("/api/v1/me/hours").json()["items"]) == count
