"""The figures a report is pre-filled with match the platform's records within the report's
period: registrations, attendance and confirmed hours at the project's events, help
requests done by its programmes, donations to its campaigns — and nothing outside the
period, of other events, or unconfirmed."""

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from conftest import login
from dobry.charity.tests.factories import CampaignFactory, DonationFactory
from dobry.core.clock import local_moment
from dobry.core.errors import DomainError, PermissionDenied
from dobry.events.models import Registration
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory
from dobry.grants.models import ReportDue
from dobry.grants.services import reports
from dobry.grants.tests.agreements import grantee_of, signed_agreement
from dobry.grants.tests.reports import filled
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db
IN_PERIOD = date(2027, 3, 15)  # the short project runs 1 February — 31 May 2027
AFTER = date(2027, 7, 1)


def _shift(event, day: date):
    start = local_moment(day, time(10, 0))
    return ShiftFactory(event=event, starts_at=start, ends_at=start.replace(hour=start.hour + 3))


def _attended(shift, hours: str, *, confirmed: bool = True) -> Registration:
    registration = RegistrationFactory(shift=shift, checked_in_at=shift.starts_at)
    HoursEntry.objects.create(
        user=registration.user,
        organization=shift.event.organization,
        registration=registration,
        date=shift.starts_at.date(),
        hours=Decimal(hours),
        claimed_hours=Decimal(hours),
        source=HoursEntry.Source.ATTENDANCE,
        status=HoursEntry.Status.CONFIRMED if confirmed else HoursEntry.Status.PENDING,
    )
    return registration


def _project(official):
    agreement = signed_agreement(official)
    organization = agreement.application.organization
    event = EventFactory(organization=organization)
    programme = ProgrammeFactory(organization=organization)
    grantee = grantee_of(agreement.application)
    reports.project_links_set(
        actor=grantee, agreement=agreement, events=[event], programmes=[programme]
    )
    return agreement, event, programme, grantee


def test_the_figures_match_the_records_of_the_period(official):
    agreement, event, programme, grantee = _project(official)
    march = _shift(event, IN_PERIOD)
    _attended(march, "3")
    _attended(march, "2.5")
    _attended(march, "4", confirmed=False)  # not confirmed: not counted as hours
    RegistrationFactory(shift=march)  # registered, did not come
    RegistrationFactory(shift=march, status=Registration.Status.CANCELLED)
    _attended(_shift(event, AFTER), "5")  # after the period
    _attended(_shift(EventFactory(organization=OrganizationFactory()), IN_PERIOD), "7")
    closed = local_moment(IN_PERIOD, time(15, 0))
    HelpRequestFactory.create_batch(
        2, programme=programme, status=HelpRequest.Status.DONE, closed_at=closed
    )
    HelpRequestFactory(programme=programme, status=HelpRequest.Status.IN_PROGRESS)
    HelpRequestFactory(
        programme=programme,
        status=HelpRequest.Status.DONE,
        closed_at=datetime(2027, 7, 2, tzinfo=UTC),
    )
    campaign = CampaignFactory(organization=agreement.application.organization, agreement=agreement)
    DonationFactory(campaign=campaign, received_on=IN_PERIOD, amount=Decimal("1500.50"))
    DonationFactory(campaign=campaign, received_on=IN_PERIOD, amount=Decimal("500"))
    DonationFactory(campaign=campaign, received_on=AFTER, amount=Decimal("9999"))
    DonationFactory(received_on=IN_PERIOD)  # another organisation's campaign

    report = reports.report_open(actor=grantee, agreement=agreement, kind=ReportDue.Kind.FINAL)
    counted = reports.current_version(report).figures
    assert (counted["from"], counted["to"]) == ("2027-02-01", "2027-05-31")
    assert counted["values"] == {
        "registrations": "4",  # three came (hours pending for one), one did not
        "attendees": "3",
        "volunteer_hours": "5.50",
        "volunteers": "2",
        "help_requests_done": "2",
        "donations_amount": "2000.50",
        "donations": "2",
        "donors": "2",
    }
    html = login(grantee).get(report.get_absolute_url()).content.decode()
    assert "подтверждено платформой" in html
    assert "2000.50" in html


def test_the_figures_are_counted_again_until_submission_then_kept(official):
    agreement, event, _programme, grantee = _project(official)
    report = reports.report_open(actor=grantee, agreement=agreement, kind=ReportDue.Kind.FINAL)
    assert reports.current_version(report).figures["values"]["attendees"] == "0"
    _attended(_shift(event, IN_PERIOD), "3")
    reports.report_save(actor=grantee, report=report, data=filled(report))
    assert reports.current_version(report).figures["values"]["attendees"] == "1"
    submitted = reports.report_submit(actor=grantee, report=report)
    _attended(_shift(event, IN_PERIOD), "3")
    assert reports.current_version(submitted).figures["values"]["attendees"] == "1"


def test_only_the_grantee_organisations_events_and_programmes_are_linked(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    foreign_event = EventFactory()
    with pytest.raises(DomainError) as refused:
        reports.project_links_set(
            actor=grantee, agreement=agreement, events=[foreign_event], programmes=[]
        )
    assert "events" in refused.value.field_errors
    with pytest.raises(DomainError):
        reports.project_links_set(
            actor=grantee, agreement=agreement, events=[], programmes=[ProgrammeFactory()]
        )
    from dobry.accounts.tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        reports.project_links_set(
            actor=UserFactory(), agreement=agreement, events=[], programmes=[]
        )


def test_the_agreement_page_links_the_organisations_events(official):
    agreement = signed_agreement(official)
    grantee = grantee_of(agreement.application)
    event = EventFactory(organization=agreement.application.organization)
    client = login(grantee)
    assert event.title in client.get(agreement.get_absolute_url()).content.decode()
    client.post(f"/grants/agreements/{agreement.pk}/links/", {"events": [str(event.pk)]})
    assert list(agreement.events.all()) == [event]
    foreign = EventFactory()
    client.post(f"/grants/agreements/{agreement.pk}/links/", {"events": [str(foreign.pk)]})
    assert list(agreement.events.all()) == [event]
    for hostile in ("x", "\x00", "9" * 30):
        response = client.post(f"/grants/agreements/{agreement.pk}/links/", {"events": hostile})
        assert response.status_code in (302, 400)
