"""Every date a rule or a person sees is the city's date (Asia/Krasnoyarsk, UTC+7): each rule
is tried at 00:30 and 06:00 local time, when the UTC date is still the day before."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from dobry.core.clock import (
    city_zone,
    local_add,
    local_date,
    local_naive,
    local_time,
    local_today,
    start_of_local_day,
)
from dobry.core.models import AuditEntry
from dobry.events.models import EventSeries, Registration
from dobry.events.services import attendance
from dobry.events.services.events import event_repeat
from dobry.events.services.registrations import SignupRefused, registration_create
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.volunteering.models import Qualification, VolunteerQualification

pytestmark = pytest.mark.django_db

EARLY_HOURS = [(0, 30), (6, 0)]  # local wall-clock times when UTC still shows the day before


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment given on the city's clock, expressed in UTC as the database returns it."""
    return datetime(year, month, day, hour, minute, tzinfo=city_zone()).astimezone(UTC)


def test_the_city_is_krasnoyarsk_seven_hours_ahead_of_utc():
    assert settings.TIME_ZONE == "Asia/Krasnoyarsk"
    assert datetime(2027, 3, 1, 6, tzinfo=city_zone()).utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_local_date_of_an_early_morning_moment_is_the_citys_date_not_utcs(hour, minute):
    moment = local(2027, 3, 1, hour, minute)
    assert moment.date() == date(2027, 2, 28)  # the flaw the helper exists for
    assert local_date(moment) == date(2027, 3, 1)
    assert local_naive(moment) == datetime(2027, 3, 1, hour, minute)  # noqa: DTZ001
    assert local_time(moment).hour == hour


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_local_today_turns_at_local_midnight(freeze_now, hour, minute):
    freeze_now(local(2027, 1, 1, hour, minute))
    assert local_today() == date(2027, 1, 1)


def test_local_today_ignores_a_time_zone_activated_on_the_thread(freeze_now):
    freeze_now(local(2027, 1, 1, 0, 30))
    with timezone.override("UTC"):
        assert local_today() == date(2027, 1, 1)


def test_a_naive_datetime_is_refused_because_its_meaning_is_unknown():
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2027, 3, 1, 6))  # noqa: DTZ001 - the point of the test


def test_start_of_local_day_is_local_midnight():
    assert start_of_local_day(date(2027, 3, 1)) == local(2027, 3, 1)
    assert start_of_local_day(date(2027, 3, 1)).astimezone(UTC).day == 28


def test_local_add_moves_on_the_wall_clock_and_clamps_the_month_end():
    assert local_add(local(2027, 3, 1, 6), relativedelta(months=1)) == local(2027, 4, 1, 6)
    assert local_add(local(2027, 1, 31, 0, 30), relativedelta(months=1)) == local(
        2027, 2, 28, 0, 30
    )
    assert local_add(local(2027, 3, 1, 6), timedelta(weeks=1)) == local(2027, 3, 8, 6)


# --- ages and qualifications at signup (the example) ------------------------------


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_a_volunteer_turning_18_that_day_is_accepted_for_an_early_adult_shift(
    freeze_now, hour, minute
):
    freeze_now(local(2027, 2, 20, 12))
    shift = ShiftFactory(min_age=18, starts_at=local(2027, 3, 1, hour, minute))
    person = volunteer(born=date(2009, 3, 1))
    assert registration_create(user=person, shift=shift).status == Registration.Status.CONFIRMED


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_a_volunteer_turning_18_the_next_day_is_refused_for_an_early_adult_shift(
    freeze_now, hour, minute
):
    freeze_now(local(2027, 2, 20, 12))
    shift = ShiftFactory(min_age=18, starts_at=local(2027, 3, 1, hour, minute))
    with pytest.raises(SignupRefused, match="с 18 лет"):
        registration_create(user=volunteer(born=date(2009, 3, 2)), shift=shift)


def test_the_same_volunteer_is_accepted_at_06_00_and_at_10_00_alike(freeze_now):
    freeze_now(local(2027, 2, 20, 12))
    early = ShiftFactory(min_age=18, starts_at=local(2027, 3, 1, 6))
    late = ShiftFactory(min_age=18, starts_at=local(2027, 3, 1, 10))
    person = volunteer(born=date(2009, 3, 1))
    assert registration_create(user=person, shift=early).status == Registration.Status.CONFIRMED
    assert registration_create(user=person, shift=late).status == Registration.Status.CONFIRMED


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_a_qualification_expired_the_day_before_does_not_cover_an_early_shift(
    freeze_now, hour, minute
):
    freeze_now(local(2027, 2, 20, 12))
    starts = local(2027, 3, 1, hour, minute)
    shift = ShiftFactory(starts_at=starts, ends_at=starts + timedelta(minutes=20))
    licence = Qualification.objects.create(name="Медицинская книжка", slug="med")
    shift.qualifications.add(licence)
    person = volunteer()
    VolunteerQualification.objects.create(
        user=person, qualification=licence, valid_until=date(2027, 2, 28)
    )
    with pytest.raises(SignupRefused, match="Медицинская книжка"):
        registration_create(user=person, shift=shift)
    VolunteerQualification.objects.filter(user=person).update(valid_until=date(2027, 3, 1))
    assert registration_create(user=person, shift=shift).status == Registration.Status.CONFIRMED


# --- hours, repeats, competitions, help requests, the audit log ---------------------------


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_hours_of_an_early_shift_are_dated_on_the_local_day(freeze_now, coordinator, hour, minute):
    starts = local(2027, 3, 1, hour, minute)
    freeze_now(starts - timedelta(days=1))
    registration = RegistrationFactory(
        shift=ShiftFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))
    )
    freeze_now(starts + timedelta(hours=2))
    attendance.registration_check_in(actor=coordinator, registration=registration, at=starts)
    entry = attendance.registration_check_out(
        actor=coordinator, registration=registration, at=starts + timedelta(hours=2)
    )
    assert entry.date == date(2027, 3, 1)
    assert entry.hours == Decimal("2.00")


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_a_monthly_repeat_of_an_early_shift_falls_on_the_same_local_day(
    freeze_now, coordinator, hour, minute
):
    freeze_now(local(2027, 2, 20, 12))
    shift = ShiftFactory(starts_at=local(2027, 3, 1, hour, minute))
    [april, may] = event_repeat(
        actor=coordinator, event=shift.event, frequency=EventSeries.Frequency.MONTHLY, count=2
    )
    assert april.shifts.get().starts_at == local(2027, 4, 1, hour, minute)
    assert may.shifts.get().starts_at == local(2027, 5, 1, hour, minute)
    assert april.shifts.get().ends_at - april.shifts.get().starts_at == timedelta(hours=3)


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_an_application_number_carries_the_local_year_of_the_call(
    freeze_now, official, hour, minute
):
    from dobry.grants.tests.factories import open_competition, submitted_application

    opens = local(2027, 1, 1, hour, minute)
    freeze_now(opens + timedelta(hours=1))
    competition = open_competition(
        official,
        applications_open=opens,
        applications_close=opens + timedelta(days=5),
        review_deadline=opens + timedelta(days=10),
        results_on=date(2027, 1, 20),
    )
    application, _leader = submitted_application(competition)
    assert application.number.startswith("2027-")


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_results_may_not_be_dated_before_the_local_day_the_review_ends(official, hour, minute):
    from dobry.core.errors import DomainError
    from dobry.grants.services.competitions import competition_create

    deadline = local(2027, 3, 1, hour, minute)
    terms = {
        "actor": official,
        "kind": "sonko",
        "title": "Конкурс",
        "budget": Decimal(1_000_000),
        "max_grant": Decimal(300_000),
        "applications_open": deadline - timedelta(days=20),
        "applications_close": deadline - timedelta(days=10),
        "review_deadline": deadline,
    }
    with pytest.raises(DomainError) as refused:
        competition_create(**terms, results_on=date(2027, 2, 28))
    assert "results_on" in refused.value.field_errors
    assert competition_create(**terms, results_on=date(2027, 3, 1)).results_on == date(2027, 3, 1)


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_a_monthly_help_request_repeats_on_the_same_local_day(
    freeze_now, coordinator, hour, minute
):
    from dobry.helprequests.models import HelpRequest
    from dobry.helprequests.services import completion, offering
    from dobry.helprequests.tests.factories import HelpRequestFactory, offerable_volunteer
    from dobry.organizations.models import Membership
    from dobry.organizations.tests.factories import MembershipFactory

    wanted = local(2027, 3, 1, hour, minute)
    freeze_now(wanted - timedelta(days=2))
    helper = offerable_volunteer()
    request = HelpRequestFactory(
        status=HelpRequest.Status.VERIFIED,
        recurrence=HelpRequest.Recurrence.MONTHLY,
        asap=False,
        wanted_from=wanted,
        wanted_to=wanted + timedelta(hours=1),
    )
    [offer] = offering.offer_make(actor=coordinator, help_request=request, volunteers=[helper])
    offering.offer_answer(user=helper, offer=offer, accept=True)
    request.refresh_from_db()
    freeze_now(wanted + timedelta(hours=1))
    MembershipFactory(user=coordinator, role=Membership.Role.EDITOR)  # credits the hours
    completion.help_report(volunteer=helper, help_request=request, text="Помог", hours="1")
    request.refresh_from_db()
    completion.request_complete(actor=coordinator, help_request=request)
    following = HelpRequest.objects.get(parent=request)
    assert following.wanted_from == local(2027, 4, 1, hour, minute)


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_the_help_desk_counts_the_local_year_on_new_years_morning(
    freeze_now, coordinator, login_as, hour, minute
):
    from dobry.helprequests.models import HelpRequest
    from dobry.helprequests.tests.factories import HelpRequestFactory

    freeze_now(local(2027, 1, 1, hour, minute))
    HelpRequestFactory(
        status=HelpRequest.Status.DONE, closed_at=local(2026, 12, 31, 23), recipient_phone="+71"
    )
    response = login_as(coordinator).get("/help/dashboard/")
    assert response.status_code == 200
    assert response.context["year"] == 2027
    assert response.context["helped_this_year"] == 0


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_an_audit_entry_reads_in_local_time(freeze_now, coordinator, hour, minute):
    freeze_now(local(2027, 3, 1, hour, minute))
    entry = AuditEntry.objects.create(actor=coordinator, action="test.action", object_repr="x")
    assert str(entry).startswith(f"2027-03-01 {hour:02d}:{minute:02d}")


# --- the sweep: no date is taken from a datetime without the city's clock -------------------

SOURCE = Path(settings.BASE_DIR) / "dobry"
FORBIDDEN = [
    (re.compile(r"\.date\(\)"), "take a date with core.clock.local_date()"),
    (re.compile(r"timezone\.local(date|time)\("), "use core.clock (local_today/local_time)"),
    # the zone active on the thread is whoever's request ran last, not the city's
    (re.compile(r"get_current_timezone\("), "use core.clock (start_of_local_day/local_moment)"),
    (re.compile(r"make_aware\((?!.*city_zone)"), "use core.clock.local_moment (the city's zone)"),
    (re.compile(r"__date\b|__date="), "filter on start_of_local_day bounds, not __date"),
    (re.compile(r"days=[\w.]*weekday\(\)"), "use core.clock.week_start (weeks are Mon–Sun)"),
]


def test_no_code_takes_a_date_from_a_datetime_except_through_the_citys_clock():
    found = []
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in relative or relative == "core/clock.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for pattern, advice in FORBIDDEN:
                if pattern.search(line):
                    found.append(f"{relative}:{number}: {advice}: {line.strip()}")
    assert found == []


def test_ruff_checks_datetimes_for_time_zones():
    pyproject = (Path(settings.BASE_DIR) / "pyproject.toml").read_text()
    assert re.search(r'select = \[[^\]]*"DTZ"', pyproject)


# --- «today» for periods, digests and birth dates ------------------------------------------


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_the_default_report_period_on_new_years_morning_is_the_year_just_ended(
    freeze_now, hour, minute
):
    """Reports open on the last full year: on 1 January local time (still 31 December in
    UTC) that is the year that has just ended, not the one before it."""
    from dobry.reports.periods import from_query

    freeze_now(local(2027, 1, 1, hour, minute))
    period = from_query({})
    assert (period.start, period.end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert not period.partial
    assert from_query({"kind": "month"}).start == date(2027, 1, 1)


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_the_weekly_digest_counts_the_local_week(freeze_now, hour, minute):
    from dobry.events.tasks import send_weekly_digests
    from dobry.volunteering.models import VolunteerProfile

    freeze_now(local(2027, 3, 1, hour, minute))  # a Monday in Krasnoyarsk, Sunday in UTC
    person = volunteer()
    VolunteerProfile.objects.filter(user=person).update(weekly_digest=True)
    send_weekly_digests.call()
    assert VolunteerProfile.objects.get(user=person).last_digest_on == date(2027, 3, 1)


@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_a_birth_date_of_today_is_not_in_the_future(freeze_now, hour, minute):
    """The profile's rule (page and API alike) reads «today» on the city's clock."""
    from dobry.core.errors import DomainError
    from dobry.volunteering.services.profiles import _profile_values

    freeze_now(local(2027, 3, 1, hour, minute))
    assert _profile_values({"date_of_birth": date(2027, 3, 1)})["date_of_birth"] == date(2027, 3, 1)
    with pytest.raises(DomainError) as refused:
        _profile_values({"date_of_birth": date(2027, 3, 2)})
    assert refused.value.field_errors == {"date_of_birth": ["Проверьте дату рождения."]}


# --- weeks (Monday to Sunday) and days on the city's clock, whatever zone is active --------

SUNDAY_NIGHT, MONDAY_EARLY = (2027, 2, 28, 23, 30), (2027, 3, 1, 0, 30)


@pytest.fixture
def foreign_zone():
    """A zone other than the city's left active on the thread: no rule may follow it."""
    timezone.activate("UTC")
    yield
    timezone.deactivate()


@pytest.mark.usefixtures("foreign_zone")
def test_the_weekly_digest_week_turns_at_local_monday_midnight(freeze_now):
    from dobry.events.tasks import send_weekly_digests
    from dobry.volunteering.models import VolunteerProfile

    person = volunteer()
    profiles = VolunteerProfile.objects.filter(user=person)
    profiles.update(weekly_digest=True, last_digest_on=date(2027, 2, 22))  # this week's Monday
    freeze_now(local(*SUNDAY_NIGHT))
    send_weekly_digests.call()
    assert profiles.get().last_digest_on == date(2027, 2, 22)  # Sunday: still this week
    freeze_now(local(*MONDAY_EARLY))
    send_weekly_digests.call()
    assert profiles.get().last_digest_on == date(2027, 3, 1)


@pytest.mark.usefixtures("foreign_zone")
def test_a_period_begins_and_ends_at_local_midnight():
    from dobry.reports.periods import month, year

    assert year(2027).starts_at == local(2027, 1, 1)
    assert year(2027).ends_before == local(2028, 1, 1)
    assert month(2027, 3).ends_before == local(2027, 4, 1)


@pytest.mark.usefixtures("foreign_zone")
def test_the_event_list_from_a_date_keeps_events_of_that_local_morning(freeze_now):
    from dobry.events.selectors import filtered_events

    freeze_now(local(*MONDAY_EARLY))
    shift = ShiftFactory(starts_at=local(2027, 3, 1, 1), ends_at=local(2027, 3, 1, 3))
    ShiftFactory(starts_at=local(2027, 3, 2, 10), ends_at=local(2027, 3, 2, 12))
    day = {"date_from": date(2027, 3, 1), "date_to": date(2027, 3, 1)}
    assert [e.pk for e in filtered_events(day, None)] == [shift.event_id]


@pytest.mark.usefixtures("foreign_zone")
@pytest.mark.parametrize(("hour", "minute"), EARLY_HOURS)
def test_the_batch_plan_of_a_day_takes_the_requests_wanted_that_local_day(hour, minute):
    from dobry.helprequests.assignment import day_proposal
    from dobry.helprequests.models import HelpRequest
    from dobry.helprequests.tests.factories import HelpRequestFactory, offerable_volunteer

    offerable_volunteer()
    wanted = HelpRequestFactory(
        status=HelpRequest.Status.VERIFIED, asap=False, wanted_from=local(2027, 3, 1, hour, minute)
    )
    HelpRequestFactory(
        status=HelpRequest.Status.VERIFIED, asap=False, wanted_from=local(2027, 2, 28, 23, 0)
    )
    proposal = day_proposal(date(2027, 3, 1))
    assert [r.pk for r in proposal.requests] == [wanted.pk]
    assert {edge.request for edge in proposal.edges} == {wanted.pk}


@pytest.mark.usefixtures("foreign_zone")
def test_a_moment_typed_in_a_form_is_on_the_citys_clock():
    from dobry.core.form_fields import DateTimeField

    field = DateTimeField()
    assert field.clean("2027-03-01T06:00") == local(2027, 3, 1, 6)
    assert field.prepare_value(local(2027, 3, 1, 6)).hour == 6
