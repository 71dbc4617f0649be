from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.events.models import Event, Registration
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(resident):
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, user=resident, role=Membership.Role.EDITOR)
    return resident


def event_of(organiser_user, **kwargs):
    organization = organiser_user.memberships.get().organization
    return ShiftFactory(event__organization=organization, **kwargs)


# --- public list and page ---------------------------------------------------------------


def test_list_shows_upcoming_published_events_with_filters(client):
    ShiftFactory(event__title="Чистый берег")
    ShiftFactory(event__title="Черновик", event__status=Event.Status.DRAFT)
    past = timezone.now() - timedelta(days=3)
    ShiftFactory(event__title="Прошедшее", starts_at=past, ends_at=past + timedelta(hours=1))
    body = client.get("/events/").content.decode()
    assert "Чистый берег" in body
    assert "Черновик" not in body
    assert "Прошедшее" not in body
    assert "чистый" in client.get("/events/", {"q": "ЧИСТЫЙ"}).content.decode().lower()
    assert "Чистый берег" not in client.get("/events/", {"q": "лыжи"}).content.decode()


def test_bad_filters_are_named_not_dropped(client):
    response = client.get("/events/", {"date_from": "вчера", "district": "x", "page": "zz"})
    assert response.status_code == 400
    assert "«date_from»" in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_list_has_a_fixed_query_count(client, django_assert_max_num_queries, count):
    for _ in range(count):
        shift = ShiftFactory()
        RegistrationFactory(shift=shift)
    with django_assert_max_num_queries(6):
        assert client.get("/events/").status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_event_page_has_a_fixed_query_count(login_as, django_assert_max_num_queries, count):
    event = EventFactory()
    for _ in range(count):
        shift = ShiftFactory(event=event)
        RegistrationFactory(shift=shift)
        RegistrationFactory(shift=shift, status=Registration.Status.WAITLISTED)
    client = login_as(volunteer())
    with django_assert_max_num_queries(12):
        assert client.get(f"/events/{event.pk}/").status_code == 200


def test_draft_page_is_404_for_the_public_and_open_to_organisers(client, organiser):
    shift = event_of(organiser, event__status=Event.Status.DRAFT)
    url = f"/events/{shift.event_id}/"
    assert client.get(url).status_code == 404
    from django.test import Client

    c = Client()
    c.force_login(organiser)
    assert c.get(url).status_code == 200


# --- signing up ---------------------------------------------------------------------


def test_anonymous_is_asked_to_log_in(client):
    shift = ShiftFactory()
    assert "Войдите, чтобы записаться" in client.get(f"/events/{shift.event_id}/").content.decode()
    response = client.post(f"/events/shifts/{shift.pk}/signup/")
    assert "/accounts/login/" in response["Location"]


def test_one_click_signup_then_cancel(login_as):
    shift = ShiftFactory()
    person = volunteer()
    client = login_as(person)
    response = client.post(f"/events/shifts/{shift.pk}/signup/", follow=True)
    registration = Registration.objects.get(user=person)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.code in response.content.decode()
    client.post(f"/events/registrations/{registration.pk}/cancel/")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_refusal_reasons_are_shown(login_as, resident):
    shift = ShiftFactory()
    response = login_as(resident).post(f"/events/shifts/{shift.pk}/signup/", follow=True)
    assert "дату рождения" in response.content.decode()
    assert not Registration.objects.exists()


def test_group_signup_form_errors_are_shown(login_as):
    shift = ShiftFactory(open_to_minors=True)
    client = login_as(volunteer())
    response = client.post(
        f"/events/shifts/{shift.pk}/signup/",
        {"group": "family", "seats": "1", "minors_in_group": "0"},
        follow=True,
    )
    assert not Registration.objects.exists()
    assert "errorlist" in response.content.decode() or "alert-danger" in response.content.decode()
    client.post(
        f"/events/shifts/{shift.pk}/signup/",
        {"group": "family", "seats": "3", "minors_in_group": "1"},
    )
    assert Registration.objects.get().seats == 3


def test_my_shifts_show_the_qr_code_and_only_mine(login_as):
    mine = RegistrationFactory()
    other = RegistrationFactory()
    client = login_as(mine.user)
    body = client.get("/events/my/").content.decode()
    assert mine.code in body
    assert other.code not in body
    qr = client.get(f"/events/registrations/{mine.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b'<svg xmlns="http://www.w3.org/2000/svg"')
    assert client.get(f"/events/registrations/{other.pk}/qr.svg").status_code == 403
    assert client.post(f"/events/registrations/{other.pk}/cancel/").status_code == 404


@pytest.mark.parametrize("count", [1, 15])
def test_my_shifts_have_a_fixed_query_count(login_as, django_assert_max_num_queries, count):
    person = volunteer()
    for _ in range(count):
        RegistrationFactory(user=person)
    client = login_as(person)
    with django_assert_max_num_queries(6):
        assert client.get("/events/my/").status_code == 200


# --- organisers ---------------------------------------------------------------------


def test_only_organisers_manage(client, login_as, organiser, outsider):
    shift = event_of(organiser)
    for url in (
        f"/events/{shift.event_id}/manage/",
        f"/events/{shift.event_id}/edit/",
        f"/events/{shift.event_id}/checkin/",
    ):
        assert client.get(url).status_code == 302, url
        assert login_as(outsider).get(url).status_code == 403, url
        assert login_as(organiser).get(url).status_code == 200, url


def test_organiser_creates_a_draft_adds_a_shift_and_publishes(login_as, organiser):
    client = login_as(organiser)
    organization = organiser.memberships.get().organization
    response = client.post(
        "/events/new/",
        {
            "organization": organization.pk,
            "kind": "volunteer_action",
            "title": "Праздник осени",
            "cancellation_deadline_hours": 24,
            "areas": ["children"],
        },
    )
    event = Event.objects.get(title="Праздник осени")
    assert response["Location"] == f"/events/{event.pk}/manage/"
    start = (timezone.localtime() + timedelta(days=10)).replace(second=0, microsecond=0)
    bad = client.post(
        f"/events/{event.pk}/shifts/new/",
        {
            "title": "Аниматор",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": start.strftime("%Y-%m-%dT%H:%M"),
            "capacity": 4,
        },
    )
    assert "позже, чем начинается" in bad.content.decode()
    client.post(
        f"/events/{event.pk}/shifts/new/",
        {
            "title": "Аниматор",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "capacity": 4,
        },
    )
    client.post(f"/events/{event.pk}/publish/")
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.shifts.get().capacity == 4


def test_outsider_cannot_create_for_an_organisation_they_do_not_edit(login_as, outsider):
    organization = OrganizationFactory()
    response = login_as(outsider).post(
        "/events/new/",
        {
            "organization": organization.pk,
            "kind": "other",
            "title": "Чужое",
            "cancellation_deadline_hours": 24,
        },
    )
    assert response.status_code == 200
    assert not Event.objects.exists()


@pytest.mark.parametrize("count", [1, 12])
def test_manage_page_has_a_fixed_query_count(
    login_as, organiser, django_assert_max_num_queries, count
):
    shift = event_of(organiser)
    for _ in range(count):
        RegistrationFactory(shift=shift)
    client = login_as(organiser)
    with django_assert_max_num_queries(12):
        assert client.get(f"/events/{shift.event_id}/manage/").status_code == 200


def test_organiser_approves_and_declines(login_as, organiser):
    shift = event_of(organiser, requires_approval=True, capacity=2)
    first = RegistrationFactory(shift=shift, status=Registration.Status.PENDING_APPROVAL)
    second = RegistrationFactory(shift=shift, status=Registration.Status.PENDING_APPROVAL)
    client = login_as(organiser)
    client.post(f"/events/registrations/{first.pk}/approve/")
    client.post(f"/events/registrations/{second.pk}/decline/", {"reason": "Нужна медкнижка"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.CONFIRMED
    assert (second.status, second.reason) == (Registration.Status.DECLINED, "Нужна медкнижка")


def test_check_in_page_marks_by_code_and_bulk(login_as, organiser, freeze_now):
    shift = event_of(organiser)
    first, second = RegistrationFactory(shift=shift), RegistrationFactory(shift=shift)
    freeze_now(shift.ends_at - timedelta(hours=1))
    client = login_as(organiser)
    url = f"/events/{shift.event_id}/checkin/"
    response = client.post(url, {"code": first.code.lower(), "action": "in"}, follow=True)
    assert "приход отмечен" in response.content.decode()
    freeze_now(shift.ends_at)
    response = client.post(url, {"code": first.code, "action": "out"}, follow=True)
    assert "ждут подтверждения" in response.content.decode()
    assert (
        "не найден"
        in client.post(url, {"code": "ZZZZ", "action": "in"}, follow=True).content.decode()
    )
    client.post(f"/events/shifts/{shift.pk}/bulk/", {"registration": [second.pk]})
    assert HoursEntry.objects.count() == 2


def test_cancel_needs_a_reason(login_as, organiser):
    shift = event_of(organiser)
    client = login_as(organiser)
    client.post(f"/events/{shift.event_id}/cancel/", {"reason": ""})
    shift.event.refresh_from_db()
    assert shift.event.status == Event.Status.PUBLISHED
    client.post(f"/events/{shift.event_id}/cancel/", {"reason": "Погода"})
    shift.event.refresh_from_db()
    assert shift.event.status == Event.Status.CANCELLED


def test_free_places_refresh_fragment(client):
    shift = ShiftFactory(capacity=4)
    RegistrationFactory(shift=shift)
    body = client.get(f"/events/{shift.event_id}/places/").content.decode()
    assert f'id="places-{shift.pk}" hx-swap-oob="true"' in body
    assert "свободно 3 из 4" in body


def test_event_page_warns_about_an_overlapping_shift(login_as):
    person = volunteer()
    mine = RegistrationFactory(user=person, shift__event__title="Моя смена")
    other = ShiftFactory(starts_at=mine.shift.starts_at + timedelta(hours=1))
    body = login_as(person).get(f"/events/{other.event_id}/").content.decode()
    assert "В это время у вас уже есть смена: «Моя смена»" in body


def test_check_in_page_shows_progress(login_as, organiser):
    shift = event_of(organiser)
    RegistrationFactory(shift=shift, checked_in_at=timezone.now())
    RegistrationFactory(shift=shift)
    body = login_as(organiser).get(f"/events/{shift.event_id}/checkin/").content.decode()
    assert "Пришли: 1 из 2, ушли: 0" in body


def test_organisers_see_what_a_volunteer_needs_to_take_part(login_as, organiser):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dobry.accounts.services import consent_record_paper
    from dobry.accounts.tests.factories import UserFactory
    from dobry.volunteering.models import VolunteerProfile
    from dobry.volunteering.services.profiles import accessibility_needs_set

    shift = event_of(organiser)
    registration = RegistrationFactory(shift=shift)
    consent_record_paper(
        actor=UserFactory(is_coordinator=True),
        user=registration.user,
        kind="volunteer_health",
        scan=SimpleUploadedFile("form.pdf", b"%PDF-1.4 form"),
        ip_address=None,
    )
    accessibility_needs_set(user=registration.user, needs="нужен сопровождающий")
    VolunteerProfile.objects.filter(user=registration.user).update(
        emergency_contact="мама, +7 913 000-00-00"
    )
    page = login_as(organiser).get(f"/events/{shift.event_id}/manage/").content.decode()
    assert "нужен сопровождающий" not in page
    body = login_as(organiser).post(f"/events/{shift.event_id}/manage/needs/").content.decode()
    assert "нужен сопровождающий" in body
    assert "мама, +7 913 000-00-00" in body
