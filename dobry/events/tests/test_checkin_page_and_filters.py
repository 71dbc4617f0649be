"""The organiser's check-in page (codes typed or scanned, leaving, paper lists) and the
event list's date filters, which take the city's days."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from dobry.core.clock import local_moment
from dobry.events.models import Event, Registration
from dobry.events.selectors import organization_section
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db
S = Registration.Status
DAY = date(2026, 9, 5)


@pytest.fixture
def organiser():
    organization = OrganizationFactory()
    user = volunteer(first_name="Елена", last_name="Редактор")
    MembershipFactory(organization=organization, user=user, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def shift(organiser, freeze_now):
    freeze_now(local_moment(DAY, time(8, 0)))
    organization = organiser.memberships.get().organization
    start = local_moment(DAY, time(9, 0))
    shift = ShiftFactory(
        event__organization=organization, starts_at=start, ends_at=start + timedelta(hours=3)
    )
    shift.event.area_links.create(area="ecology")
    return shift


def post_code(client, shift, code, action="in"):
    return client.post(
        f"/events/{shift.event_id}/checkin/", {"code": code, "action": action}, follow=True
    )


def test_a_code_typed_in_lower_case_with_spaces_is_found(login_as, organiser, shift):
    registration = RegistrationFactory(shift=shift, code="ABCD2345")
    response = post_code(login_as(organiser), shift, " abcd 2345 ")
    assert f"{registration.user.display_name}: приход отмечен." in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at == local_moment(DAY, time(8, 0))


def test_the_code_of_another_events_registration_is_not_found_and_nothing_is_marked(
    login_as, organiser, shift
):
    elsewhere = RegistrationFactory(shift__starts_at=shift.starts_at, code="ZZZZ2222")
    response = post_code(login_as(organiser), shift, "ZZZZ2222")
    assert "Код ZZZZ2222 не найден среди записей этого мероприятия." in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None


def test_leaving_credits_the_hours_on_the_page(login_as, organiser, shift, freeze_now):
    registration = RegistrationFactory(shift=shift, code="QWER2345")
    client = login_as(organiser)
    freeze_now(local_moment(DAY, time(9, 0)))
    post_code(client, shift, "QWER2345")
    freeze_now(local_moment(DAY, time(11, 50)))
    response = post_code(client, shift, "QWER2345", action="out")
    name = registration.user.display_name
    assert f"{name}: уход отмечен, 2,75 ч ждут подтверждения." in response.content.decode()
    entry = HoursEntry.objects.get(registration=registration)
    assert (entry.hours, entry.date, entry.area, entry.organization) == (
        Decimal("2.75"),
        DAY,
        "ecology",
        shift.event.organization,
    )
    assert entry.description == f"{shift.event.title}: {shift.title}"


@pytest.mark.parametrize(
    ("minutes", "hours"),
    [(60, "1.00"), (67, "1.00"), (68, "1.25"), (82, "1.25"), (83, "1.50"), (180, "3.00")],
)
def test_time_at_the_shift_is_rounded_to_the_nearest_quarter(
    organiser, shift, freeze_now, minutes, hours
):
    from dobry.events.services import attendance

    registration = RegistrationFactory(shift=shift)
    freeze_now(shift.starts_at)
    attendance.registration_check_in(actor=organiser, registration=registration)
    freeze_now(shift.starts_at + timedelta(minutes=minutes))
    entry = attendance.registration_check_out(actor=organiser, registration=registration)
    assert entry.hours == Decimal(hours)


def test_an_empty_code_is_a_form_error_on_the_page(login_as, organiser, shift):
    response = login_as(organiser).post(
        f"/events/{shift.event_id}/checkin/", {"code": "", "action": "in"}
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


@pytest.mark.parametrize("body", [{}, {"action": ""}, {"action": "leave"}])
def test_a_code_without_its_button_is_a_400_not_an_arrival(login_as, organiser, shift, body):
    """The page took a POST without `action` for an arrival."""
    registration = RegistrationFactory(shift=shift, code="ABCD2345")
    response = login_as(organiser).post(
        f"/events/{shift.event_id}/checkin/", {"code": "ABCD2345", **body}
    )
    assert response.status_code == 400
    assert "«action»" in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_the_page_counts_who_came_and_who_left_per_shift(login_as, organiser, shift, freeze_now):
    came = RegistrationFactory(shift=shift, checked_in_at=shift.starts_at)
    RegistrationFactory(shift=shift, checked_in_at=shift.starts_at, checked_out_at=shift.ends_at)
    RegistrationFactory(shift=shift)
    RegistrationFactory(shift=shift, status=S.WAITLISTED)
    page_shift = login_as(organiser).get(f"/events/{shift.event_id}/checkin/").context["shifts"][0]
    assert (len(page_shift.confirmed), page_shift.arrived, page_shift.left) == (3, 2, 1)
    assert came in page_shift.confirmed


@pytest.mark.parametrize("count", [1, 15])
def test_the_checkin_page_has_a_fixed_query_count(
    login_as, organiser, shift, django_assert_max_num_queries, count
):
    for _ in range(count):
        RegistrationFactory(shift=shift)
    client = login_as(organiser)
    with django_assert_max_num_queries(10):
        assert client.get(f"/events/{shift.event_id}/checkin/").status_code == 200


# --- paper lists ---------------------------------------------------------------------------


@pytest.fixture
def ended(shift, freeze_now):
    freeze_now(shift.ends_at + timedelta(minutes=10))
    return shift


def bulk(client, shift, ids):
    return client.post(f"/events/shifts/{shift.pk}/bulk/", {"registration": ids}, follow=True)


def test_a_paper_list_credits_the_shift_from_each_arrival_and_keeps_an_earlier_one(
    login_as, organiser, ended
):
    late = RegistrationFactory(shift=ended, checked_in_at=ended.starts_at + timedelta(hours=1))
    on_time = RegistrationFactory(shift=ended)
    response = bulk(login_as(organiser), ended, [late.pk, on_time.pk])
    assert "Отмечено присутствующих: 2." in response.content.decode()
    late.refresh_from_db()
    assert late.checked_in_at == ended.starts_at + timedelta(hours=1)
    hours = HoursEntry.objects.filter(source=HoursEntry.Source.BULK).values_list("hours", flat=True)
    # The whole shift for the one on time; from the late arrival to the end for the other.
    assert list(hours) == [Decimal("3.00"), Decimal("2.00")]


def test_a_paper_list_with_a_waitlisted_person_marks_nobody(login_as, organiser, ended):
    confirmed = RegistrationFactory(shift=ended)
    waiting = RegistrationFactory(shift=ended, status=S.WAITLISTED)
    response = bulk(login_as(organiser), ended, [confirmed.pk, waiting.pk])
    assert "Отмечать можно только подтверждённые записи" in response.content.decode()
    confirmed.refresh_from_db()
    assert (confirmed.checked_in_at, HoursEntry.objects.count()) == (None, 0)


def test_a_paper_list_of_another_shifts_people_is_an_empty_list(login_as, organiser, ended):
    other = RegistrationFactory(shift=ShiftFactory(event=ended.event))
    response = bulk(login_as(organiser), ended, [other.pk])
    assert "Отметьте в списке, кто был на смене." in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_an_empty_paper_list_is_explained(login_as, organiser, ended):
    response = bulk(login_as(organiser), ended, [])
    assert "Отметьте в списке, кто был на смене." in response.content.decode()


# --- the list's dates are the city's days ----------------------------------------------


@pytest.fixture
def night_event(freeze_now):
    """An event from 00:30 to 02:30 local on DAY: in UTC it is on the day before."""
    freeze_now(local_moment(DAY - timedelta(days=10), time(12, 0)))
    start = local_moment(DAY, time(0, 30))
    return ShiftFactory(
        event__title="Ночной рейд", starts_at=start, ends_at=start + timedelta(hours=2)
    ).event


@pytest.mark.parametrize(
    ("date_from", "date_to", "listed"),
    [
        (DAY, DAY, True),
        (DAY - timedelta(days=1), DAY - timedelta(days=1), False),
        (DAY + timedelta(days=1), None, False),
        (None, DAY, True),
        (None, DAY - timedelta(days=1), False),
    ],
)
def test_the_date_filters_take_the_local_day_on_the_page_and_in_the_api(
    client, night_event, date_from, date_to, listed
):
    query = {}
    if date_from:
        query["date_from"] = date_from.isoformat()
    if date_to:
        query["date_to"] = date_to.isoformat()
    page = [e.title for e in client.get("/events/", query).context["page"]]
    api_query = {"from": query.get("date_from"), "to": query.get("date_to")}
    api = client.get("/api/v1/events", {k: v for k, v in api_query.items() if v}).json()
    expected = ["Ночной рейд"] if listed else []
    assert page == expected
    assert [item["title"] for item in api["items"]] == expected


def test_past_events_are_listed_latest_first(client, freeze_now):
    freeze_now(local_moment(DAY, time(12, 0)))
    for days_ago, title in ((3, "Позавчера+1"), (1, "Вчера"), (10, "Давно")):
        start = local_moment(DAY - timedelta(days=days_ago), time(10, 0))
        ShiftFactory(event__title=title, starts_at=start, ends_at=start + timedelta(hours=2))
    page = client.get("/events/", {"when": "past"}).context["page"]
    assert [e.title for e in page] == ["Вчера", "Позавчера+1", "Давно"]


def test_the_organisation_page_shows_drafts_to_its_editors_only(organiser, outsider, coordinator):
    organization = organiser.memberships.get().organization
    ShiftFactory(event__organization=organization, event__title="Открытое")
    EventFactory(organization=organization, status=Event.Status.DRAFT, title="Задумка")
    for user, drafts in ((organiser, ["Задумка"]), (coordinator, ["Задумка"]), (outsider, [])):
        section = organization_section(organization, user)
        assert [e.title for e in section.context["events"]] == ["Открытое"]
        assert [e.title for e in section.context["drafts"]] == drafts


def test_the_organisation_page_lists_six_upcoming_and_says_there_are_more(outsider):
    organization = OrganizationFactory()
    for _ in range(7):
        ShiftFactory(event__organization=organization)
    section = organization_section(organization, outsider)
    assert (len(section.context["events"]), section.context["more"]) == (6, True)
    assert section.context["has_past"] is False
