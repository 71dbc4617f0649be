"""The data migration `0008_legacy_help_hours`: hours of help by a request written before
they were their own source stayed the helper's own «social» claim (source `claim`, no
origin). The migration's function makes each such row what new ones are — help by the
request, naming it — and leaves every other row as it was. It is run here on today's models
(its fields are the same in the migration's state)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps

from dobry.accounts.services import user_erase
from dobry.core.clock import city_zone
from dobry.core.references import Reference
from dobry.events.tests.factories import volunteer
from dobry.helprequests.models import HelpReport, HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db
migration = import_module("dobry.helprequests.migrations.0008_legacy_help_hours")
CLOSED = datetime(2026, 10, 5, 18, 0, tzinfo=city_zone())
SUMMARY = "Привезти продукты и лекарства"


def closed_request(**fields) -> HelpRequest:
    """A request closed as done at CLOSED, in a programme unless told otherwise."""
    fields.setdefault("programme", ProgrammeFactory())
    return HelpRequestFactory(
        status=HelpRequest.Status.DONE, closed_at=CLOSED, summary=SUMMARY, **fields
    )


def report(help_request: HelpRequest, hours: str = "2.50", helper=None) -> HelpReport:
    return HelpReport.objects.create(
        request=help_request,
        volunteer=helper or volunteer(),
        text="Купил и привёз",
        hours=Decimal(hours),
        day=date(2026, 10, 5),
    )


def entry(
    help_report: HelpReport,
    *,
    written: timedelta = timedelta(seconds=1),
    organization=None,
    **fields,
) -> HoursEntry:
    """A row as closing the report's request wrote it before help had a source of its own
    (a confirmed «social» claim with the summary, `written` after the request closed)."""
    help_request = help_report.request
    values = {
        "user": help_report.volunteer,
        "organization": organization or help_request.programme.organization,
        "date": date(2026, 10, 5),
        "hours": help_report.hours,
        "claimed_hours": help_report.hours,
        "description": help_request.summary,
        "source": HoursEntry.Source.CLAIM,
        "area": "social",
        "status": HoursEntry.Status.CONFIRMED,
        "decided_at": CLOSED,
        **fields,
    }
    row = HoursEntry.objects.create(**values)
    HoursEntry.objects.filter(pk=row.pk).update(created_at=help_request.closed_at + written)
    return row


def migrate() -> None:
    migration.legacy_help_hours(apps, None)


def kind_of(row: HoursEntry) -> tuple[str, Reference | None]:
    row.refresh_from_db()
    return row.source, row.origin


def test_a_legacy_row_becomes_help_by_its_request():
    help_request = closed_request()
    row = entry(report(help_request))

    migrate()

    assert kind_of(row) == ("help_request", Reference("help_request", help_request.pk))
    # only the kind changes: the day, the hours and the confirmation stay
    assert (row.date, row.hours, row.status, row.area, row.description) == (
        date(2026, 10, 5),
        Decimal("2.50"),
        HoursEntry.Status.CONFIRMED,
        "social",
        SUMMARY,
    )


def test_each_helper_of_a_request_gets_their_own_row_fixed():
    help_request = closed_request(volunteers_needed=2)
    first, second = entry(report(help_request)), entry(report(help_request, "1.00"))

    migrate()

    origin = Reference("help_request", help_request.pk)
    assert kind_of(first) == kind_of(second) == ("help_request", origin)


def test_a_row_trimmed_by_the_days_limit_is_found_too():
    help_request = closed_request()
    row = entry(report(help_request, "6.00"), hours=Decimal("3.25"))
    migrate()
    assert kind_of(row)[0] == "help_request"


def test_a_request_handled_by_the_resource_centre_without_a_programme():
    help_request = closed_request(programme=None)
    row = entry(report(help_request), organization=OrganizationFactory())
    migrate()
    assert kind_of(row) == ("help_request", Reference("help_request", help_request.pk))


def test_a_helper_erased_since_keeps_the_row_fixed_without_its_description():
    help_request = closed_request()
    helper_report = report(help_request)
    row = entry(helper_report)
    user_erase(user=helper_report.volunteer, actor=None)
    row.refresh_from_db()
    assert row.description == ""

    migrate()

    assert kind_of(row) == ("help_request", Reference("help_request", help_request.pk))


@pytest.mark.parametrize(
    ("what", "changes"),
    [
        ("the volunteer's own claim about something else", {"description": "Субботник"}),
        ("a claim without a description by someone still here", {"description": ""}),
        ("a claim in another direction", {"area": "ecology"}),
        ("a claim written the next day", {"written": timedelta(days=1)}),
        ("a claim written before the request closed", {"written": -timedelta(minutes=5)}),
        ("more hours than the report gave", {"hours": Decimal("2.75")}),
        ("hours from attendance", {"source": HoursEntry.Source.ATTENDANCE}),
    ],
)
def test_other_rows_are_left_as_they_were(what, changes):
    help_request = closed_request()
    row = entry(report(help_request), **changes)
    migrate()
    assert kind_of(row)[0] == changes.get("source", HoursEntry.Source.CLAIM), what
    assert kind_of(row)[1] is None, what


def test_a_claim_in_another_organisation_is_left_alone():
    help_request = closed_request()
    row = entry(report(help_request), organization=OrganizationFactory())
    migrate()
    assert kind_of(row) == (HoursEntry.Source.CLAIM, None)


def test_a_claim_of_someone_who_did_not_report_is_left_alone():
    help_request = closed_request()
    helper_report = report(help_request)
    stranger = HelpReport(request=help_request, volunteer=volunteer(), hours=helper_report.hours)
    row = entry(stranger)
    migrate()
    assert kind_of(row) == (HoursEntry.Source.CLAIM, None)


@pytest.mark.parametrize("status", [HelpRequest.Status.IN_PROGRESS, HelpRequest.Status.CANCELLED])
def test_a_request_not_done_has_no_legacy_hours(status):
    help_request = closed_request()
    row = entry(report(help_request))
    HelpRequest.objects.filter(pk=help_request.pk).update(status=status)
    migrate()
    assert kind_of(row) == (HoursEntry.Source.CLAIM, None)


def test_only_one_row_per_report_the_earliest():
    help_request = closed_request()
    helper_report = report(help_request)
    written = entry(helper_report, written=timedelta(seconds=1))
    later = entry(helper_report, written=timedelta(minutes=10))
    migrate()
    assert kind_of(written)[0] == "help_request"
    assert kind_of(later) == (HoursEntry.Source.CLAIM, None)


def test_rows_already_of_their_request_and_a_second_run_change_nothing():
    help_request = closed_request()
    helper_report = report(help_request)
    row = entry(helper_report)
    migrate()
    # a new row written since, by the service: its own source and origin
    other = closed_request()
    new = entry(report(other, helper=helper_report.volunteer), source="help_request")
    new.origin = Reference("help_request", other.pk)
    new.save()
    before = list(HoursEntry.objects.order_by("pk").values())

    migrate()

    assert list(HoursEntry.objects.order_by("pk").values()) == before
    assert kind_of(row) == ("help_request", Reference("help_request", help_request.pk))


def test_the_migration_runs_this_function_and_can_be_reversed():
    [operation] = migration.Migration.operations
    assert operation.code is migration.legacy_help_hours
    assert operation.reversible
    assert ("volunteering", "0006_hours_from_help_requests") in migration.Migration.dependencies
