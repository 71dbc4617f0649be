"""Who came to a session: the organisers mark registered people present at the door (from
an hour before the start; never for a cancelled session), on a page and through the API;
indicator 3 then counts those who came on that session, and those who registered where
nobody was marked. Every role, bad input, the list's query budget."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.core.errors import DomainError
from dobry.festivals.models import SessionRegistration
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival
from dobry.reports import indicators, periods

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _url(name, *args):
    return reverse(f"festivals:{name}", args=args)


def _registered(count=3, capacity=10):
    """A festival whose first session three people registered for; the clock at its start."""
    f = festival(capacity=capacity, days_ahead=1)
    people = [UserFactory(first_name=f"Житель{n}") for n in range(count)]
    registrations = [services.session_register(actor=p, session=f.sessions[0]) for p in people]
    return f, people, registrations


def _at_start(freeze_now, f):
    freeze_now(f.sessions[0].starts_at + timedelta(minutes=5))


def test_the_organiser_marks_who_came_on_the_page(login_as, freeze_now):
    f, _people, registrations = _registered()
    _at_start(freeze_now, f)
    browser = login_as(f.organiser)
    page = browser.get(_url("attendance", f.sessions[0].pk)).content.decode()
    assert "Пришли 0 из 3 записавшихся." in page
    assert "Пришёл: Житель0" in page
    answer = browser.post(
        _url("attendance_mark", registrations[0].pk), {"action": "present"}, follow=True
    )
    text = answer.content.decode()
    assert "Отмечено: пришёл." in text
    assert "Пришли 1 из 3 записавшихся." in text
    registrations[0].refresh_from_db()
    assert registrations[0].attended_at is not None
    browser.post(_url("attendance_mark", registrations[0].pk), {"action": "absent"})
    registrations[0].refresh_from_db()
    assert registrations[0].attended_at is None


def test_marks_wait_until_an_hour_before_the_start(login_as):
    f, _people, registrations = _registered()
    browser = login_as(f.organiser)
    page = browser.get(_url("attendance", f.sessions[0].pk)).content.decode()
    assert "за час до начала" in page
    assert "Пришёл: Житель0" not in page
    answer = browser.post(
        _url("attendance_mark", registrations[0].pk), {"action": "present"}, follow=True
    )
    assert "за час до начала" in answer.content.decode()
    assert SessionRegistration.objects.filter(attended_at__isnull=False).count() == 0


def test_no_marks_on_a_cancelled_session(freeze_now):
    f, _people, registrations = _registered()
    services.session_cancel(actor=f.organiser, session=f.sessions[0])
    _at_start(freeze_now, f)
    registration = SessionRegistration.objects.select_related("session").get(pk=registrations[0].pk)
    with pytest.raises(DomainError, match="Сессия отменена"):
        services.attendance_mark(actor=f.organiser, registration=registration, present=True)


def test_others_may_not_see_or_mark(client, outsider, login_as, freeze_now):
    f, people, registrations = _registered()
    _at_start(freeze_now, f)
    url, mark = _url("attendance", f.sessions[0].pk), _url("attendance_mark", registrations[0].pk)
    assert "/accounts/login/" in client.get(url)["Location"]
    assert "/accounts/login/" in client.post(mark, {"action": "present"})["Location"]
    for person in (outsider, people[1]):
        browser = login_as(person)
        assert browser.get(url).status_code == 403
        assert browser.post(mark, {"action": "present"}).status_code == 403
    assert SessionRegistration.objects.filter(attended_at__isnull=False).count() == 0


@pytest.mark.parametrize("who", ["coordinator", "organiser"])
def test_organisers_and_coordinators_mark(who, coordinator, login_as, freeze_now):
    f, _people, registrations = _registered()
    _at_start(freeze_now, f)
    browser = login_as(coordinator if who == "coordinator" else f.organiser)
    browser.post(_url("attendance_mark", registrations[1].pk), {"action": "present"})
    assert SessionRegistration.objects.get(pk=registrations[1].pk).attended_at is not None


@pytest.mark.parametrize("body", [{}, {"action": "x"}, {"action": "²"}, {"action": "a\x00b"}])
def test_bad_marks_are_explained(body, login_as, freeze_now):
    f, _people, registrations = _registered()
    _at_start(freeze_now, f)
    answer = login_as(f.organiser).post(
        _url("attendance_mark", registrations[0].pk), body, follow=True
    )
    assert answer.status_code == 200
    assert "Не понятно, пришёл человек или нет." in answer.content.decode()


def test_missing_ids_are_404(login_as):
    browser = login_as(UserFactory(is_coordinator=True))
    assert browser.get(_url("attendance", 999999)).status_code == 404
    assert browser.post(_url("attendance_mark", 999999), {"action": "present"}).status_code == 404


def test_attendance_through_the_api(freeze_now):
    f, people, registrations = _registered()
    _at_start(freeze_now, f)
    organiser = bearer(f.organiser)
    listed = organiser.get(f"{API}/programme-sessions/{f.sessions[0].pk}/attendance").json()
    assert listed["count"] == 3
    assert {item["attended_at"] for item in listed["items"]} == {None}
    path = f"{API}/programme-registrations/{registrations[2].pk}/attendance"
    marked = organiser.put(path, {"present": True}, content_type="application/json")
    assert marked.status_code == 200
    assert marked.json()["attended_at"] is not None
    assert marked.json()["name"] == people[2].display_name
    outsider = bearer(UserFactory())
    assert (
        outsider.put(path, {"present": False}, content_type="application/json").status_code == 403
    )
    assert (
        outsider.get(f"{API}/programme-sessions/{f.sessions[0].pk}/attendance").status_code == 403
    )
    assert Client().put(path, {"present": True}, content_type="application/json").status_code == 401
    for body in ({}, {"present": "може"}, {"present": True, "extra": 1}):
        assert organiser.put(path, body, content_type="application/json").status_code == 422
    missing = organiser.put(
        f"{API}/programme-registrations/999999/attendance",
        {"present": True},
        content_type="application/json",
    )
    assert missing.status_code == 404


def test_the_api_refuses_marks_before_the_hour_with_a_409():
    f, _people, registrations = _registered()
    answer = bearer(f.organiser).put(
        f"{API}/programme-registrations/{registrations[0].pk}/attendance",
        {"present": True},
        content_type="application/json",
    )
    assert answer.status_code == 409


def test_indicator_3_counts_who_came_where_marked_and_who_registered_elsewhere(freeze_now):
    f, _people, registrations = _registered(count=3)
    other = [UserFactory() for _ in range(2)]
    for person in other:
        services.session_register(actor=person, session=f.sessions[1])
    period = periods.year(f.event.starts_at.year)
    before = indicators.involved_share(period).parts["people"]
    _at_start(freeze_now, f)
    registration = SessionRegistration.objects.select_related("session__programme").get(
        pk=registrations[0].pk
    )
    services.attendance_mark(actor=f.organiser, registration=registration, present=True)
    freeze_now(f.sessions[1].ends_at + timedelta(hours=1))
    after = indicators.involved_share(period)
    # the first session: one came of three registered; the second: nobody marked, two count
    assert after.parts["people"] == before + 1 + 2
    assert "пришедшие, на остальных — записавшиеся" in after.method


def test_query_budget_of_the_attendance_list(django_assert_max_num_queries, freeze_now):
    f, _people, _registrations = _registered(count=12, capacity=20)
    _at_start(freeze_now, f)
    browser = Client()
    browser.force_login(f.organiser)
    with django_assert_max_num_queries(15):
        assert browser.get(_url("attendance", f.sessions[0].pk)).status_code == 200
    organiser = bearer(f.organiser)
    with django_assert_max_num_queries(12):
        answer = organiser.get(f"{API}/programme-sessions/{f.sessions[0].pk}/attendance")
    assert answer.json()["count"] == 12


def test_attendance_is_in_the_personal_export(freeze_now):
    from dobry.accounts import personal_data

    f, people, registrations = _registered(count=1)
    _at_start(freeze_now, f)
    registration = SessionRegistration.objects.select_related("session__programme").get(
        pk=registrations[0].pk
    )
    services.attendance_mark(actor=f.organiser, registration=registration, present=True)
    exported = personal_data.export_sections(people[0])["programmes"]
    assert exported["session_registrations"][0]["attended_at"] is not None
