"""A helper's hours reach the record book through the volunteering ledger's service, as
help by this request: dated by the city's day the help was given — not the day the request
was closed, nor UTC's day — and not as the volunteer's own claim, which they may still make
for that day and organisation. The entry names its request, shown to whoever may open it."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.core.references import Reference
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import completion
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory, accepted_helper
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.services.hours import hours_claim

pytestmark = pytest.mark.django_db

S = HelpRequest.Status
HELP_DAY = date(2031, 3, 10)
# 02:30 in the city on the day of help is still 9 March in UTC
JUST_AFTER_MIDNIGHT = datetime(2031, 3, 10, 2, 30, tzinfo=city_zone())
TWO_DAYS_LATER = datetime(2031, 3, 12, 15, 0, tzinfo=city_zone())


@pytest.fixture
def helped(freeze_now):
    """A programme's request taken on 9 March, whose accepted helper reported 2 hours at
    02:30 on 10 March."""
    freeze_now(datetime(2031, 3, 9, 15, 0, tzinfo=city_zone()))
    programme = ProgrammeFactory()
    help_request = HelpRequestFactory(status=S.ASSIGNED, programme=programme)
    helper = accepted_helper(help_request)
    freeze_now(JUST_AFTER_MIDNIGHT)
    report = completion.help_report(
        volunteer=helper, help_request=help_request, text="Купил продукты", hours="2"
    )
    return help_request, helper, report


def test_the_report_is_dated_by_the_citys_day_of_help(helped):
    _help_request, _helper, report = helped
    assert report.day == HELP_DAY


def test_closing_two_days_later_dates_the_hours_by_the_day_of_help_as_help_by_the_request(
    helped, freeze_now, coordinator
):
    help_request, helper, _report = helped
    freeze_now(TWO_DAYS_LATER)
    completion.request_complete(actor=coordinator, help_request=help_request)
    entry = HoursEntry.objects.get(user=helper)
    assert (entry.date, entry.hours, entry.claimed_hours) == (HELP_DAY, Decimal(2), Decimal(2))
    assert (entry.source, entry.area, entry.status) == (
        HoursEntry.Source.HELP_REQUEST,
        "social",
        HoursEntry.Status.CONFIRMED,
    )
    assert entry.origin == Reference("help_request", help_request.pk)
    assert (entry.organization, entry.decided_by) == (
        help_request.programme.organization,
        coordinator,
    )
    assert entry.description == help_request.summary


def test_the_helpers_own_claim_for_that_day_and_organisation_stays_open(
    helped, freeze_now, coordinator
):
    help_request, helper, _report = helped
    freeze_now(TWO_DAYS_LATER)
    completion.request_complete(actor=coordinator, help_request=help_request)
    organization = help_request.programme.organization
    claim = hours_claim(
        user=helper,
        organization=organization,
        day=HELP_DAY,
        hours="3",
        description="Разбирали склад",
        area="social",
    )
    assert (claim.date, claim.hours, claim.source, claim.status) == (
        HELP_DAY,
        Decimal(3),
        HoursEntry.Source.CLAIM,
        HoursEntry.Status.PENDING,
    )
    by_source = dict(HoursEntry.objects.filter(user=helper).values_list("source", "hours"))
    assert by_source == {"help_request": Decimal(2), "claim": Decimal(3)}
    # the claim rule itself still holds: a second claim for that day is refused
    with pytest.raises(DomainError) as refused:
        hours_claim(
            user=helper,
            organization=organization,
            day=HELP_DAY,
            hours="1",
            description="Ещё раз",
            area="social",
        )
    assert "day" in refused.value.field_errors


def test_the_day_of_help_keeps_its_24_hours_whatever_the_day_of_closing(
    helped, freeze_now, coordinator
):
    """The day of help already holds 23 claimed hours: only 1 of the 2 fits, though the
    closing day is empty."""
    help_request, helper, _report = helped
    freeze_now(TWO_DAYS_LATER)  # the whole of the day of help has passed
    hours_claim(
        user=helper,
        organization=help_request.programme.organization,
        day=HELP_DAY,
        hours="23",
        description="Дежурство",
        area="education",
    )
    completion.request_complete(actor=coordinator, help_request=help_request)
    entry = HoursEntry.objects.get(user=helper, source=HoursEntry.Source.HELP_REQUEST)
    assert (entry.date, entry.hours) == (HELP_DAY, Decimal(1))


# --- the day the volunteer gives --------------------------------------------------------------


@pytest.fixture
def taken(freeze_now):
    """A request made on 8 March and taken; the clock on 10 March, 10:00."""
    freeze_now(datetime(2031, 3, 8, 12, 0, tzinfo=city_zone()))
    help_request = HelpRequestFactory(status=S.ASSIGNED, programme=ProgrammeFactory())
    helper = accepted_helper(help_request)
    freeze_now(datetime(2031, 3, 10, 10, 0, tzinfo=city_zone()))
    return help_request, helper


def test_the_volunteer_may_say_which_day_they_helped(taken, coordinator):
    help_request, helper = taken
    report = completion.help_report(
        volunteer=helper,
        help_request=help_request,
        text="Сделано",
        hours="1.5",
        day=date(2031, 3, 9),
    )
    assert report.day == date(2031, 3, 9)
    completion.request_complete(actor=coordinator, help_request=help_request)
    assert HoursEntry.objects.get(user=helper).date == date(2031, 3, 9)


@pytest.mark.parametrize("day", [date(2031, 3, 11), date(2031, 3, 7)])
def test_a_day_ahead_or_before_the_request_is_refused_naming_the_day(taken, day):
    help_request, helper = taken
    with pytest.raises(DomainError) as refused:
        completion.help_report(
            volunteer=helper, help_request=help_request, text="Сделано", hours="1", day=day
        )
    assert list(refused.value.field_errors) == ["day"]
    assert not help_request.reports.exists()


def test_the_page_and_the_api_take_the_day(taken, login_as):
    help_request, helper = taken
    response = login_as(helper).post(
        f"/help/{help_request.pk}/report/", {"text": "Сделано", "hours": "1", "day": "2031-03-09"}
    )
    assert response.status_code == 302
    assert help_request.reports.get().day == date(2031, 3, 9)
    api = bearer(helper)
    url = f"/api/v1/help-requests/{help_request.pk}/report"
    sent = api.post(url, {"text": "Сделано", "hours": 2, "day": "2031-03-08"}, "application/json")
    assert (sent.status_code, sent.json()["day"]) == (201, "2031-03-08")
    today = api.post(url, {"text": "Сделано", "hours": 2}, "application/json")
    assert today.json()["day"] == "2031-03-10"
    ahead = api.post(url, {"text": "Сделано", "hours": 2, "day": "2031-03-11"}, "application/json")
    assert ahead.status_code == 422
    assert list(ahead.json()["errors"]) == ["day"]


# --- the request named in the record book -----------------------------------------------------------


def test_the_record_book_and_the_api_name_the_request(helped, freeze_now, coordinator, login_as):
    help_request, helper, _report = helped
    freeze_now(TWO_DAYS_LATER)
    completion.request_complete(actor=coordinator, help_request=help_request)
    link = {
        "kind": "help_request",
        "id": help_request.pk,
        "title": f"Просьба «{help_request.summary}»",
        "url": help_request.get_absolute_url(),
    }
    [entry] = bearer(helper).get("/api/v1/me/hours").json()["items"]
    assert entry["origin"] == link
    assert entry["source"] == "help_request"
    page = login_as(helper).get("/volunteer/book/").content.decode()
    assert f'<a href="{link["url"]}">Просьба «{help_request.summary}»</a>' in page


# --- the migration --------------------------------------------------------------------------


BEFORE = [("helprequests", "0006_health_consent_scan")]
AFTER = [("helprequests", "0007_help_report_day")]


@pytest.mark.django_db(transaction=True)
def test_existing_reports_get_the_citys_day_they_were_written():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        helper = old.get_model("accounts", "User").objects.create(email="helper@example.org")
        help_request = old.get_model("helprequests", "HelpRequest").objects.create(
            category="delivery",
            summary="Привезти продукты",
            recipient_name="Мария Ивановна",
            recipient_phone="+79135550011",
            asap=True,
        )
        report = old.get_model("helprequests", "HelpReport").objects.create(
            request=help_request, volunteer=helper, text="Купил", hours=2
        )
        # written at 00:30 in the city: 17:30 the evening before in UTC
        type(report).objects.filter(pk=report.pk).update(created_at=JUST_AFTER_MIDNIGHT)
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps.get_model("helprequests", "HelpReport")
        assert new.objects.get(pk=report.pk).day == HELP_DAY
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
