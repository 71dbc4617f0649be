"""The production calendar: the library's holidays, the transfers staff keep (a row always
wins), dates counted in working days over the New Year holidays, and the desk page and the
API that keep the transfers (every role, hostile input)."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import login
from dobry.core.models import AuditEntry
from dobry.grants import deadlines
from dobry.grants.agreements import calendar
from dobry.grants.agreements.calendar import WorkCalendar, work_calendar
from dobry.grants.demo import DECREE_TRANSFERS
from dobry.grants.models import WorkCalendarDay
from dobry.grants.services import calendar as calendar_services

pytestmark = pytest.mark.django_db

PAGE = "/grants/calendar/"


def _library() -> WorkCalendar:
    return WorkCalendar(2025, 2028, {})


def test_the_new_year_holidays_and_christmas_are_days_off():
    days = _library()
    assert not any(days.is_working_day(date(2027, 1, day)) for day in range(1, 11))
    assert days.is_working_day(date(2027, 1, 11))
    assert not days.is_working_day(date(2026, 1, 7))


def test_a_holiday_on_a_weekend_moves_to_the_next_working_day_by_law():
    days = _library()
    assert date(2026, 3, 8).weekday() == 6
    assert not days.is_working_day(date(2026, 3, 9))  # Monday after 8 March
    assert not days.is_working_day(date(2026, 5, 11))  # Monday after 9 May
    assert days.is_working_day(date(2026, 3, 10))


def test_weekends_are_days_off_and_plain_weekdays_are_working_days():
    days = _library()
    assert not days.is_working_day(date(2026, 4, 4))  # Saturday
    assert not days.is_working_day(date(2026, 4, 5))  # Sunday
    assert days.is_working_day(date(2026, 4, 6))


def test_a_year_has_the_official_count_of_working_days():
    # The Ministry of Labour's calendar for 2026: 247 working days.
    assert _library().working_days_between(date(2026, 1, 1), date(2026, 12, 31)) == 247
    assert _library().working_days_between(date(2027, 1, 1), date(2027, 1, 31)) == 15
    assert _library().working_days_between(date(2027, 1, 2), date(2027, 1, 1)) == 0


def test_fifteen_working_days_after_a_project_ending_before_new_year():
    # ends Friday 25 December 2026: 28–30 December, then 31 December and 1–10 January are
    # days off, 11–15, 18–22 January and 25–26 January
    assert _library().add_working_days(date(2026, 12, 25), 15) == date(2027, 1, 26)


def test_a_project_ending_on_the_last_working_day_of_the_year():
    assert _library().add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 11)
    assert _library().add_working_days(date(2025, 12, 30), 1) == date(2026, 1, 12)


def test_zero_working_days_is_the_day_itself():
    assert _library().add_working_days(date(2027, 1, 3), 0) == date(2027, 1, 3)


def test_counts_out_of_range_are_refused():
    with pytest.raises(ValueError, match="out of range"):
        _library().add_working_days(date(2027, 1, 3), -1)
    with pytest.raises(ValueError, match="out of range"):
        _library().add_working_days(date(2027, 1, 3), calendar.MAX_WORKING_DAYS + 1)
    with pytest.raises(ValueError, match="past the calendar"):
        WorkCalendar(2027, 2027, {}).add_working_days(date(2027, 12, 20), 30)


def test_a_transfer_staff_recorded_wins_over_the_library():
    assert _library().is_working_day(date(2027, 1, 11))
    WorkCalendarDay.objects.create(day=date(2027, 1, 11), working=False, note="перенос")
    WorkCalendarDay.objects.create(day=date(2027, 1, 9), working=True, note="рабочая суббота")
    days = work_calendar(date(2027, 1, 1))
    assert not days.is_working_day(date(2027, 1, 11))
    assert days.is_working_day(date(2027, 1, 9))
    assert days.add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 12)


def test_a_transfer_moves_a_deadline_counted_over_the_new_year():
    before = calendar.add_working_days(date(2026, 12, 25), 15)
    WorkCalendarDay.objects.create(day=date(2027, 1, 12), working=False)
    assert calendar.add_working_days(date(2026, 12, 25), 15) == date(2027, 1, 27) != before


def test_the_calendar_of_a_span_is_read_in_one_query():
    WorkCalendarDay.objects.create(day=date(2027, 1, 11), working=False)
    with CaptureQueriesContext(connection) as queries:
        days = work_calendar(date(2026, 12, 1), date(2027, 12, 31))
        for offset in range(1, 200):
            days.add_working_days(date(2026, 12, 1), offset)
    assert len(queries) == 1


def test_the_years_days_off_name_the_holidays_in_russian_and_mark_transfers():
    calendar_services.calendar_day_save(
        actor=None, day=date(2027, 2, 20), working=True, note="рабочая суббота"
    )
    days = {day: (source, working) for day, source, working in calendar.year_days_off(2027)}
    assert days[date(2027, 1, 7)] == ("Рождество Христово", False)
    assert days[date(2027, 2, 20)][1] is True
    assert "перенос" in days[date(2027, 2, 20)][0]


def test_review_replacements_are_due_in_the_production_calendars_working_days():
    # 31 December 2026 is a day off by the decree (moved from 4 January)
    assert deadlines.add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 13)


def test_the_decrees_of_2026_and_2027_agree_with_the_library():
    days = _library()
    for day, working, _note in DECREE_TRANSFERS:
        assert days.is_working_day(day) is working, day


# --- the desk page ------------------------------------------------------------------------


def test_the_desk_page_asks_anonymous_visitors_to_log_in():
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["outsider", "coordinator"])
def test_the_desk_page_is_refused_to_everyone_but_staff(request, who):
    user = request.getfixturevalue(who)
    assert login(user).get(PAGE).status_code == 403
    assert login(user).post(PAGE, {"day": "2027-01-11", "working": "0"}).status_code == 403
    assert not WorkCalendarDay.objects.exists()


def test_an_official_sees_the_year_with_holidays_and_records_a_transfer(official):
    client = login(official)
    page = client.get(PAGE, {"year": 2027})
    assert page.status_code == 200
    assert "Рождество Христово" in page.content.decode()
    response = client.post(
        f"{PAGE}?year=2027", {"day": "2027-01-11", "working": "0", "note": "Постановление № 1"}
    )
    assert response.status_code == 302
    row = WorkCalendarDay.objects.get()
    assert (row.day, row.working, row.note, row.updated_by) == (
        date(2027, 1, 11),
        False,
        "Постановление № 1",
        official,
    )
    entry = AuditEntry.objects.get(action="calendar.day_save")
    assert entry.actor == official
    assert entry.data["working"] is False
    assert "Постановление № 1" in client.get(PAGE, {"year": 2027}).content.decode()


def test_recording_a_day_again_changes_it(official):
    client = login(official)
    client.post(PAGE, {"day": "2027-01-11", "working": "0"})
    client.post(PAGE, {"day": "2027-01-11", "working": "1", "note": "исправлено"})
    row = WorkCalendarDay.objects.get()
    assert row.working is True
    assert (
        AuditEntry.objects.filter(action="calendar.day_save").order_by("pk").last().data["before"]
        is False
    )


def test_a_platform_admin_keeps_the_calendar_too(admin_user):
    assert login(admin_user).get(PAGE).status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"day": "0001-01-01", "working": "0"},
        {"day": "²０２７-01-11", "working": "0"},
        {"day": "2027-02-30", "working": "0"},
        {"day": "2027-01-11", "working": "maybe"},
        {"day": "2027-01-11", "working": "0", "note": "x" * 301},
        {"day": "2027-01-11", "working": "0", "note": "строка\nвторая"},
        {"day": "2027-01-11\x00", "working": "0"},
        {},
    ],
)
def test_hostile_input_on_the_desk_page_is_a_message_never_a_500(official, data):
    response = login(official).post(PAGE, data)
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not WorkCalendarDay.objects.exists()


@pytest.mark.parametrize("year", ["abc", "99999", "0", "²"])
def test_a_hostile_year_is_a_400(official, year):
    assert login(official).get(PAGE, {"year": year}).status_code == 400


def test_an_official_takes_a_transfer_back(official):
    row = calendar_services.calendar_day_save(actor=official, day=date(2027, 1, 11), working=False)
    url = f"/grants/calendar/days/{row.pk}/delete/"
    assert login(official).get(url).status_code == 405
    response = login(official).post(url)
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2027")
    assert not WorkCalendarDay.objects.exists()
    assert AuditEntry.objects.filter(action="calendar.day_delete").count() == 1
    assert login(official).post(url).status_code == 404


def test_only_staff_take_a_transfer_back(official, outsider):
    row = calendar_services.calendar_day_save(actor=official, day=date(2027, 1, 11), working=False)
    url = f"/grants/calendar/days/{row.pk}/delete/"
    assert Client().post(url).status_code == 302
    assert login(outsider).post(url).status_code == 403
    assert WorkCalendarDay.objects.count() == 1


def test_the_desk_page_reads_a_fixed_number_of_queries(official, django_assert_max_num_queries):
    for day, working, note in DECREE_TRANSFERS:
        calendar_services.calendar_day_save(actor=official, day=day, working=working, note=note)
    client = login(official)
    client.get(PAGE, {"year": 2027})
    with django_assert_max_num_queries(8):
        assert client.get(PAGE, {"year": 2027}).status_code == 200


# --- the API ------------------------------------------------------------------------------


def _put(client: Client, day: str, body: object):
    return client.put(
        f"/api/v1/work-calendar/days/{day}", json.dumps(body), content_type="application/json"
    )


def test_anyone_reads_a_years_calendar_through_the_api(official):
    calendar_services.calendar_day_save(
        actor=official, day=date(2027, 1, 11), working=False, note="перенос"
    )
    response = Client().get("/api/v1/work-calendar/2027")
    assert response.status_code == 200
    days = {item["day"]: item for item in response.json()}
    assert days["2027-01-11"] == {
        "day": "2027-01-11",
        "working": False,
        "source": "перенос, внесённый сотрудниками",
        "transfer": True,
        "note": "перенос",
    }
    assert days["2027-01-07"]["transfer"] is False


@pytest.mark.parametrize("year", ["1", "99999", "abc", "-5"])
def test_a_hostile_year_in_the_api_is_a_422(year):
    assert Client().get(f"/api/v1/work-calendar/{year}").status_code in (404, 422)


def test_staff_record_and_remove_a_transfer_through_the_api(official):
    client = login(official)
    response = _put(client, "2027-01-11", {"working": False, "note": "Постановление"})
    assert response.status_code == 200
    assert response.json() == {"day": "2027-01-11", "working": False, "note": "Постановление"}
    assert client.delete("/api/v1/work-calendar/days/2027-01-11").status_code == 204
    assert client.delete("/api/v1/work-calendar/days/2027-01-11").status_code == 404
    assert AuditEntry.objects.filter(action__startswith="calendar.").count() == 2


def test_only_staff_change_the_calendar_through_the_api(outsider):
    assert _put(Client(), "2027-01-11", {"working": False}).status_code == 401
    assert _put(login(outsider), "2027-01-11", {"working": False}).status_code == 403
    assert login(outsider).delete("/api/v1/work-calendar/days/2027-01-11").status_code == 403
    assert not WorkCalendarDay.objects.exists()


@pytest.mark.parametrize(
    ("day", "body"),
    [
        ("0001-01-01", {"working": False}),
        ("2027-02-30", {"working": False}),
        ("2027-01-11", {"working": "perhaps"}),
        ("2027-01-11", {"working": False, "note": "x" * 301}),
        ("2027-01-11", {"working": False, "note": "a\nb"}),
        ("2027-01-11", {"working": False, "extra": 1}),
        ("2027-01-11", []),
    ],
)
def test_hostile_api_input_is_a_4xx_never_a_500(official, day, body):
    response = _put(login(official), day, body)
    assert 400 <= response.status_code < 500, response.content
    assert not WorkCalendarDay.objects.exists()
