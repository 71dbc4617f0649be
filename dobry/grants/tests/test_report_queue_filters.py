"""The organisers' queue of grant reports by competition, state, kind and lateness — on the
page, in its XLSX/CSV downloads and in `GET /api/v1/reports` alike: each filter keeps what
it names, an unknown value is refused naming it (400 on the page, 422 in the API), every
role's access, and a fixed number of queries. The downloads are a POST (a GET asks first,
as the support registry's do), audited, and name no resident."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from openpyxl import load_workbook

from conftest import login
from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import local_today
from dobry.core.models import AuditEntry
from dobry.grants.models import Application, GrantReport, ReportDue
from dobry.grants.services import reports
from dobry.grants.tests.agreements import grantee_of, signed_agreement
from dobry.grants.tests.factories import open_competition
from dobry.grants.tests.reports import submitted_report

pytestmark = pytest.mark.django_db

PAGE, XLSX, CSV, API = (
    "/grants/reports/",
    "/grants/reports/queue.xlsx",
    "/grants/reports/queue.csv",
    "/api/v1/reports",
)


@pytest.fixture
def queue(official):
    """Three agreements of three competitions: one with its final report due in a month,
    one late (due yesterday, not submitted), one submitted and then accepted."""
    due = signed_agreement(official)
    ReportDue.objects.filter(agreement=due).update(due_on=local_today() + timedelta(days=30))
    late = signed_agreement(official)
    ReportDue.objects.filter(agreement=late).update(due_on=local_today() - timedelta(days=1))
    accepted = signed_agreement(official)
    report = submitted_report(accepted)
    reports.report_accept(actor=official, report=report, rating="successful")
    return {"due": due, "late": late, "accepted": accepted}


def _numbers_on_page(client, params):
    response = client.get(PAGE, params)
    assert response.status_code == 200
    return {row.due.agreement.number for row in response.context["page"].object_list}


def _numbers_in_api(client, params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return {row["agreement_number"] for row in response.json()["items"]}


def download(client, url, params=None):
    """The download's button: a POST to the URL with the page's filters."""
    return client.post(f"{url}?{urlencode(params or {})}")


def _numbers_in_csv(client, params):
    response = download(client, CSV, params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return {row[1] for row in rows[1:]}


def _numbers_in_xlsx(client, params):
    response = download(client, XLSX, params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


READERS = [_numbers_on_page, _numbers_in_api, _numbers_in_csv, _numbers_in_xlsx]


@pytest.mark.parametrize("read", READERS)
def test_each_filter_keeps_what_it_names(official, queue, read):
    client = login(official)
    number = {name: agreement.number for name, agreement in queue.items()}
    everything = set(number.values())
    competition = queue["late"].application.competition_id
    assert read(client, {}) == everything
    assert read(client, {"competition": competition}) == {number["late"]}
    assert read(client, {"state": "late"}) == {number["late"]}
    assert read(client, {"state": "accepted"}) == {number["accepted"]}
    assert read(client, {"state": "due"}) == {number["due"]}
    assert read(client, {"kind": "final"}) == everything
    assert read(client, {"kind": "interim"}) == set()
    late = {"late": "yes"} if read is not _numbers_in_api else {"late": "true"}
    on_time = {"late": "no"} if read is not _numbers_in_api else {"late": "false"}
    assert read(client, late) == {number["late"]}
    assert read(client, on_time) == {number["due"], number["accepted"]}
    both = {"competition": competition, "state": "due"}
    assert read(client, both) == set()


def test_a_report_submitted_late_is_late_whatever_its_state(official, queue):
    GrantReport.objects.filter(agreement=queue["accepted"]).update(submitted_late=True)
    client = login(official)
    assert _numbers_on_page(client, {"late": "yes", "state": "accepted"}) == {
        queue["accepted"].number
    }


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("competition", "987654321"),
        ("competition", "abc"),
        ("state", "no-such-value"),
        ("kind", "no-such-value"),
        ("late", "maybe"),
    ],
)
@pytest.mark.parametrize("url", [PAGE, XLSX, CSV])
def test_an_unknown_filter_value_on_the_page_and_downloads_is_a_400_naming_it(
    official, queue, url, name, value
):
    response = login(official).get(url, {name: value})
    assert response.status_code == 400
    assert f"«{name}»" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("competition", "987654321"),
        ("competition", "abc"),
        ("state", "no-such-value"),
        ("kind", "no-such-value"),
        ("late", "maybe"),
    ],
)
def test_an_unknown_filter_value_in_the_api_is_a_422_naming_it(official, queue, name, value):
    response = login(official).get(API, {name: value})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert name in errors or f"query.{name}" in errors, errors


def test_a_competition_the_organiser_does_not_keep_is_refused(official, queue):
    organiser = UserFactory()
    mine = open_competition(official)
    mine.managers.add(organiser)
    others = queue["late"].application.competition_id
    client = login(organiser)
    assert client.get(PAGE, {"competition": others}).status_code == 400
    assert client.get(API, {"competition": others}).status_code == 422
    assert client.get(CSV, {"competition": others}).status_code == 400
    # the choice offers only the competitions whose reports they keep
    choices = client.get(PAGE).context["form"].fields["competition"].queryset
    assert list(choices) == []


@pytest.mark.parametrize("url", [PAGE, XLSX, CSV, API])
def test_every_role_reaches_the_queue_as_it_may(client, official, queue, url):
    assert client.get(url).status_code in (302, 401)
    grantee = grantee_of(queue["due"].application)
    for person in (UserFactory(), grantee):
        assert login(person).get(url).status_code == 403
    assert login(official).get(url).status_code == 200
    organiser = UserFactory()
    queue["due"].application.competition.managers.add(organiser)
    assert login(organiser).get(url).status_code == 200


def test_an_organiser_downloads_only_their_competitions_reports(official, queue):
    organiser = UserFactory()
    queue["due"].application.competition.managers.add(organiser)
    client = login(organiser)
    assert _numbers_in_csv(client, {}) == {queue["due"].number}
    assert _numbers_in_xlsx(client, {}) == {queue["due"].number}
    assert _numbers_in_api(client, {}) == {queue["due"].number}


def test_the_download_holds_the_rows_as_the_page_shows_them(official, queue):
    response = download(login(official), XLSX, {"state": "accepted"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header[0] == "Срок сдачи"
    accepted = queue["accepted"]
    report = accepted.reports.get()
    assert row[1] == accepted.number
    assert row[2] == accepted.application.competition.title
    assert row[3] == accepted.application.applicant_name
    assert row[4] == "итоговый отчёт"
    assert row[5] == "принят"
    assert row[6] == "нет"
    assert row[0].date() == accepted.reports_due.get().due_on
    assert row[8].date() == local_today()
    assert report.decided_at is not None
    assert response["Content-Disposition"].startswith('attachment; filename="grant-reports-')


def test_the_page_links_the_downloads_with_its_filters(official, queue):
    html = login(official).get(PAGE, {"state": "late"}).content.decode()
    assert f'<form method="post" action="{XLSX}?state=late"' in html
    assert f'<form method="post" action="{CSV}?state=late"' in html
    assert f'href="{XLSX}' not in html


@pytest.mark.parametrize("url", [PAGE, XLSX, CSV])
def test_the_queue_and_downloads_keep_a_fixed_number_of_queries(
    official, django_assert_max_num_queries, url
):
    client = login(official)
    submitted_report(signed_agreement(official))

    def fetch(client, url, params):
        return client.get(url, params) if url == PAGE else download(client, url, params)

    with django_assert_max_num_queries(20) as few:
        assert fetch(client, url, {"kind": "final"}).status_code == 200
    for _n in range(3):
        submitted_report(signed_agreement(official))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert fetch(client, url, {"kind": "final"}).status_code == 200


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_a_get_of_a_download_asks_first_and_exports_nothing(official, queue, url):
    client = login(official)
    response = client.get(url, {"state": "late"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Скачать список отчётов" in html
    assert 'method="post"' in html
    assert queue["late"].number not in html
    assert not AuditEntry.objects.filter(action="report.queue_export").exists()


@pytest.mark.parametrize(("url", "file_format"), [(XLSX, "xlsx"), (CSV, "csv")])
def test_each_download_is_audited_with_who_the_format_and_the_rows(
    official, queue, url, file_format
):
    assert download(login(official), url, {"state": "late"}).status_code == 200
    entry = AuditEntry.objects.get(action="report.queue_export")
    assert entry.actor == official
    assert entry.data == {"file_format": file_format, "rows": 1}


@pytest.mark.parametrize("url", [XLSX, CSV])
def test_a_refused_download_is_not_audited(queue, url):
    assert download(login(UserFactory()), url).status_code == 403
    assert not AuditEntry.objects.filter(action="report.queue_export").exists()


def test_a_resident_grantee_is_named_on_the_page_and_in_the_api_not_in_the_file(official):
    agreement = signed_agreement(official)
    resident = agreement.application.applicant
    Application.objects.filter(pk=agreement.application_id).update(organization=None)
    client = login(official)
    assert resident.display_name in client.get(PAGE).content.decode()
    [row] = client.get(API).json()["items"]
    assert row["grantee"] == resident.display_name
    text = download(client, CSV).content.decode("utf-8-sig")
    assert resident.display_name not in text
    assert "житель (имя на странице соглашения)" in text
    assert agreement.number in text
