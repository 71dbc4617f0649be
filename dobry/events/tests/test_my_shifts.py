"""«Мои смены»: upcoming and past apart, no cancelling what has started, and a shift that
ends on another local day shows that day."""

import io
from datetime import datetime, timedelta

import pytest
from django.template import Context, Template
from openpyxl import load_workbook

from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.events.models import Registration
from dobry.events.services.attendance import registration_check_in, registration_check_out
from dobry.events.services.registrations import registration_cancel
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=city_zone())


def local(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=city_zone())


@pytest.fixture
def person(freeze_now):
    freeze_now(NOW)
    return volunteer()


def registration_at(person, starts_at, ends_at, title):
    shift = ShiftFactory(starts_at=starts_at, ends_at=ends_at, event__title=title)
    return RegistrationFactory(user=person, shift=shift)


def sections(body: str) -> tuple[str, str]:
    upcoming, _, past = body.partition('id="past-heading"')
    return upcoming, past


def test_upcoming_and_past_shifts_are_listed_apart_soonest_first(login_as, person):
    registration_at(person, local(20, 10), local(20, 14), "Прошлая уборка")
    registration_at(person, local(10, 12, month=12), local(10, 14, month=12), "Поздняя")
    registration_at(person, local(1, 10, month=12), local(1, 14, month=12), "Ранняя")
    upcoming, past = sections(login_as(person).get("/events/my/").content.decode())
    assert "Прошлая уборка" in past
    assert "Прошлая уборка" not in upcoming
    assert upcoming.index("Ранняя") < upcoming.index("Поздняя")
    assert "Ранняя" not in past


def test_a_shift_under_way_is_upcoming_without_a_cancel_button(login_as, person):
    under_way = registration_at(person, local(29, 10), local(29, 16), "Идёт сейчас")
    upcoming, _ = sections(login_as(person).get("/events/my/").content.decode())
    assert "Идёт сейчас" in upcoming
    assert f"/events/registrations/{under_way.pk}/cancel/" not in upcoming


def test_cancel_is_offered_only_before_the_shift_starts(login_as, person):
    future = registration_at(person, local(1, 10, month=12), local(1, 14, month=12), "Будет")
    past = registration_at(person, local(20, 10), local(20, 14), "Была")
    body = login_as(person).get("/events/my/").content.decode()
    assert f"/events/registrations/{future.pk}/cancel/" in body
    assert f"/events/registrations/{past.pk}/cancel/" not in body


@pytest.mark.parametrize("starts_hours_ago", [0, 1, 48])
def test_the_service_refuses_to_cancel_a_shift_that_has_started(person, starts_hours_ago):
    starts_at = NOW - timedelta(hours=starts_hours_ago)
    registration = registration_at(person, starts_at, starts_at + timedelta(hours=2), "Смена")
    with pytest.raises(DomainError):
        registration_cancel(user=person, registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_the_page_refuses_to_cancel_a_past_shift_with_a_message(login_as, person):
    registration = registration_at(person, local(20, 10), local(20, 14), "Была")
    response = login_as(person).post(
        f"/events/registrations/{registration.pk}/cancel/", follow=True
    )
    assert response.status_code == 200
    assert "началась" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_a_shift_a_minute_before_its_start_can_still_be_cancelled(person):
    registration = registration_at(person, NOW + timedelta(minutes=1), local(29, 16), "Скоро")
    registration_cancel(user=person, registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_an_overnight_shift_shows_the_date_it_ends(login_as, person):
    registration_at(person, local(5, 22, month=12), local(6, 7, month=12), "Ночная")
    body = login_as(person).get("/events/my/").content.decode()
    assert "5 декабря, 22:00 – 6 декабря, 07:00" in body


def test_a_shift_within_one_local_day_shows_only_the_end_time(login_as, person):
    # 06:00–07:30 local is 23:00–00:30 UTC: two UTC days, one local day.
    registration_at(
        person, local(5, 6, month=12), local(5, 7, month=12) + timedelta(minutes=30), "Утро"
    )
    body = login_as(person).get("/events/my/").content.decode()
    assert "5 декабря, 06:00–07:30" in body


def render_span(starts_at, ends_at):
    template = Template("{% load dobry %}{% time_span starts ends %}")
    return template.render(Context({"starts": starts_at, "ends": ends_at}))


def test_time_span_repeats_the_date_only_when_the_local_day_changes(freeze_now):
    freeze_now(NOW)
    assert render_span(local(5, 10), local(5, 14)) == "5 ноября, 10:00–14:00"
    assert render_span(local(5, 10), local(6, 7)) == "5 ноября, 10:00 – 6 ноября, 07:00"
    assert render_span(local(5, 23), local(6, 0)) == "5 ноября, 23:00 – 6 ноября, 00:00"


def test_every_shift_and_booking_range_in_templates_goes_through_time_span():
    from pathlib import Path

    from django.conf import settings

    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html")
        if 'ends_at|date:"H:i"' in path.read_text() or 'ends_at|time:"H:i"' in path.read_text()
    ]
    # The room's week grid lists bookings inside one day's cell: a time alone is right there.
    assert offenders == ["templates/resources/room.html"]


def attended(person, organiser, title, freeze_now) -> Registration:
    """A shift 10:00–14:00 on Nov 20, checked in at 10:00 and out at 13:30, seen on NOW."""
    registration = registration_at(person, local(20, 10), local(20, 14), title)
    freeze_now(local(20, 10))
    registration_check_in(actor=organiser, registration=registration)
    freeze_now(local(20, 13) + timedelta(minutes=30))
    registration_check_out(actor=organiser, registration=registration)
    freeze_now(NOW)
    return registration


def test_a_past_shift_attended_says_so_with_its_hours_and_no_code(
    login_as, person, coordinator, freeze_now
):
    registration = attended(person, coordinator, "Уборка берега", freeze_now)
    _, past = sections(login_as(person).get("/events/my/").content.decode())
    assert "участие отмечено" in past
    assert "Часы: 3,5 (ждёт подтверждения)" in past
    assert "записан<" not in past
    assert registration.code not in past
    assert f"/events/registrations/{registration.pk}/qr.svg" not in past


def test_a_past_shift_without_a_check_in_says_no_mark_and_shows_no_code(login_as, person):
    registration = registration_at(person, local(20, 10), local(20, 14), "Не дошёл")
    _, past = sections(login_as(person).get("/events/my/").content.decode())
    assert "нет отметки о приходе" in past
    assert registration.code not in past


def test_an_upcoming_shift_keeps_its_code_and_qr(login_as, person):
    registration = registration_at(person, local(1, 10, month=12), local(1, 14, month=12), "Ещё")
    upcoming, _ = sections(login_as(person).get("/events/my/").content.decode())
    assert "записан" in upcoming
    assert registration.code in upcoming
    assert f"/events/registrations/{registration.pk}/qr.svg" in upcoming


def test_the_attendance_sheet_says_who_came(login_as, person, coordinator, freeze_now):
    came = attended(person, coordinator, "Уборка", freeze_now)
    absent = RegistrationFactory(user=volunteer(), shift=came.shift)
    url = f"/events/{came.shift.event_id}/attendance.xlsx"
    workbook = load_workbook(io.BytesIO(login_as(coordinator).post(url).content))
    statuses = {row[3]: row[6] for row in list(workbook.active.values)[1:]}
    # attendance was marked on the shift (someone checked in): the one not marked is absent
    assert statuses == {
        person.email: "участие отмечено",
        absent.user.email: "неявка",
    }


def test_the_attendance_sheet_gives_the_hours_entered_and_their_status(
    login_as, person, coordinator, freeze_now
):
    came = attended(person, coordinator, "Уборка", freeze_now)
    absent = RegistrationFactory(user=volunteer(), shift=came.shift)
    url = f"/events/{came.shift.event_id}/attendance.xlsx"
    workbook = load_workbook(io.BytesIO(login_as(coordinator).post(url).content))
    hours = {row[3]: (row[9], row[10]) for row in list(workbook.active.values)[1:]}
    # checking out entered 3.5 hours, waiting for confirmation; no check-in, no hours
    assert hours == {
        person.email: (3.5, "ждёт подтверждения"),
        absent.user.email: (None, None),
    }


def test_the_attendance_sheet_in_english(login_as, person, coordinator, freeze_now):
    came = attended(person, coordinator, "Уборка", freeze_now)
    url = f"/events/{came.shift.event_id}/attendance.xlsx"
    # a signed-in person's stored language is theirs (accounts.UserLanguageMiddleware)
    type(coordinator).objects.filter(pk=coordinator.pk).update(language="en")
    client = login_as(coordinator)
    workbook = load_workbook(io.BytesIO(client.post(url).content))
    assert list(workbook.active.values)[1][6] == "attended"
